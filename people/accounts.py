"""Accounts: inviting someone to log in, accepting an invitation, deactivating and
reactivating an account, and appointing programme administrators. Every change is an
AccountEvent (who, when) and a line in the security log; every email goes through the
outbox."""

import datetime
import logging
import secrets

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.services import revoke_person_update_links
from core.models import Person
from core.security import log_event
from notifications.models import EmailKind
from notifications.outbox import queue_email

from .models import AccountEvent, AccountEventKind, Invitation, UserSession, token_digest
from .sessions import end_sessions


def _who(user) -> str:
    person = getattr(user, "person", None) if user is not None else None
    return person.name if person is not None else "The programme's secretariat"


@transaction.atomic
def invite(*, person, by, request=None) -> Invitation:
    """Email `person` a link to choose a user name and password (or a new password, for a
    deactivated account coming back). Earlier invitations stop working."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.email:
        raise ValidationError("Record the person's email before inviting them.")
    if person.user is not None and person.user.is_active:
        raise ValidationError(f"{person.name} can already log in.")
    now = timezone.now()
    person.invitations.usable(now).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        person=person,
        token_digest=token_digest(token),
        created_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    groups = ", ".join(
        sorted(person.memberships.filter(active=True).values_list("group__code", flat=True))
    )
    body = render_to_string(
        "notifications/email/account_invitation.txt",
        {
            "person": person,
            "invited_by": _who(by),
            "groups": groups,
            "link": settings.SITE_URL + reverse("people:invitation_accept", args=[token]),
            "expires": timezone.localtime(invitation.expires_at),
        },
    )
    # No person or group on the row: the secretariat's email log must not show a link that
    # lets its reader choose the password.
    queue_email(
        key=f"account-invitation:{invitation.pk}",
        kind=EmailKind.ACCOUNT_INVITATION,
        to_address=person.email,
        subject="You are invited to log in to the governance tracker",
        body_text=body,
    )
    AccountEvent.objects.create(person=person, kind=AccountEventKind.INVITED, by=by, at=now)
    log_event("invitation_sent", request, level=logging.INFO, person=person.pk)
    return invitation


def invitation_for(token):
    """The invitation a link carries, usable or not, or None."""
    return (
        Invitation.objects.select_related("person__user")
        .filter(token_digest=token_digest(token))
        .first()
    )


def _open_invitation(invitation):
    """The invitation and its person, both locked, while the invitation still works (else
    ValidationError): two acceptances of one link cannot both make an account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not Invitation.objects.usable().filter(pk=invitation.pk).exists():
        raise ValidationError("This invitation has been used, withdrawn or has expired.")
    return invitation, Person.objects.select_for_update().get(pk=invitation.person_id)


@transaction.atomic
def accept(*, invitation, username, password, request=None):
    """Make (or reopen) the invited person's account with the password chosen; the
    invitation is used up. Raises ValidationError if it no longer works."""
    invitation, person = _open_invitation(invitation)
    user = person.user
    if user is None:
        user = get_user_model()(username=username, email=person.email)
        user.set_password(password)
        user.save()
        person.user = user
        person._change_reason = "Accepted an invitation to log in"
        person.save(update_fields=["user"])
    else:
        user.is_active = True
        user.set_password(password)
        user.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    AccountEvent.objects.create(person=person, kind=AccountEventKind.ACCEPTED, by=user)
    log_event("invitation_accepted", request, level=logging.INFO, account=user.pk)
    return user


@transaction.atomic
def accept_with_identity(*, invitation, request=None):
    """Accept an invitation by signing in with single sign-on: make (or reopen) the person's
    account without a password of its own (the identity provider vouches for them). Its
    user name is the email's, numbered if taken."""
    invitation, person = _open_invitation(invitation)
    user = person.user
    if user is None:
        users = get_user_model().objects
        base = person.email.casefold()[:140]
        username, n = base, 1
        while users.filter(username__iexact=username).exists():
            n += 1
            username = f"{base}-{n}"
        user = users.create_user(username=username, email=person.email)
        user.set_unusable_password()
        user.save()
        person.user = user
        person._change_reason = "Accepted an invitation to log in (single sign-on)"
        person.save(update_fields=["user"])
    else:
        user.is_active = True
        user.save(update_fields=["is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    AccountEvent.objects.create(
        person=person, kind=AccountEventKind.ACCEPTED, by=user, note="Single sign-on"
    )
    log_event("invitation_accepted", request, level=logging.INFO, account=user.pk, sso=True)
    return user


@transaction.atomic
def deactivate_account(*, person, by, ip, note="", request=None) -> None:
    """Stop `person` logging in: the account is deactivated, its sessions end at once, its
    invitations and the "update this action" links sent to the person stop working."""
    user = person.user
    if user is None:
        raise ValidationError(f"{person.name} has no account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    now = timezone.now()
    person.invitations.usable(now).update(revoked_at=now)
    actions = revoke_person_update_links(person=person, user=by, ip=ip)
    AccountEvent.objects.create(
        person=person, kind=AccountEventKind.DEACTIVATED, by=by, at=now, note=note[:300]
    )
    log_event(
        "account_deactivated", request, account=user.pk, sessions_ended=ended, actions=actions
    )


@transaction.atomic
def reset_second_factor(*, person, by, request=None) -> int:
    """Remove every second factor of `person`'s account (a lost phone or security key, the
    recovery codes gone too), so they sign in with the first factor alone and set one up
    again. Their sessions end, as whoever has the lost device may be signed in. Returns how
    many factors were removed."""
    user = person.user
    if user is None:
        raise ValidationError(f"{person.name} has no account.")
    removed, _ = Authenticator.objects.filter(user=user).delete()
    if not removed:
        raise ValidationError(f"{person.name} has no second factor.")
    ended = end_sessions(user)
    AccountEvent.objects.create(person=person, kind=AccountEventKind.SECOND_FACTOR_RESET, by=by)
    log_event("mfa_reset_by_manager", request, account=user.pk, removed=removed, ended=ended)
    return removed


@transaction.atomic
def reactivate_account(*, person, by, request=None) -> None:
    """Let a deactivated account log in again with its old password (an invitation gives
    it a new one instead)."""
    user = person.user
    if user is None:
        raise ValidationError(f"{person.name} has no account.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    AccountEvent.objects.create(person=person, kind=AccountEventKind.REACTIVATED, by=by)
    log_event("account_reactivated", request, level=logging.INFO, account=user.pk)


def sign_out_everywhere(*, user, request, keep_current) -> int:
    """End the user's sessions: all of them, or all but the one making the request."""
    keep = request.session.session_key if keep_current else None
    ended = end_sessions(user, keep_key=keep)
    person = getattr(user, "person", None)
    if person is not None:
        AccountEvent.objects.create(
            person=person,
            kind=AccountEventKind.SIGNED_OUT,
            by=user,
            note="Other sessions" if keep_current else "Every session",
        )
    log_event("sessions_ended", request, level=logging.INFO, account=user.pk, ended=ended)
    return ended


def password_changed(*, user, request, old_key) -> int:
    """After a password change the other sessions end (Django already refuses them at
    their next request, as the password's hash changed; their rows go too). The change
    gave this session a new key (`old_key` was its key before), which its row takes."""
    ended = end_sessions(user, keep_key=old_key)
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
    person = getattr(user, "person", None)
    if person is not None:
        AccountEvent.objects.create(person=person, kind=AccountEventKind.PASSWORD_CHANGED, by=user)
    log_event("password_changed", request, level=logging.INFO, account=user.pk, ended=ended)
    return ended


@transaction.atomic
def set_programme_administrator(*, person, granted, by, request=None) -> None:
    """Make a person a programme administrator, or no longer (their history and account
    history both say who did it and when)."""
    person.programme_administrator = granted
    person._change_reason = "Programme administrator" if granted else "No longer administrator"
    person.save(update_fields=["programme_administrator"])
    kind = AccountEventKind.ADMIN_GRANTED if granted else AccountEventKind.ADMIN_REMOVED
    AccountEvent.objects.create(person=person, kind=kind, by=by)
    log_event(kind.value, request, person=person.pk)
