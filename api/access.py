"""Who may do what through the API: the answer of core/permissions.py, the module the pages
ask, so a user reads and changes through the API exactly what the pages let them.

- Every request needs a user (a token or the browser's session): else 401.
- A read-only token reads only: any other method is 403.
- A record of a group the user cannot read is 404, as on the pages; one they may read but
  not change as asked is 403 (RecordPermission, checked by the views' get_object()).
"""

from django.conf import settings
from rest_framework import permissions, throttling

from core.permissions import Perm, user_can

from .models import ApiToken


class TokenScope(permissions.BasePermission):
    """A read-only token may only read."""

    message = "This token is read-only."

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True


class RecordPermission(permissions.BasePermission):
    """May the user do what the view's action needs to this record? The view names the
    Perm of each action in `record_perms` (reading needs Perm.VIEW); core.permissions
    decides."""

    message = "You may not do this to this record."

    def has_object_permission(self, request, view, obj):
        perm = getattr(view, "record_perms", {}).get(view.action, Perm.VIEW)
        return user_can(request.user, perm, obj)


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (per user for the browser's session), counted in the cache shared
    by every web process; the rate is API_RATE (README)."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
