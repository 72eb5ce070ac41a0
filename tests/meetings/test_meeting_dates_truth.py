"""What the app says about meeting dates is true (issue 24, item 5): scheduling the next
meeting sets the previous meeting's "date of next meeting" (issued minutes keep what they
printed and the meeting page notes the later date); correcting a meeting's date moves the
date raised of the actions raised there; an owner is never blocked from updating by a date
raised in the future."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from core.models import Role
from core.versions import record_version
from meetings.models import Meeting, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group")


@pytest.fixture
def pmo(dag):
    return make_user(group=dag, role=Role.SECRETARIAT)


def schedule(client, number, date):
    return client.post(
        reverse("meetings:meeting_create", args=["DAG"]),
        {
            "number": str(number),
            "point": "0",
            "date": f"{date:%d/%m/%Y}",
            "start_time": "10:00",
            "end_time": "12:00",
            "venue": "Virtual – MS Teams",
            "classification": "public",
        },
    )


def test_scheduling_sets_the_date_of_next_meeting_of_the_one_before(client, dag, pmo):
    older = make_meeting(dag, number=28, date=datetime.date(2023, 9, 13))
    previous = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    client.force_login(pmo)
    assert schedule(client, 30, datetime.date(2023, 11, 8)).status_code == 302
    previous.refresh_from_db()
    older.refresh_from_db()
    assert previous.next_meeting_date == datetime.date(2023, 11, 8)
    assert older.next_meeting_date is None  # only the meeting just before


def test_issued_minutes_keep_their_date_and_the_page_notes_the_later_one(client, dag, pmo):
    issued = make_meeting(
        dag,
        number=29,
        date=datetime.date(2023, 10, 11),
        status=MeetingStatus.MINUTES_ISSUED,
        minutes_issue_date=datetime.date(2023, 10, 18),
        next_meeting_date=datetime.date(2023, 11, 8),
    )
    client.force_login(pmo)
    assert schedule(client, 30, datetime.date(2023, 11, 15)).status_code == 302
    issued.refresh_from_db()
    assert issued.next_meeting_date == datetime.date(2023, 11, 8)  # as printed
    page = client.get(issued.get_absolute_url()).content.decode()
    assert "DAG030</a> was later scheduled for 15/11/2023" in page

    # Once the dates agree, no note.
    Meeting.objects.filter(number=30).update(date=datetime.date(2023, 11, 8))
    assert "later scheduled" not in client.get(issued.get_absolute_url()).content.decode()


def test_correcting_the_date_moves_the_date_raised_of_its_actions(client, dag, pmo):
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 12))
    raised_there = make_action(meeting, date_raised=datetime.date(2023, 10, 12))
    raised_later = make_action(meeting, date_raised=datetime.date(2023, 10, 20))
    client.force_login(pmo)
    response = client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "date": "11/10/2023",
            "venue": "Virtual – MS Teams",
            "classification": "public",
            "status": MeetingStatus.HELD,
            "version": record_version(meeting),
        },
    )
    assert response.status_code == 302
    raised_there.refresh_from_db()
    raised_later.refresh_from_db()
    assert raised_there.date_raised == datetime.date(2023, 10, 11)
    assert raised_later.date_raised == datetime.date(2023, 10, 20)  # its own date
    assert raised_there.history.first().date_raised == datetime.date(2023, 10, 11)


def test_an_owner_is_not_blocked_by_a_date_raised_in_the_future(client, dag):
    member = make_user(group=dag, role=Role.MEMBER)
    today = timezone.localdate()
    meeting = make_meeting(dag, number=29, date=today - datetime.timedelta(days=7))
    action = make_action(meeting, date_raised=today + datetime.timedelta(days=3))
    action.ownerships.create(person=member.person)
    client.force_login(member)
    response = client.post(
        reverse("actions:action_update", args=[action.reference]),
        {"date": f"{today:%d/%m/%Y}", "text": "Started on it.", "status": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Action.objects.get(pk=action.pk).updates.get().text == "Started on it."
