"""Each person's email preferences and the signed link of every email that changes them."""

from django.core import signing
from django.utils import timezone

from .models import NOTICE_KINDS, EmailPreference

# The salt is part of every preferences link already sent: it keeps the name it had when
# the link lived with the action reminders.
PREFERENCES_SALT = "actions.reminders.preferences-link"


def preferences_token(person_id: int) -> str:
    """The opt-out link of every email; it does not expire, like any unsubscribe link."""
    return signing.dumps(person_id, salt=PREFERENCES_SALT)


def read_preferences_token(token: str) -> int:
    """The person id; raises signing.BadSignature."""
    return int(signing.loads(token, salt=PREFERENCES_SALT))


def set_daily_digest_opt_out(*, person, opt_out: bool) -> EmailPreference:
    """Turn the person's daily digests off (recording when) or on again."""
    preference, _ = EmailPreference.objects.update_or_create(
        person=person,
        defaults={
            "daily_digest_opt_out": opt_out,
            "daily_digest_opt_out_at": timezone.now() if opt_out else None,
        },
    )
    return preference


def set_notice_opt_outs(*, person, kinds) -> EmailPreference:
    """Turn off the notices of these kinds (NOTICE_KINDS) and on every other one."""
    chosen = [kind for kind in NOTICE_KINDS if kind in set(kinds)]
    preference, _ = EmailPreference.objects.update_or_create(
        person=person, defaults={"opted_out_kinds": [str(kind) for kind in chosen]}
    )
    return preference
