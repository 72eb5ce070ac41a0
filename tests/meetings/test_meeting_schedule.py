"""The meetings list (upcoming, held, minutes against the publication deadline), scheduling
the next meeting of a group, and editing a meeting's details."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.versions import record_version
from core.workdays import add_working_days
from meetings.models import Meeting, MeetingStatus, MinutesEvent, MinutesEventKind
from meetings.services import publication, suggested_number
from tests.factories import make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group")


@pytest.fixture
def pmo_client(client, dag):
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    return client


def schedule_url(code="DAG"):
    return reverse("meetings:meeting_create", args=[code])


def test_the_next_number_is_suggested(pmo_client, dag):
    make_meeting(dag, number=29)
    make_meeting(dag, number=10, point=1)
    assert suggested_number(dag) == 30
    page = pmo_client.get(schedule_url()).content.decode()
    assert 'value="30"' in page
    assert "30 makes DAG030, the meeting after DAG029." in page


def test_the_first_meeting_of_a_group_is_number_one(pmo_client, dag):
    page = pmo_client.get(schedule_url()).content.decode()
    assert 'value="1"' in page and "1 makes DAG001, the group&#x27;s first meeting." in page


def test_schedule_a_meeting(pmo_client, dag):
    dag029 = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))

    response = pmo_client.post(
        schedule_url(),
        {
            "number": "30",
            "point": "0",
            "date": "08/11/2023",
            "start_time": "10:00",
            "end_time": "13:00",
            "venue": "Virtual – MS Teams",
            "classification": "public",
        },
    )

    meeting = Meeting.objects.get(group=dag, number=30)
    assert response["Location"] == meeting.get_absolute_url()
    assert (meeting.date, meeting.status) == (datetime.date(2023, 11, 8), MeetingStatus.PLANNED)
    dag029.refresh_from_db()
    assert dag029.next_meeting_date == meeting.date
    assert dag029.next_meeting_time == datetime.time(10)


def test_a_taken_number_and_bad_times_are_refused_keeping_the_input(pmo_client, dag):
    make_meeting(dag, number=29)
    response = pmo_client.post(
        schedule_url(),
        {
            "number": "29",
            "point": "0",
            "date": "2023-11-08",
            "start_time": "13:00",
            "end_time": "10:00",
            "venue": "Elexon, 350 Euston Road",
            "classification": "public",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "DAG029 already exists." in content
    assert "The meeting must end after it starts." in content
    assert 'value="Elexon, 350 Euston Road"' in content
    assert Meeting.objects.count() == 1


def test_only_the_secretariat_schedules(client, dag):
    client.force_login(make_user(group=dag, role=Role.CHAIR))
    assert client.get(schedule_url()).status_code == 403
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert client.post(schedule_url(), {"number": "1"}).status_code == 404
    assert not Meeting.objects.exists()


def test_edit_the_details_and_the_next_meeting(pmo_client, dag):
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    response = pmo_client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "date": "11/10/2023",
            "venue": "Virtual – MS Teams",
            "classification": "public",
            "status": MeetingStatus.HELD,
            "next_meeting_date": "10/10/2023",
            "version": record_version(meeting),
        },
    )
    assert "The next meeting must be after this one." in response.content.decode()
    response = pmo_client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "date": "11/10/2023",
            "venue": "Virtual – MS Teams",
            "classification": "public",
            "status": MeetingStatus.HELD,
            "next_meeting_date": "08/11/2023",
            "next_meeting_time": "10:00",
            "version": record_version(meeting),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.next_meeting_date) == ("held", datetime.date(2023, 11, 8))


def test_issue_is_not_a_status_to_pick_by_hand(pmo_client, dag):
    meeting = make_meeting(dag, number=29)
    response = pmo_client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "date": "11/10/2023",
            "classification": "public",
            "status": MeetingStatus.MINUTES_ISSUED,
        },
    )
    assert "Select a valid choice." in response.content.decode()


def test_list_shows_upcoming_and_held_with_days_left_to_publish(pmo_client, dag):
    today = timezone.localdate()
    upcoming = make_meeting(dag, number=40, date=today + datetime.timedelta(days=20))
    due = make_meeting(dag, number=39, date=today - datetime.timedelta(days=1))
    late = make_meeting(dag, number=38, date=today - datetime.timedelta(days=60))
    on_time = make_meeting(
        dag,
        number=37,
        date=datetime.date(2023, 10, 11),
        minutes_issue_date=datetime.date(2023, 10, 18),
        status=MeetingStatus.MINUTES_ISSUED,
    )

    content = pmo_client.get(reverse("meetings:meeting_list"), {"group": "DAG"}).content.decode()

    upcoming_section, held_section = content.split('id="held-heading"')
    assert upcoming.code in upcoming_section and due.code not in upcoming_section
    assert due.code in held_section and late.code in held_section
    assert "working days left" in held_section or "working day left" in held_section
    assert "Late</span>" in held_section
    assert "Published 18/10/2023</span>" in held_section
    assert on_time.code in held_section
    assert "Schedule a DAG meeting" in content


def test_publication_is_judged_on_the_first_issue(dag):
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    assert add_working_days(meeting.date, 10) == datetime.date(2023, 10, 25)
    # Held on 11/10/2023; minutes due by 25/10/2023.
    assert publication(meeting, datetime.date(2023, 10, 24)).working_days_left == 1
    assert publication(meeting, datetime.date(2023, 10, 26)).state == "late"
    meeting.minutes_issue_date = datetime.date(2023, 11, 20)  # reissued after a reopen
    meeting.status = MeetingStatus.MINUTES_ISSUED
    meeting.save()
    event = MinutesEvent.objects.create(meeting=meeting, kind=MinutesEventKind.ISSUED)
    MinutesEvent.objects.filter(pk=event.pk).update(
        at=datetime.datetime(2023, 10, 18, 9, tzinfo=datetime.UTC)
    )
    annotated = Meeting.objects.with_first_issue().get(pk=meeting.pk)
    result = publication(annotated, datetime.date(2023, 12, 1))
    assert (result.state, result.published_on) == ("met", datetime.date(2023, 10, 18))


def test_bank_holidays_do_not_count(dag):
    # Held Thursday 21/12/2023: Christmas Day, Boxing Day and New Year's Day are skipped.
    meeting = make_meeting(dag, number=31, date=datetime.date(2023, 12, 21))
    assert publication(meeting, meeting.date).deadline == datetime.date(2024, 1, 9)
