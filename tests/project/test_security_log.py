"""The security log: refused requests (403) are written as JSON lines with who asked for
what; logins, throttling, link use and resets are tested with their features."""

import io
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import ActionUpdate
from core.security import log_event
from notifications.preferences import preferences_token
from tests.factories import make_action, make_meeting

pytestmark = pytest.mark.django_db


def test_a_refused_post_is_logged_and_writes_nothing(client, dag, observer, security_log):
    action = make_action(make_meeting(dag))
    client.force_login(observer)

    response = client.post(
        reverse("actions:action_update", args=[action.reference]),
        {"text": "Done", "date": "01/06/2024", "status": "ongoing"},
        REMOTE_ADDR="198.51.100.4",
    )

    assert response.status_code == 403
    assert not ActionUpdate.objects.exists()
    (event,) = security_log.named("permission_denied")
    assert event["user"] == "observer" and event["ip"] == "198.51.100.4"
    assert event["path"] == f"/actions/{action.reference}/update/" and event["method"] == "POST"


def test_a_csrf_failure_is_logged(dag, member, security_log):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    assert browser.post("/accounts/logout/").status_code == 403
    assert security_log.named("permission_denied")[0]["user"] == "member"


def test_each_event_is_one_json_line():
    """What a PMO reads: one JSON object a line, event first."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    try:
        log_event("login_failed", username="lee")
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue().splitlines()[0]
    assert json.loads(line)["event"] == "login_failed" and line.startswith('{"event": ')


def test_use_of_a_preferences_link_is_logged(client, member, security_log):
    client.get("/email/preferences/forged/", REMOTE_ADDR="203.0.113.7")
    url = reverse("email:preferences", args=[preferences_token(member.person.pk)])
    client.post(url, {"daily_digest": "off"}, REMOTE_ADDR="203.0.113.7")

    invalid, used = security_log.events
    assert invalid["event"] == "preferences_link_invalid" and invalid["ip"] == "203.0.113.7"
    assert used["event"] == "preferences_link_used" and used["person"] == member.person.pk
