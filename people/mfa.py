"""A second factor required of some roles (MFA_REQUIRED_ROLES): such a user is sent to set
one up (allauth's pages under /accounts/2fa/) before any other page."""

import logging

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from core.permissions import roles_needing_second_factor
from core.security import log_event

# Paths a user without their required second factor may still open: setting one up (and
# the reauthentication it may ask for, by password or single sign-on), signing out, and
# the files those pages load.
OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/oidc/",
    "/accounts/3rdparty/",
    "/accounts/logout/",
    "/static/",
)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_ROLES
            and request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not is_mfa_enabled(request.user)
        ):
            roles = roles_needing_second_factor(request.user, settings.MFA_REQUIRED_ROLES)
            if roles:
                log_event(
                    "mfa_setup_required",
                    request,
                    level=logging.INFO,
                    account=request.user.pk,
                    roles=sorted(roles),
                )
                messages.info(
                    request,
                    "Your role needs a second factor: add an authenticator app or a passkey "
                    "before going on.",
                )
                return redirect(reverse("mfa_index"))
        return self.get_response(request)
