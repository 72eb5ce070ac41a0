"""Signing in through django-allauth: its login stages (a second factor), OpenID Connect
single sign-on, and its emails through our outbox.

The password is still checked by our throttled login (accounts.py); a right password is
handed to allauth's login flow, which asks for the second factor of an account that has
one before the session starts. Single sign-on (the `openid_connect` provider, providers in
OIDC_PROVIDERS) signs in the person whose email the provider says it verified; an unknown
email is refused unless an invitation to that person is waiting, which it then accepts.
Nobody signs up on their own.
"""

import logging
import time
import uuid

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.db.models import Q
from django.shortcuts import render

from core.models import Person
from core.security import client_ip, log_event
from notifications.models import EmailKind
from notifications.outbox import queue_email
from people.accounts import accept_with_identity
from people.models import Invitation


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by invitation only; allauth's emails (a second factor added or
    removed) go through the outbox; each completed login is in the security log."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(
            template_prefix, email, {**context, "site_url": settings.SITE_URL}
        )
        # No person or group on the row: like the password reset, these emails concern the
        # account's security and stay out of the secretariat's email log.
        queue_email(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            kind=EmailKind.ACCOUNT_SECURITY,
            to_address=email,
            subject=message.subject,
            body_text=message.body,
        )

    def is_reauthentication_required(self, *, app, **kwargs):
        """Setting up a second factor asks for the password again, unless the user signed
        in (by password or single sign-on) within ACCOUNT_REAUTHENTICATION_TIMEOUT: an
        account that signs in only through its organisation has no password to give, and
        the roles that need a second factor set it up just after signing in."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        records = get_authentication_records(request, request.user)
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        return not (records and time.time() - records[-1]["at"] < timeout)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """allauth looks for the address in its own table, which this app does not keep:
        the account's, else its person's."""
        person = getattr(user, "person", None)
        email = email or user.email or getattr(person, "email", "")
        if email:
            super().send_notification_mail(template_prefix, user, context, email=email)

    def get_client_ip(self, request):
        return client_ip(request)

    def post_login(self, request, user, **kwargs):
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        log_event(
            "login",
            request,
            level=logging.INFO,
            account=user.pk,
            method="sso" if sociallogin else "password",
            **({"provider": sociallogin.account.provider} if sociallogin else {}),
        )
        return super().post_login(request, user, **kwargs)


def _refuse(request, reason, **details):
    """End the sign-in with a page saying why (403) and a line in the security log."""
    log_event("sso_refused", request, reason=reason, **details)
    raise ImmediateHttpResponse(
        render(request, "socialaccount/refused.html", {"reason": reason}, status=403)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """An OpenID Connect identity signs in as the person whose verified email it carries."""

    def is_open_for_signup(self, request, sociallogin):
        # pre_social_login links or refuses every identity: none reaches allauth's signup.
        return False

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Signing in with a linked identity, or a signed-in user linking one more to
            # their own account (allauth connects it to them): no one else's account.
            return
        emails = sorted(
            {a.email.strip().casefold() for a in sociallogin.email_addresses if a.verified}
        )
        provider = sociallogin.account.provider
        if not emails:
            _refuse(request, "unverified", provider=provider)
        # Compared case-insensitively: the provider may spell an address differently.
        match = Q()
        for email in emails:
            match |= Q(email__iexact=email)
        people = list(Person.objects.select_related("user").filter(match))
        if len(people) > 1:
            _refuse(request, "ambiguous", provider=provider)
        person = people[0] if people else None
        if person is None:
            _refuse(request, "unknown", provider=provider, email=emails[0])
        invitation = Invitation.objects.usable().filter(person=person).first()
        if person.user is not None and person.user.is_active:
            user = person.user
        elif invitation is not None:
            user = accept_with_identity(invitation=invitation, request=request)
        else:
            _refuse(request, "no_invitation", provider=provider, person=person.pk)
        sociallogin.connect(request, user)
        log_event("sso_linked", request, level=logging.INFO, account=user.pk, provider=provider)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        log_event(
            "sso_failed",
            request,
            provider=getattr(provider, "id", None),
            error=str(error),
            exception=exception.__class__.__name__ if exception else None,
        )


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url):
        """The QR code as an <svg> element set inline in the page (templates/mfa/totp/), so
        without the XML declaration of a file; the figure around it names it."""
        svg = super().build_totp_svg(url)
        return svg[svg.index("<svg") :].replace("<svg ", '<svg aria-hidden="true" ', 1)
