"""The email update page shows the status the owner just recorded, not the default
(issue 24, item 5)."""

import re

import pytest
from django.urls import reverse

from actions.models import ActionStatus
from actions.reminders import update_token
from tests.factories import make_action, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db


def checked_status(page):
    return re.search(r'<input type="radio" name="status" value="(\w+)"[^>]*checked', page)[1]


def test_the_page_shows_the_status_just_recorded(client):
    owner = make_person("Paul Pettitt", email="paul@example.org")
    action = make_action(make_meeting(make_group("DAG")), owners=[owner])
    url = reverse("email:action_update", args=[update_token(owner.pk, action.pk)])
    assert checked_status(client.get(url).content.decode()) == ActionStatus.ONGOING

    client.post(url, {"text": "Paper circulated.", "status": ActionStatus.RECOMMEND_CLOSED})
    page = client.get(url).content.decode()
    assert checked_status(page) == ActionStatus.RECOMMEND_CLOSED
