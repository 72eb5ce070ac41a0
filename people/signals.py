"""Each login's session is recorded (people/sessions.py); logging out forgets it. A second
factor added, removed, used or failed is a line in the security log."""

import logging

from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
    authenticator_used,
)
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from core.security import log_event

from .models import UserSession
from .sessions import record_session


@receiver(user_logged_in, dispatch_uid="people.record_session")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        record_session(request, user)


@receiver(user_logged_out, dispatch_uid="people.forget_session")
def on_logout(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(authenticator_added, dispatch_uid="mhhs_gov.mfa_added")
def _mfa_added(sender, request, user, authenticator, **kwargs):
    log_event("mfa_added", request, level=logging.INFO, account=user.pk, type=authenticator.type)


@receiver(authenticator_removed, dispatch_uid="mhhs_gov.mfa_removed")
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    log_event("mfa_removed", request, account=user.pk, type=authenticator.type)


@receiver(authenticator_reset, dispatch_uid="mhhs_gov.mfa_reset")
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    log_event("mfa_reset", request, account=user.pk, type=authenticator.type)


@receiver(authenticator_used, dispatch_uid="mhhs_gov.mfa_used")
def _mfa_used(sender, request, user, authenticator, **kwargs):
    log_event("mfa_used", request, level=logging.INFO, account=user.pk, type=authenticator.type)


@receiver(authentication_failed, dispatch_uid="mhhs_gov.mfa_failed")
def _mfa_failed(sender, request, user, **kwargs):
    authenticator = kwargs.get("authenticator")
    log_event(
        "mfa_failed",
        request,
        account=user.pk,
        type=getattr(authenticator, "type", None),
    )
