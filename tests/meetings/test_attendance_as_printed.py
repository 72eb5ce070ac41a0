"""Attendance as a paper prints it, entered on the attendance page: a section headed
differently in this paper, a name printed differently from the person's (kept linked to
them, no second person), a "(Chair)" note, initials printed for apologies, and a deputy
new to the tracker created from their attendance line. The minutes page and PDF print
the lines as the paper does."""

import datetime

import pytest
from django.urls import reverse

from core.models import Person, Role
from core.versions import record_version
from meetings.models import (
    Attendance,
    AttendanceCategory,
    AttendanceHeading,
    AttendanceStatus,
    MeetingStatus,
)
from tests.factories import make_group, make_meeting, make_person, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def dag29(dag):
    return make_meeting(dag, number=29, date=datetime.date(2023, 10, 11), status=MeetingStatus.HELD)


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("pmo", group=dag, role=Role.SECRETARIAT))
    return client


def line(meeting, name, category, status=AttendanceStatus.PRESENT, **fields):
    return Attendance.objects.create(
        meeting=meeting,
        person=make_person(name),
        category=category,
        status=status,
        **fields,
    )


def line_data(attendance, **changes):
    fields = {
        "status": attendance.status,
        "category": attendance.category,
        "role": attendance.role,
        "printed_name": attendance.printed_name,
        "initials": attendance.initials,
        "note": attendance.note,
        "on_behalf_of": attendance.on_behalf_of_id or "",
        "version": record_version(attendance),
        **changes,
    }
    return {f"line-{attendance.pk}-{name}": value for name, value in fields.items()}


def attendance_url(meeting, view="attendance"):
    return reverse(f"meetings:{view}", args=[meeting.pk])


def test_names_notes_and_apologies_initials_as_printed(pmo, dag29):
    chair = line(dag29, "Justin Andrews", AttendanceCategory.CHAIR, role="Chair", order=1)
    absent = line(
        dag29,
        "Caroline Farquhar",
        AttendanceCategory.INDUSTRY,
        AttendanceStatus.APOLOGIES,
        role="Consumer Representative",
        order=2,
    )
    people = Person.objects.count()

    response = pmo.post(
        attendance_url(dag29),
        {
            **line_data(chair, note="(Chair)"),
            **line_data(absent, printed_name="Caroline Farqhuar", initials="CF"),
        },
    )
    assert response.status_code == 302
    headings = pmo.post(
        attendance_url(dag29, "attendance_headings"),
        {"programme": "", "apologies": "Apologies received", "apologies_initials": "on"},
    )
    assert headings.status_code == 302

    absent.refresh_from_db()
    assert absent.printed_name == "Caroline Farqhuar"
    assert absent.person.name == "Caroline Farquhar"  # the person keeps their name
    assert Person.objects.count() == people  # and no second person
    chair.refresh_from_db()
    assert chair.note == "Chair"
    page = pmo.get(reverse("meetings:minutes_document", args=[dag29.pk])).content.decode()
    assert f'<a href="{absent.person.get_absolute_url()}">Caroline Farqhuar</a> (CF)' in page
    assert f'<a href="{chair.person.get_absolute_url()}">Justin Andrews</a> (Chair)' in page
    text = page_text(pmo, dag29)
    assert "Apologies received Role Caroline Farqhuar (CF) Consumer Representative" in text
    pdf = pdf_text(dag29)
    assert "Justin Andrews (Chair)" in pdf
    assert "Caroline Farqhuar (CF)" in pdf
    assert "Apologies received" in pdf
    overview = pmo.get(dag29.get_absolute_url()).content.decode()
    assert "Caroline Farqhuar</a> (CF)" in overview


def test_apologies_print_without_initials_unless_the_paper_gives_them(pmo, dag29):
    line(
        dag29,
        "Caroline Farquhar",
        AttendanceCategory.INDUSTRY,
        AttendanceStatus.APOLOGIES,
        role="Consumer",
        initials="CF",
    )
    assert "Caroline Farquhar (CF)" not in pdf_text(dag29)
    assert "Role Caroline Farquhar Consumer" in page_text(pmo, dag29)


def test_a_section_headed_differently_in_this_paper(pmo, dag29):
    line(dag29, "Paul Pettitt", AttendanceCategory.PROGRAMME, role="Design Lead", initials="PP")

    response = pmo.post(
        attendance_url(dag29, "attendance_headings"),
        {"programme": " MHHS   Programme ", "other": "Other Attendees"},
    )

    assert response.status_code == 302
    held = AttendanceHeading.objects.get(meeting=dag29)  # the usual "Other Attendees" is not kept
    assert (held.section, held.heading) == ("programme", "MHHS Programme")
    assert "MHHS Programme Role Paul Pettitt (PP) Design Lead" in page_text(pmo, dag29)
    assert "MHHS Programme" in pdf_text(dag29)
    # Blank again: the group's usual label.
    pmo.post(attendance_url(dag29, "attendance_headings"), {"programme": ""})
    assert not AttendanceHeading.objects.exists()
    assert "MHHS Role Paul Pettitt (PP)" in page_text(pmo, dag29)


def test_a_heading_too_long_is_refused_at_its_field_with_nothing_saved(pmo, dag29):
    response = pmo.post(
        attendance_url(dag29, "attendance_headings"),
        {"programme": "MHHS Programme", "other": "x" * 101, "apologies_initials": "on"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="heading_other_error"' in content
    assert "at most 100 characters" in content
    assert 'value="MHHS Programme"' in content
    assert not AttendanceHeading.objects.exists()
    dag29.refresh_from_db()
    assert not dag29.apologies_initials


def test_a_deputy_new_to_the_tracker_is_created_from_the_attendance_line(pmo, dag, dag29):
    donna = make_person("Donna Jamieson")
    donna.memberships.create(group=dag, role=Role.MEMBER, constituency="iDNO Representative")

    response = pmo.post(
        attendance_url(dag29, "attendance_add_guest"),
        {
            "name": "Morven Hunter",
            "organisation": "SSEN",
            "category": AttendanceCategory.INDUSTRY,
            "role": "iDNO Representative",
            "initials": "MHu",
            "on_behalf_of": donna.pk,
            "part_meeting": "on",
        },
    )

    assert response.status_code == 302
    morven = Person.objects.get(name="Morven Hunter")
    assert not morven.memberships.exists()  # not a member of the group
    attendance = Attendance.objects.get(meeting=dag29, person=morven)
    assert attendance.on_behalf_of == donna
    assert attendance.initials == "MHu"
    expected = "Morven Hunter (MHu) (on behalf of Donna Jamieson) (part meeting)"
    assert expected in page_text(pmo, dag29)
    assert expected in pdf_text(dag29)


def test_a_deputy_for_nobody_known_is_refused_at_the_field_with_nobody_created(pmo, dag29):
    stranger = make_person("Not In The Group")

    response = pmo.post(
        attendance_url(dag29, "attendance_add_guest"),
        {
            "name": "Morven Hunter",
            "category": AttendanceCategory.INDUSTRY,
            "on_behalf_of": stranger.pk,
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="guest_on_behalf_of_error"' in content
    assert 'value="Morven Hunter"' in content
    assert not Person.objects.filter(name="Morven Hunter").exists()


def test_only_the_secretariat_sets_the_headings(client, dag, dag29):
    client.force_login(make_user("member", group=dag, role=Role.MEMBER))
    response = client.post(attendance_url(dag29, "attendance_headings"), {"programme": "X"})
    assert response.status_code == 403
    client.force_login(make_user("psg", group=make_group("PSG"), role=Role.SECRETARIAT))
    response = client.post(attendance_url(dag29, "attendance_headings"), {"programme": "X"})
    assert response.status_code == 404
    assert not AttendanceHeading.objects.exists()


def test_a_blank_classification_prints_blank(pmo, dag29):
    dag29.classification = ""
    dag29.save()
    assert "Classification Attendees" in page_text(pmo, dag29)
