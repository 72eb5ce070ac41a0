"""attendance_create_bulk and agenda_items_create_bulk, the paper import's way of writing a
past paper's attendee table and agenda: what attendance_add and an agenda item's save give
(the role from the membership, present, the order, validation, one history row each, the
minutes' mentions) for many at once, in the same few queries however many; a refusal
writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.mentions import naming
from core.models import Membership, Role
from meetings.models import AgendaItem, Attendance, AttendanceStatus
from meetings.services import agenda_items_create_bulk, attendance_create_bulk
from tests.factories import make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db


def test_attendee_lines_as_attendance_add_writes_them():
    meeting = make_meeting(make_group("DAG"), number=29)
    chair, member, deputy, away = (make_person(n) for n in ("Ann Chair", "Ben M", "Cy D", "Di A"))
    Membership.objects.create(
        group=meeting.group, person=member, role=Role.MEMBER, constituency="DNO Representative"
    )
    lines = attendance_create_bulk(
        meeting=meeting,
        lines=[
            {"person": chair, "category": "chair", "role": "Chair", "note": "Chair"},
            {"person": member, "category": "industry", "initials": "BM"},
            {"person": deputy, "category": "industry", "on_behalf_of": member},
            {"person": away, "category": "industry", "status": AttendanceStatus.APOLOGIES},
        ],
    )
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("order"))
    assert rows == lines and [row.order for row in rows] == [1, 2, 3, 4]
    assert [row.role for row in rows] == ["Chair", "DNO Representative", "", ""]
    assert [row.initials for row in rows] == ["", "BM", "", ""]  # as printed: none suggested
    assert [row.status for row in rows] == [AttendanceStatus.PRESENT] * 3 + ["apologies"]
    assert rows[2].on_behalf_of == member
    assert [row.history.count() for row in rows] == [1, 1, 1, 1]


def test_an_attendee_the_model_refuses_writes_nothing():
    meeting = make_meeting(make_group("DAG"), number=29)
    ann = make_person("Ann Lee")
    with pytest.raises(ValidationError) as refused:
        attendance_create_bulk(
            meeting=meeting,
            lines=[
                {"person": make_person("Bo"), "category": "industry"},
                {"person": ann, "category": "industry", "on_behalf_of": ann},
            ],
        )
    assert "cannot attend on their own behalf" in str(refused.value)
    with pytest.raises(ValidationError, match="Listed twice among the attendees: Ann Lee"):
        attendance_create_bulk(
            meeting=meeting,
            lines=[{"person": ann, "category": "industry"}] * 2,
        )
    assert not Attendance.objects.exists()


def test_agenda_items_with_history_and_mentions_in_the_same_queries_however_many():
    meeting = make_meeting(make_group("DAG"), number=29)

    def items(first, count):
        return [
            {"number": str(n), "order": n, "title": f"Item {n}", "minutes": "See CR032."}
            for n in range(first, first + count)
        ]

    agenda_items_create_bulk(meeting=meeting, items=items(1, 1))  # content types cached
    with CaptureQueriesContext(connection) as few:
        agenda_items_create_bulk(meeting=meeting, items=items(2, 2))
    with CaptureQueriesContext(connection) as many:
        written = agenda_items_create_bulk(meeting=meeting, items=items(4, 12))
    assert len(many) == len(few)
    assert [item.number for item in written] == [str(n) for n in range(4, 16)]
    assert AgendaItem.history.filter(meeting=meeting).count() == 15
    assert len(naming("CR032", AgendaItem)) == 15

    with pytest.raises(ValidationError) as refused:
        agenda_items_create_bulk(meeting=meeting, items=[{"number": "20", "title": ""}])
    assert refused.value.messages[0].startswith("Agenda item “20. ”: ")
    assert not AgendaItem.objects.filter(number="20").exists()


def test_attendance_in_the_same_queries_however_many():
    group = make_group("DAG")
    first, few_meeting, many_meeting = (make_meeting(group, number=n) for n in (1, 2, 3))
    people = [make_person(f"Person {n}") for n in range(20)]

    def lines(count):
        return [{"person": person, "category": "industry"} for person in people[:count]]

    attendance_create_bulk(meeting=first, lines=lines(1))  # content types cached
    with CaptureQueriesContext(connection) as few:
        attendance_create_bulk(meeting=few_meeting, lines=lines(2))
    with CaptureQueriesContext(connection) as many:
        attendance_create_bulk(meeting=many_meeting, lines=lines(20))
    assert len(many) == len(few)
