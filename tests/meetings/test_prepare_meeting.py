"""Preparing the next meeting in one go: the next number, the date from the group's usual
pattern (or the date of next meeting the latest minutes give), the standing agenda items
and expected attendance copied, invitations sent, and the actions due "Next DAG" falling
due on the new meeting's date. The secretariat only: 403 for members, 404 elsewhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import DueKind
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceCategory,
    AttendanceStatus,
    Meeting,
)
from meetings.prepare import suggested_date, usual_gap
from tests.factories import make_action, make_meeting, make_person

pytestmark = pytest.mark.django_db
FOUR_WEEKS = datetime.timedelta(days=28)


@pytest.fixture
def history(dag):
    """DAG027..DAG029 four weeks apart on Wednesdays, ending three weeks ago; DAG029 has
    an agenda, attendance and an action due "Next DAG"."""
    today = timezone.localdate()
    last = today - datetime.timedelta(days=21)
    meetings = [
        make_meeting(dag, number=27 + n, date=last - FOUR_WEEKS * (2 - n)) for n in range(3)
    ]
    dag029 = meetings[-1]
    dag029.start_time, dag029.end_time = datetime.time(10), datetime.time(12)
    dag029.save()
    for number, title in (("1", "Welcome"), ("2", "Review of actions"), ("3", "CR032 decision")):
        AgendaItem.objects.create(
            meeting=dag029, number=number, order=int(number), title=title, minutes="Said."
        )
    chair, member = make_person("Justin Andrews"), make_person("Lee Cox")
    Attendance.objects.create(
        meeting=dag029, person=chair, category=AttendanceCategory.CHAIR, initials="JA"
    )
    Attendance.objects.create(
        meeting=dag029,
        person=member,
        category=AttendanceCategory.INDUSTRY,
        status=AttendanceStatus.APOLOGIES,
        initials="LC",
    )
    next_dag = make_action(dag029, due_kind=DueKind.NEXT_MEETING, due_date=None)
    return dag029, next_dag


def test_the_date_follows_the_groups_usual_pattern_or_the_minutes(dag, history):
    dag029, _ = history

    assert usual_gap(dag) == FOUR_WEEKS
    assert suggested_date(dag, dag029, timezone.localdate()) == dag029.date + FOUR_WEEKS
    dag029.next_meeting_date = dag029.date + datetime.timedelta(days=35)
    assert suggested_date(dag, dag029, timezone.localdate()) == dag029.next_meeting_date


def test_the_form_is_filled_in_from_the_latest_meeting(client, dag, secretariat, history):
    dag029, _ = history
    client.force_login(secretariat)

    content = client.get(reverse("meetings:meeting_prepare", args=["DAG"])).content.decode()

    assert 'value="30"' in content
    assert f'value="{(dag029.date + FOUR_WEEKS):%d/%m/%Y}"' in content
    assert 'value="10:00"' in content
    for title in ("Welcome", "Review of actions", "CR032 decision"):
        assert f"{title}</label>" in content


def test_prepare_copies_standing_items_and_attendance_and_resolves_next_dag(
    client, dag, secretariat, history
):
    dag029, next_dag = history
    standing = list(dag029.agenda_items.filter(number__in=["1", "2"]))
    new_date = dag029.date + FOUR_WEEKS
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:meeting_prepare", args=["DAG"]),
        {
            "number": 30,
            "point": 0,
            "date": new_date.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "venue": "Virtual – MS Teams",
            "classification": "public",
            "items": [item.pk for item in standing],
            "with_attendance": "on",
        },
        follow=True,
    )

    dag030 = Meeting.objects.get(group=dag, number=30)
    assert dag030.date == new_date
    assert [i.title for i in dag030.agenda_items.all()] == ["Welcome", "Review of actions"]
    assert all(not item.minutes for item in dag030.agenda_items.all())
    lines = list(dag030.attendances.order_by("order"))
    assert [line.person.name for line in lines] == ["Justin Andrews", "Lee Cox"]
    assert {line.status for line in lines} == {AttendanceStatus.EXPECTED}
    assert next_dag.deadline() == new_date
    content = response.content.decode()
    assert f"{next_dag.reference}) now due {new_date:%d/%m/%Y}" in content
    dag029.refresh_from_db()
    assert dag029.next_meeting_date == new_date


def test_bad_input_is_kept_and_nothing_is_made(client, dag, secretariat, history):
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:meeting_prepare", args=["DAG"]),
        {"number": 29, "point": 0, "date": "31/02/2030", "venue": "Room 1"},
    )

    assert response.status_code == 200
    assert "DAG029 already exists." in response.content.decode()
    assert 'value="Room 1"' in response.content.decode()
    assert not Meeting.objects.filter(number=30).exists()


def test_only_the_groups_secretariat_may_prepare(client, dag, member, outsider, history):
    url = reverse("meetings:meeting_prepare", args=["DAG"])
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"number": 30}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
