"""/healthz: database and broker health, for docker-compose and load-balancer checks, and
the work that stalled (documents not rendered, emails not sent), for people."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from documents.services import stalled_documents
from notifications.models import OutboundEmail

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


def _stalled_emails():
    # resend_pending queues a pending email again after EMAIL_RESEND_AFTER_MINUTES; one
    # still pending after twice that was not sent on the second chance either.
    after = datetime.timedelta(minutes=2 * settings.EMAIL_RESEND_AFTER_MINUTES)
    return OutboundEmail.objects.pending().filter(created_at__lt=timezone.now() - after)


def _stalled(queryset) -> str:
    count = queryset.count()
    return f"{count} stalled" if count else "ok"


@login_not_required
@never_cache
def healthz(request):
    """Anyone, without login: reports "ok" or the failing part, with 503 when the database
    or the broker fails. Stalled documents and emails are reported ("3 stalled") but keep
    the status 200: the app still serves, and a restart would not help them."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # any failure means unhealthy; say which and why
            checks[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    for name, stalled in (("documents", stalled_documents), ("emails", _stalled_emails)):
        try:
            checks[name] = _stalled(stalled())
        except Exception as exc:  # the database check above says why
            checks[name] = f"error: {exc.__class__.__name__}"
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )
