"""Making, checking and revoking personal API tokens. A token is shown to its user once,
when made; the database keeps its SHA-256 only, so a copy of the database holds none."""

import datetime
import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "mhhs_"
# Shown on the page to tell tokens apart: "mhhs_" and four random characters.
SHOWN_LENGTH = len(TOKEN_PREFIX) + 4
# How long a token may last, as the page offers it.
LIFETIMES = {30: "30 days", 90: "90 days", 365: "1 year"}
# last_used_at is written at most this often, so reads do not each write a row.
USE_RECORDED_EVERY = datetime.timedelta(minutes=5)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user, name, days, read_only=False) -> tuple[ApiToken, str]:
    """A new token for `user`, usable for `days` days: the record and the token itself,
    which only this call ever returns."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    record = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=token[:SHOWN_LENGTH],
        digest=digest_of(token),
        read_only=read_only,
        expires_at=now + datetime.timedelta(days=days),
    )
    return record, token


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_lookup(token: str) -> ApiToken | None:
    """The usable token record for what a client sent, with its user; None if it is not
    one (unknown, revoked, expired, or its user deactivated). Records when it was used."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    record = (
        ApiToken.objects.usable().select_related("user").filter(digest=digest_of(token)).first()
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record
