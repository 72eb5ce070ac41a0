"""A calendar feed's secret address never reaches a log (mhhs_gov/log_redaction.py): not the
Django log (a 404 of a reset address, the development server's request lines) and not
gunicorn's access log."""

import datetime
import io
import logging
from types import SimpleNamespace

from django.conf import settings
from django.test import Client
from gunicorn.config import Config

from meetings.calendar_feeds import feed_token, feed_url, reset_feed
from mhhs_gov.log_redaction import GunicornLogger, RedactSecrets, redact

from ..factories import make_user


def test_the_settings_redact_every_console_record():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_secrets"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


def test_a_404_of_a_reset_address_is_logged_without_its_token(db):
    user = make_user()
    feed = reset_feed(user=user)
    old_token = feed_token(feed)
    old_path = feed_url(feed).removeprefix(settings.SITE_URL)
    reset_feed(user=user)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        assert Client().get(old_path).status_code == 404
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert f"Not Found: /calendar/{feed.pk}/[secret]" in logged
    assert old_token not in logged


def test_gunicorn_access_lines_are_redacted():
    secret = "a" * 64
    path = f"/calendar/7/{secret}.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://example.org{path}",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=[("REFERER", f"https://example.org{path}")])
    atoms = GunicornLogger(Config()).atoms(
        response, request, environ, datetime.timedelta(milliseconds=5)
    )
    assert secret not in repr(atoms)
    assert atoms["r"] == "GET /calendar/7/[secret] HTTP/1.1"


def test_redact_leaves_other_addresses_alone():
    assert redact("GET /calendar/reset/ 302") == "GET /calendar/reset/ 302"
    assert redact("GET /meetings/3/ 200") == "GET /meetings/3/ 200"
