"""/healthz: the check docker compose and load balancers use, with no login."""

import time

import pytest

from mhhs_gov.celery import app as celery_app

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
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
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
