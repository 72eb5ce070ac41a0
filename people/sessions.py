"""The sessions a person is signed in with: recorded at login, refreshed while used, ended
after SESSION_IDLE_MINUTES without a request, and ended all at once on request, on a
password change or when the account is deactivated."""

import logging
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

from core.security import client_ip, log_event

from .models import UserSession

# The session's own record of its last request, in seconds since the epoch.
LAST_ACTIVITY = "last_activity"
# Refreshing at most once a minute keeps a burst of requests from writing the session
# (and its row) each time; the idle timeout is then exact to the minute.
REFRESH_SECONDS = 60


def _store(session_key):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def record_session(request, user) -> None:
    """Keep the session just signed in with: the address and browser it came from."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    request.session[LAST_ACTIVITY] = int(time.time())
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip": client_ip(request) or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "last_seen": timezone.now(),
        },
    )


def end_sessions(user, *, keep_key=None) -> int:
    """End every session of `user` (but the one keyed `keep_key`) at once: their session
    data is deleted, so the next request from them is signed out. Returns how many."""
    sessions = UserSession.objects.filter(user=user)
    if keep_key:
        sessions = sessions.exclude(session_key=keep_key)
    keys = list(sessions.values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    sessions.delete()
    return len(keys)


def idle_limit_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


class SessionActivityMiddleware:
    """Signs out a session idle for longer than SESSION_IDLE_MINUTES (0: never), and keeps
    each session's last use for the sessions page. Runs before LoginRequiredMiddleware,
    which then sends the signed-out request to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY)
        limit = idle_limit_seconds()
        if isinstance(last, int) and limit and now - last > limit:
            user = request.user
            UserSession.objects.filter(session_key=request.session.session_key).delete()
            logout(request)
            log_event(
                "session_idle_timeout",
                request,
                level=logging.INFO,
                account=user.pk,
                idle_minutes=(now - last) // 60,
            )
            return
        if not isinstance(last, int) or now - last >= REFRESH_SECONDS:
            request.session[LAST_ACTIVITY] = now
            key = request.session.session_key
            if key:
                updated = UserSession.objects.filter(session_key=key).update(
                    last_seen=timezone.now()
                )
                if not updated:  # signed in before sessions were recorded
                    record_session(request, request.user)
