"""/healthz: database and broker health, for docker-compose and load-balancer checks."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker():
    # One attempt with short socket timeouts: a health check must answer within seconds,
    # not wait out the back-off and retries a worker uses to ride out a broker restart.
    with celery_app.connection_for_write(
        transport_options={"socket_connect_timeout": 2, "socket_timeout": 2}
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=2)


@login_not_required
@never_cache
def healthz(request):
    """Anyone, without login: reports "ok" or the failing part, with 503 when unhealthy."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # any failure means unhealthy; say which and why
            checks[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )
