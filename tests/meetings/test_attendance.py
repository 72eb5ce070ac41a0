"""Recording who attended: members added in one click, lines saved together, guests added
without leaving the page, clashing initials flagged."""

import datetime
import re

import pytest
from django.test import TestCase
from django.urls import reverse

from core.models import Membership, Organisation, Person, Role
from core.versions import record_version
from meetings.models import Attendance, AttendanceCategory, AttendanceStatus, MeetingStatus
from meetings.services import category_for
from tests.factories import make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def secretariat(secretariat):
    """The shared secretariat (tests/conftest.py), on the programme's staff."""
    secretariat.person.organisation = Organisation.objects.get_or_create(
        name="MHHS Programme", short_name="MHHS"
    )[0]
    secretariat.person.save()
    return secretariat


@pytest.fixture
def meeting(dag):
    return make_meeting(dag, number=30, date=datetime.date(2023, 11, 8))


@pytest.fixture
def pmo_client(client, secretariat):
    client.force_login(secretariat)
    return client


def url(meeting, name="attendance"):
    return reverse(f"meetings:{name}", args=[meeting.pk])


def member(dag, name, role=Role.MEMBER, constituency="", organisation=None):
    person = make_person(name, organisation=organisation)
    Membership.objects.create(group=dag, person=person, role=role, constituency=constituency)
    return person


def line_data(line, **changes):
    """The posted fields of one attendance line, as the page sends them."""
    data = {
        "status": line.status,
        "category": line.category,
        "role": line.role,
        "initials": line.initials,
        "on_behalf_of": line.on_behalf_of_id or "",
        "version": record_version(line),
    }
    if line.part_meeting:
        data["part_meeting"] = "on"
    data.update(changes)
    return {f"line-{line.pk}-{key}": value for key, value in data.items() if value is not None}


def test_members_are_added_as_expected_in_the_minutes_sections(pmo_client, dag, meeting):
    programme = Organisation.objects.get(short_name="MHHS")
    member(dag, "Justin Andrews", Role.CHAIR, "Chair")
    member(dag, "Seth Chapman", constituency="Supplier Agent Representative")
    member(dag, "Sean Cooper", constituency="Design Team", organisation=programme)
    member(dag, "Danielle Walton", Role.OBSERVER, "Ofgem")
    gone = member(dag, "Old Member")
    Membership.objects.filter(person=gone).update(active=False)

    response = pmo_client.post(url(meeting, "attendance_add_members"))

    assert response.status_code == 302
    lines = {line.person.name: line for line in meeting.attendances.select_related("person")}
    assert {name: line.category for name, line in lines.items()} == {
        "Justin Andrews": AttendanceCategory.CHAIR,
        "Seth Chapman": AttendanceCategory.INDUSTRY,
        "Sean Cooper": AttendanceCategory.PROGRAMME,
        "Fraser Mathieson": AttendanceCategory.PROGRAMME,
        "Danielle Walton": AttendanceCategory.OTHER,
    }
    assert {line.status for line in lines.values()} == {AttendanceStatus.EXPECTED}
    assert lines["Seth Chapman"].role == "Supplier Agent Representative"
    assert lines["Fraser Mathieson"].role == "Secretariat"
    assert lines["Seth Chapman"].initials == "SC"
    ordered = [line.person.name for line in meeting.attendances.order_by("order")]
    assert ordered[0] == "Justin Andrews" and ordered[-1] == "Danielle Walton"

    # A second click adds nobody twice.
    pmo_client.post(url(meeting, "attendance_add_members"))
    assert meeting.attendances.count() == 5


def test_someone_who_is_chair_and_member_is_listed_once_as_chair(dag, meeting, pmo_client):
    person = member(dag, "Justin Andrews", Role.MEMBER)
    Membership.objects.create(group=dag, person=person, role=Role.CHAIR, constituency="Chair")
    pmo_client.post(url(meeting, "attendance_add_members"))
    assert meeting.attendances.get(person=person).category == AttendanceCategory.CHAIR


def test_category_for_a_member_of_another_employer_is_industry(dag):
    person = member(
        dag, "Riccardo Lampini", organisation=Organisation.objects.create(name="Elexon")
    )
    assert category_for(person.memberships.get()) == AttendanceCategory.INDUSTRY


def test_suggested_initials_never_clash_within_the_meeting(pmo_client, dag, meeting):
    member(dag, "Seth Chapman")
    member(dag, "Sean Cooper")
    pmo_client.post(url(meeting, "attendance_add_members"))
    guest = make_person("Sam Cole")
    pmo_client.post(url(meeting, "attendance_add_person"), {"person": guest.pk})

    initials = dict(meeting.attendances.values_list("person__name", "initials"))
    scs = [initials[name] for name in ("Sean Cooper", "Seth Chapman", "Sam Cole")]
    assert scs == ["SC", "SCh", "SCo"]  # members in name order, then the person added
    assert len({value.casefold() for value in initials.values()}) == len(initials)
    assert "Initials used more than once" not in pmo_client.get(url(meeting)).content.decode()


def test_clashing_initials_are_flagged(pmo_client, dag, meeting):
    member(dag, "Seth Chapman")
    member(dag, "Sean Cooper")
    pmo_client.post(url(meeting, "attendance_add_members"))
    # The secretariat may type the initials the paper prints, as DAG029 has two "SC".
    meeting.attendances.filter(person__name__startswith="Se").update(initials="SC")

    content = pmo_client.get(url(meeting)).content.decode()

    assert "Initials used more than once" in content
    assert "SC: Sean Cooper, Seth Chapman" in content or "SC: Seth Chapman, Sean Cooper" in content
    assert "Also used by Seth Chapman" in content and "Also used by Sean Cooper" in content


def test_lines_are_saved_together(pmo_client, dag, meeting):
    donna = member(dag, "Donna Jamieson")
    morven = make_person("Morven Hunter")
    stuart = member(dag, "Stuart Scott")
    caroline = member(dag, "Caroline Farquhar")
    for person in (morven, stuart, caroline):
        Attendance.objects.create(
            meeting=meeting, person=person, category="industry", status="expected"
        )
    lines = {line.person_id: line for line in meeting.attendances.all()}
    data = {
        **line_data(
            lines[morven.pk],
            status="present",
            role="iDNO Representative",
            initials="MHu",
            on_behalf_of=donna.pk,
        ),
        **line_data(lines[stuart.pk], status="present", part_meeting="on"),
        **line_data(lines[caroline.pk], status="apologies"),
    }

    response = pmo_client.post(url(meeting), data)

    assert response.status_code == 302
    saved = {line.person_id: line for line in meeting.attendances.all()}
    assert saved[morven.pk].on_behalf_of == donna
    assert (saved[morven.pk].initials, saved[morven.pk].role) == ("MHu", "iDNO Representative")
    assert saved[stuart.pk].part_meeting
    assert saved[caroline.pk].status == AttendanceStatus.APOLOGIES
    detail = pmo_client.get(meeting.get_absolute_url()).content.decode()
    assert "Morven Hunter</a> (MHu) (on behalf of Donna Jamieson)" in detail


def test_a_bad_line_keeps_every_input_and_saves_nothing(pmo_client, dag, meeting):
    seth = member(dag, "Seth Chapman")
    sean = member(dag, "Sean Cooper")
    for person in (seth, sean):
        Attendance.objects.create(meeting=meeting, person=person, category="industry")
    one, two = meeting.attendances.order_by("pk")
    data = {
        **line_data(one, on_behalf_of=one.person_id, role="Typed role"),
        **line_data(two, status="apologies", role="Another typed role"),
    }

    response = pmo_client.post(url(meeting), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "A person cannot attend on their own behalf." in content
    assert 'value="Typed role"' in content and 'value="Another typed role"' in content
    assert not meeting.attendances.filter(status="apologies").exists()


def test_remove_a_line(pmo_client, dag, meeting):
    line = Attendance.objects.create(
        meeting=meeting, person=member(dag, "Seth Chapman"), category="industry"
    )
    pmo_client.post(url(meeting), line_data(line, remove="on"))
    assert not meeting.attendances.exists()


def test_add_a_guest_with_htmx_appends_their_line(pmo_client, meeting):
    response = pmo_client.post(
        url(meeting, "attendance_add_guest"),
        {
            "name": "  Taylor   Thorpe ",
            "organisation": "Independent Programme Assurer",
            "email": "",
            "category": AttendanceCategory.OTHER,
            "role": "IPA",
        },
        **HTMX,
    )

    assert response.status_code == 200
    guest = Person.objects.get(name="Taylor Thorpe")
    line = meeting.attendances.get(person=guest)
    assert (line.category, line.status, line.initials, line.role) == (
        "other",
        "present",
        "TT",
        "IPA",
    )
    assert guest.organisation.name == "Independent Programme Assurer"
    content = response.content.decode()
    assert f'id="line-{line.pk}"' in content
    assert 'id="guest-form" hx-swap-oob="true"' in content
    assert "Taylor Thorpe added." in content


def test_add_a_guest_without_javascript_redirects(pmo_client, meeting):
    response = pmo_client.post(
        url(meeting, "attendance_add_guest"), {"name": "Colin Bezant", "category": "other"}
    )
    assert response.status_code == 302
    assert meeting.attendances.filter(person__name="Colin Bezant").exists()


def test_a_guest_with_a_known_email_is_refused_in_place(pmo_client, meeting):
    make_person("Paul Pettitt", email="paul@example.org")

    response = pmo_client.post(
        url(meeting, "attendance_add_guest"),
        {"name": "Paul P", "email": "PAUL@example.org", "category": "other"},
        **HTMX,
    )

    assert response["HX-Retarget"] == "#guest-form"
    content = response.content.decode()
    assert "already in the tracker" in content and 'value="Paul P"' in content
    assert not meeting.attendances.exists()


def test_every_field_of_the_page_has_its_own_id_and_label(pmo_client, dag, meeting):
    """The "add someone" and guest forms share field names: each label must still reach
    its own field."""
    Attendance.objects.create(meeting=meeting, person=member(dag, "Seth Chapman"), category="other")
    content = pmo_client.get(url(meeting)).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', content)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for name in ("category", "role"):
        assert f'<label for="add_{name}">' in content and f'id="add_{name}"' in content
        assert f'<label for="guest_{name}">' in content and f'id="guest_{name}"' in content


def test_add_someone_in_the_tracker_takes_their_section_from_the_membership(
    pmo_client, dag, meeting
):
    seth = member(dag, "Seth Chapman", constituency="Supplier Agent Representative")
    response = pmo_client.post(
        url(meeting, "attendance_add_person"), {"person": seth.pk, "category": "", "role": ""}
    )
    assert response.status_code == 302
    line = meeting.attendances.get()
    assert (line.category, line.role) == ("industry", "Supplier Agent Representative")


def test_members_may_not_record_attendance(client, dag, meeting):
    client.force_login(make_user(group=dag, role=Role.MEMBER))
    assert client.get(url(meeting)).status_code == 403
    assert client.post(url(meeting, "attendance_add_members")).status_code == 403
    assert client.post(url(meeting, "attendance_add_guest"), {"name": "X"}).status_code == 403
    assert not Person.objects.filter(name="X").exists()


def test_another_groups_secretariat_gets_404(client, meeting):
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert client.get(url(meeting)).status_code == 404
    assert client.post(url(meeting, "attendance_add_members")).status_code == 404


def test_attendance_is_locked_once_minutes_are_issued(pmo_client, dag, meeting):
    line = Attendance.objects.create(
        meeting=meeting, person=member(dag, "Seth Chapman"), category="industry"
    )
    meeting.status = MeetingStatus.MINUTES_ISSUED
    meeting.save()

    response = pmo_client.post(url(meeting), line_data(line, status="apologies"))

    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    line.refresh_from_db()
    assert line.status == AttendanceStatus.PRESENT


# Pinned: session, user, the meeting, roles; the lines with their people; the deputy
# and "add someone" choices; the agenda items (joined and left at); the headings as printed;
# the lines' versions (their edit check), in one query.
ATTENDANCE_PAGE_QUERIES = 11


class AttendancePageQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.meeting = make_meeting(cls.dag, number=30, date=datetime.date(2023, 11, 8))

    def add(self, count):
        for n in range(count):
            person = member(self.dag, f"Person {Person.objects.count()}")
            Attendance.objects.create(
                meeting=self.meeting,
                person=person,
                category="industry",
                on_behalf_of=make_person(),
                # Every third line shares its initials with another: each gets its flag.
                initials="SC" if n % 3 == 0 else f"P{n}",
                order=n,
            )

    def test_attendance_page(self):
        """Every line's form, its initials-clash flag and its deputy choices come from
        queries made once for the page, not per line (the N+1 on the person, the deputy
        and the choices of each line's "on behalf of")."""
        self.client.force_login(self.secretariat)
        self.add(2)
        with self.assertNumQueries(ATTENDANCE_PAGE_QUERIES):
            self.assertEqual(self.client.get(url(self.meeting)).status_code, 200)
        self.add(20)
        with self.assertNumQueries(ATTENDANCE_PAGE_QUERIES):
            self.assertEqual(self.client.get(url(self.meeting)).status_code, 200)


def test_a_line_saved_meanwhile_refuses_the_page_and_keeps_every_typed_line(
    pmo_client, dag, meeting
):
    """Two secretaries on the attendance page: the first saves Seth's line; the second's
    save (Seth's and Sean's lines) is refused whole, both versions of Seth's line shown,
    and what they typed on both lines still in the page."""
    for person in (member(dag, "Seth Chapman"), member(dag, "Sean Cooper")):
        Attendance.objects.create(meeting=meeting, person=person, category="industry")
    seth, sean = meeting.attendances.order_by("pk")
    second = {**line_data(seth, role="Typed by the second"), **line_data(sean, initials="SCo")}
    pmo_client.post(url(meeting), line_data(seth, role="Chair"))

    response = pmo_client.post(url(meeting), second)

    assert response.status_code == 200
    page = response.content.decode()
    assert "your changes were not saved" in page and "stale-versions" in page
    assert 'value="Typed by the second"' in page and 'value="SCo"' in page
    seth.refresh_from_db()
    sean.refresh_from_db()
    assert (seth.role, sean.initials) == ("Chair", "")
