"""Project middleware."""

from core.security import log_event


def log_refusals(get_response):
    """Write each refused request (403: a permission check, a CSRF failure) to the
    security log, with who asked for what."""

    def middleware(request):
        response = get_response(request)
        if response.status_code == 403:
            log_event("permission_denied", request, status=403)
        return response

    return middleware
