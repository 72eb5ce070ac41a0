"""Project middleware."""

import logging

from django.shortcuts import render

from core.security import log_event
from core.storage import StoreUnavailable, store_down

logger = logging.getLogger(__name__)


def log_refusals(get_response):
    """Write each refused request (403: a permission check, a CSRF failure) to the
    security log, with who asked for what."""

    def middleware(request):
        response = get_response(request)
        if response.status_code == 403:
            log_event("permission_denied", request, status=403)
        return response

    return middleware


class StoreUnavailablePage:
    """A file store that is down (core/storage.py) answers with a page saying so, 503,
    instead of a server error: downloads and uploads wait for the store, nothing else
    does. The error is logged by its kind and text, which never carry the store's keys."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not store_down(exception):
            return None
        logger.warning(
            "File store unavailable at %s: %s: %s",
            request.path,
            type(exception).__name__,
            exception,
        )
        return render(
            request, "store_unavailable.html", {"message": StoreUnavailable.message}, status=503
        )
