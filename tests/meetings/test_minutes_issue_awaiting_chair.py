"""Issuing minutes while a decision of the meeting still awaits the chair asks the
secretariat to confirm, and the issued minutes say the decision is awaiting approval
(issue 24, item 5)."""

import datetime

import pytest
from django.urls import reverse

from core.models import Role
from decisions.models import Decision, DecisionStatus
from meetings.models import MeetingStatus
from tests.factories import make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    dag = make_group("DAG", name="Design Advisory Group")
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    meeting = make_meeting(
        dag, number=29, date=datetime.date(2023, 10, 11), status=MeetingStatus.MINUTES_DRAFT
    )
    Decision.objects.create(
        reference="DAG-DEC78",
        group=dag,
        meeting=meeting,
        area="CR032",
        wording="CR032 to go to Impact Assessment",
        status=DecisionStatus.PROPOSED,
    )
    return meeting


def test_issuing_asks_to_confirm_while_a_decision_awaits_the_chair(client, setup):
    meeting = setup
    url = reverse("meetings:minutes_document", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "DAG-DEC78 is still awaiting the chair&#x27;s approval." in page
    assert 'name="confirm_awaiting"' in page

    issue = reverse("meetings:minutes_issue", args=[meeting.pk])
    response = client.post(issue, follow=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_DRAFT  # nothing issued
    assert not meeting.minutes_issues.exists()
    assert "Tick the box to issue the minutes" in response.content.decode()

    client.post(issue, {"confirm_awaiting": "1"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_ISSUED
    minutes = client.get(url).content.decode()
    assert "DAG-DEC78" in minutes and "Awaiting approval" in minutes


def test_no_question_when_every_decision_is_decided(client, setup):
    meeting = setup
    Decision.objects.update(
        status=DecisionStatus.APPROVED,
        decided_at=datetime.datetime(2023, 10, 11, 10, tzinfo=datetime.UTC),
    )
    page = client.get(reverse("meetings:minutes_document", args=[meeting.pk])).content.decode()
    assert 'name="confirm_awaiting"' not in page
    client.post(reverse("meetings:minutes_issue", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_ISSUED
