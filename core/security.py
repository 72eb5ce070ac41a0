"""The security log and the client's address.

Security events (failed logins, throttling, permission refusals, use of the links in
emails, password resets) go to the `security` logger as one JSON object a line:
{"event": "login_failed", "time": "...", "ip": "...", "path": "...", "user": "...", ...},
so a PMO can read them or feed them to a log tool (SECURITY_LOG_FILE in the README).
"""

import json
import logging

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("security")


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies, the
    address the outermost trusted proxy saw. Each proxy appends the address it received
    the request from to X-Forwarded-For, so only the last TRUSTED_PROXY_COUNT entries
    were written by our proxies; anything to their left is whatever the client sent."""
    trusted = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < trusted:
        # Fewer entries than proxies: the request did not come through all of them.
        return forwarded[0] if forwarded else remote
    return forwarded[-trusted]


def log_event(event: str, request=None, *, level=logging.WARNING, **fields) -> None:
    """Write one security event: its name, when, and, with a request, the client's
    address, the path and the logged-in user; `fields` add what the event is about."""
    record = {"event": event, "time": timezone.now().isoformat(timespec="seconds")}
    if request is not None:
        user = getattr(request, "user", None)
        record.update(
            ip=client_ip(request),
            path=request.path,
            method=request.method,
            user=user.get_username() if user is not None and user.is_authenticated else None,
        )
    record.update(fields)
    logger.log(level, json.dumps(record, default=str, sort_keys=False))
