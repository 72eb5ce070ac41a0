"""A message never suggests an action the reader may not take (issue 24, item 5): on an
issued meeting's action review, an observer is told the minutes are read-only, not to
reopen them; the secretariat is told how to."""

import datetime

import pytest
from django.urls import reverse

from core.models import Role
from meetings.models import MeetingStatus
from tests.factories import make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    dag = make_group("DAG", name="Design Advisory Group")
    return make_meeting(
        dag,
        number=29,
        date=datetime.date(2023, 10, 11),
        status=MeetingStatus.MINUTES_ISSUED,
        minutes_issue_date=datetime.date(2023, 10, 18),
    )


def review_page(client, user, meeting):
    client.force_login(user)
    url = reverse("meetings:action_review", args=[meeting.pk])
    return client.get(url, follow=True).content.decode()


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.MEMBER])
def test_a_reader_is_not_told_to_reopen(client, issued, role):
    page = review_page(client, make_user(group=issued.group, role=role), issued)
    assert "have been issued, so they are read-only" in page
    assert "Reopen them" not in page
    assert "Reopen the minutes" not in page


def test_the_secretariat_is_told_to_reopen(client, issued):
    page = review_page(client, make_user(group=issued.group, role=Role.SECRETARIAT), issued)
    assert "Reopen them (with a reason) to make changes." in page
