"""Logging in and resetting a password, hardened against guessing and mail bombing.

Login throttling (instead of django-axes, whose lockouts key on user name and address
together: spraying one password over many names from one address was never slowed, and
anyone could lock a named user out). Failures are counted twice, each with growing delays
rather than a lockout (core/throttle.py):
- per client address (LOGIN_THROTTLE_IP_FREE failures free): slows password spraying;
- per user name (LOGIN_THROTTLE_USER_FREE failures free): slows guessing one account from
  many addresses. It does not apply to a browser the user logged in from before (a signed
  "known device" cookie) nor to an address they logged in from before, so while an
  attacker is made to wait the real user still logs in from their own machine or office.
The client address comes from core.security.client_ip (TRUSTED_PROXY_COUNT).

Password reset: the email is planned in the outbox and sent by the worker, not inside
the request; requests are limited per address asked for and per client address; the
page answers the same whether an account has that address or not.
"""

import datetime
import hashlib
import logging
import uuid

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.security import client_ip, log_event
from core.throttle import Backoff, RateLimit
from notifications.models import EmailKind
from notifications.outbox import queue_email

KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_DEVICE_SALT = "mhhs_gov.accounts.known_device"
KNOWN_DEVICE_DAYS = 365
KNOWN_ADDRESSES_KEPT = 10


def ip_backoff():
    return Backoff(
        "login-ip", free=settings.LOGIN_THROTTLE_IP_FREE, cap=settings.LOGIN_THROTTLE_MAX_DELAY
    )


def user_backoff():
    return Backoff(
        "login-user", free=settings.LOGIN_THROTTLE_USER_FREE, cap=settings.LOGIN_THROTTLE_MAX_DELAY
    )


def username_key(username: str) -> str:
    """User names are compared case-insensitively for counting, so "Chair" and "chair"
    share one count; kept as a digest, so the known-device cookie does not show them."""
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


def known_devices(request) -> set[str]:
    """The user names (as username_key) this browser logged in as before, from its signed cookie."""
    try:
        names = signing.loads(
            request.COOKIES.get(KNOWN_DEVICE_COOKIE, ""),
            salt=KNOWN_DEVICE_SALT,
            max_age=datetime.timedelta(days=KNOWN_DEVICE_DAYS),
        )
    except signing.BadSignature:
        return set()
    return set(names) if isinstance(names, list) else set()


def _addresses_key(name):
    return f"login-known-addresses:{uuid.uuid5(uuid.NAMESPACE_OID, name)}"


def remember_login(request, response, name) -> None:
    """After a login: this address and this browser are known for the user name."""
    ip = client_ip(request)
    addresses = [ip, *(a for a in cache.get(_addresses_key(name), []) if a != ip)]
    cache.set(_addresses_key(name), addresses[:KNOWN_ADDRESSES_KEPT], KNOWN_DEVICE_DAYS * 86400)
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        signing.dumps(sorted(known_devices(request) | {name}), salt=KNOWN_DEVICE_SALT),
        max_age=KNOWN_DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known(request, name) -> bool:
    """Has this user logged in from this browser or this address before?"""
    return name in known_devices(request) or client_ip(request) in cache.get(
        _addresses_key(name), []
    )


class LoginForm(AuthenticationForm):
    """The login form, refusing without checking the password while the address or the
    user name must wait."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": (
            "Too many failed logins %(whence)s. Try again in %(wait)s seconds. "
            "Nothing is locked: after the wait you can log in as usual."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()
        ip = client_ip(self.request)
        name = username_key(username)
        self.throttled = False
        ip_wait = ip_backoff().wait(ip)
        user_wait = 0 if is_known(self.request, name) else user_backoff().wait(name)
        if ip_wait or user_wait:
            self.throttled = True
            wait = max(ip_wait, user_wait)
            by = "ip" if ip_wait else "username"
            log_event("login_throttled", self.request, username=username, wait=wait, by=by)
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={
                    "whence": "from your address" if ip_wait else "for this user name",
                    "wait": wait,
                },
            )
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                ip_delay = ip_backoff().failed(ip)
                user_delay = user_backoff().failed(name)
                log_event(
                    "login_failed",
                    self.request,
                    username=username,
                    ip_delay=ip_delay,
                    username_delay=user_delay,
                )
            raise


class LoginView(auth_views.LoginView):
    """Anyone: log in with a password (unless LOCAL_PASSWORDS is off) or with one of the
    single sign-on providers. Answers 429 while the address or the user name must wait.

    A right password goes on through allauth's login flow (mhhs_gov/signin.py), which asks
    an account with a second factor for it before the session starts."""

    form_class = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(local_passwords=settings.LOCAL_PASSWORDS, **kwargs)

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            log_event("login_password_disabled", request)
            return self.render_to_response(self.get_context_data(password_refused=True), status=403)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429
        return response

    def form_valid(self, form):
        user = form.get_user()
        # Recorded as allauth's own password login would be: setting up a second factor
        # then needs no second password prompt (allauth's reauthentication) for a while.
        record_authentication(self.request, user, method="password", username=user.username)
        response = perform_login(self.request, user, redirect_url=self.get_success_url())
        name = username_key(user.get_username())
        user_backoff().reset(name)
        remember_login(self.request, response, name)
        return response


def reset_per_address():
    return RateLimit("reset-address", settings.PASSWORD_RESET_PER_ADDRESS, 3600)


def reset_per_ip():
    return RateLimit("reset-ip", settings.PASSWORD_RESET_PER_IP, 3600)


class ResetForm(PasswordResetForm):
    """The address to send a reset link to; the email goes through the outbox."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = settings.SITE_URL + reverse(
            "password_reset_confirm", kwargs={"uidb64": uid, "token": context["token"]}
        )
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        body = render_to_string(
            "notifications/email/password_reset.txt",
            {"user": user, "link": link, "minutes": minutes},
        )
        # Under a key of its own each time; no person or group, so the secretariat's
        # email log does not list it (the link would let its reader set the password).
        queue_email(
            key=f"password-reset:user:{user.pk}:{uuid.uuid4().hex}",
            kind=EmailKind.PASSWORD_RESET,
            to_address=user.email,
            subject="Reset your password for the governance tracker",
            body_text=body,
        )


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Anyone: ask for a password reset link by email. The same page follows whether an
    account has the address or not; PASSWORD_RESET_PER_ADDRESS requests an hour per
    address are sent (the rest are dropped, silently, as the answer must not differ),
    and PASSWORD_RESET_PER_IP requests an hour per client address are accepted (then
    429)."""

    form_class = ResetForm

    def dispatch(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            raise Http404("Passwords are switched off: sign in with single sign-on.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not reset_per_ip().hit(client_ip(self.request)):
            log_event("password_reset_throttled", self.request, email=email, by="ip")
            return render(
                self.request,
                "registration/password_reset_form.html",
                {"form": form, "throttled": True},
                status=429,
            )
        if not reset_per_address().hit(email.casefold()):
            log_event("password_reset_throttled", self.request, email=email, by="address")
            return super(auth_views.PasswordResetView, self).form_valid(form)
        users = list(form.get_users(email))
        log_event("password_reset_requested", self.request, email=email, accounts=len(users))
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Whoever holds a reset link: set a new password. Each use of a link is logged."""

    def dispatch(self, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            raise Http404("Passwords are switched off: sign in with single sign-on.")
        response = super().dispatch(*args, **kwargs)
        if kwargs.get("token") != self.reset_url_token:
            # A good link redirects to the password form (its token kept in the session).
            opened = response.status_code == 302
            log_event(
                "password_reset_link_opened" if opened else "password_reset_link_invalid",
                self.request,
                level=logging.INFO if opened else logging.WARNING,
                account=getattr(self.user, "pk", None),
            )
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        log_event("password_reset_done", self.request, account=form.user.pk)
        return response
