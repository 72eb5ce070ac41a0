"""/healthz: the check docker compose and load balancers use, with no login."""

import datetime
import time

import pytest
from django.utils import timezone

from documents.models import Document, DocumentStatus
from mhhs_gov.celery import app as celery_app
from notifications.models import EmailKind, EmailStatus, OutboundEmail
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db

# A Redis database of its own, so the tests never touch data of a local app.
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def broker_url(monkeypatch):
    """Points the Celery app, configured once at import, at another broker for one test."""

    def use(url):
        monkeypatch.setattr(celery_app.conf, "broker_url", url)

    return use


def test_healthy_with_database_and_redis(client, broker_url):
    broker_url(REDIS_URL)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "documents": "ok",
        "emails": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_broker_down_is_503_and_fast(client, broker_url):
    broker_url("redis://127.0.0.1:1/0")  # nothing listens on port 1

    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")
    assert elapsed < 1.5, f"took {elapsed:.1f}s: a health check must not retry the broker"


def test_answers_plain_http_when_https_is_enforced(client, settings):
    """Health checks call plain http inside the network; they must not get a redirect."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def _document(meeting, version, **fields):
    return Document.objects.create(
        kind="minutes", scope=f"meeting:{meeting.pk}", meeting=meeting, version=version, **fields
    )


def _email(number, **fields):
    return OutboundEmail.objects.create(
        key=f"health-{number}",
        message_id=f"<health-{number}@test>",
        kind=EmailKind.DIGEST,
        to_address="someone@example.org",
        subject="Digest",
        body_text="Text",
        **fields,
    )


def test_stalled_documents_and_emails_are_reported_with_status_200(client, broker_url, settings):
    """A render queued or rendering for minutes, or an email still pending after it was
    queued again, is named; the app still serves, so the status stays 200."""
    broker_url(REDIS_URL)
    now = timezone.now()
    meeting = make_meeting(make_group("TG"))
    # Stalled: never started after 6 minutes; rendering for 4 minutes.
    _document(meeting, 1, status=DocumentStatus.QUEUED)
    _document(meeting, 2, status=DocumentStatus.RENDERING, started_at=now)
    _document(meeting, 3, status=DocumentStatus.RENDERING, started_at=now)
    _document(meeting, 4, status=DocumentStatus.QUEUED)  # just asked for: not stalled
    Document.objects.filter(version=1).update(requested_at=now - datetime.timedelta(minutes=6))
    Document.objects.filter(version__in=[2, 3]).update(
        started_at=now - datetime.timedelta(minutes=4)
    )
    settings.EMAIL_RESEND_AFTER_MINUTES = 30
    for number in range(3):
        _email(number)
    _email(3, status=EmailStatus.FAILED)  # failed is reported in the email log, not here
    OutboundEmail.objects.filter(key__in=["health-0", "health-3"]).update(
        created_at=now - datetime.timedelta(minutes=61)
    )

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "documents": "3 stalled",
        "emails": "1 stalled",
    }
