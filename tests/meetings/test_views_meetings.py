"""Home, groups, meetings and people pages of the meetings app."""

import datetime
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.services import action_add_update
from core.models import Membership, Role
from decisions.services import decision_create
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceCategory,
    AttendanceStatus,
    MinutesEvent,
    MinutesEventKind,
)
from meetings.views import UPCOMING_PAGE_SIZE
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER, person_name="Lee Cox")


@pytest.fixture
def outsider():
    return make_user("outsider", group=make_group("TMAG"), role=Role.MEMBER)


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize(
    "url",
    ["/", "/groups/", "/groups/DAG/", "/meetings/", "/meetings/1/", "/people/1/"],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# Home


def test_home_shows_my_open_actions_with_overdue_flagged(client, dag, member):
    meeting = make_meeting(dag, number=29)
    overdue = make_action(meeting, owners=[member.person], due_date=datetime.date(2020, 1, 1))
    upcoming = make_action(
        meeting, owners=[member.person], due_date=timezone.localdate() + datetime.timedelta(9)
    )
    someone_elses = make_action(meeting, owners=[make_person()])

    content = get(client, member, "/").content.decode()

    assert overdue.reference in content and upcoming.reference in content
    assert someone_elses.reference not in content
    assert content.count(">Overdue</span>") == 1
    assert re.search(r"Design Advisory Group \(DAG\)</a>:\s+Member", content)


def test_home_shows_proposed_decisions_to_chair_and_secretariat_only(client, dag, member):
    decision = decision_create(group=dag, wording="The SRO agreed CR032 goes to IA")
    chair = make_user("chair", group=dag, role=Role.CHAIR)
    secretariat = make_user("pmo", group=dag, role=Role.SECRETARIAT)

    assert decision.reference in get(client, chair, "/").content.decode()
    assert decision.reference in get(client, secretariat, "/").content.decode()
    assert decision.reference not in get(client, member, "/").content.decode()


def test_home_lists_next_meetings_of_my_groups(client, dag, member, outsider):
    soon = timezone.localdate() + datetime.timedelta(days=7)
    mine = make_meeting(dag, number=40, date=soon)
    not_mine = make_meeting(make_group("TMAG"), number=41, date=soon)
    make_meeting(dag, number=1, date=datetime.date(2020, 1, 1))  # past

    content = get(client, member, "/").content.decode()

    assert mine.get_absolute_url() in content
    assert not_mine.get_absolute_url() not in content
    assert "DAG001" not in content


def test_home_without_person_explains(client):
    user = make_user()
    user.person.delete()
    user.refresh_from_db()

    response = get(client, user, "/")

    assert response.status_code == 200
    assert "not linked to a person" in response.content.decode()


# Groups


def test_group_list_shows_my_groups_only(client, dag, member, outsider):
    content = get(client, member, "/groups/").content.decode()

    assert 'href="/groups/DAG/"' in content
    assert "TMAG" not in content


def test_group_detail_shows_people_by_role_and_counts(client, dag, member):
    chair = make_person("Justin Andrews")
    Membership.objects.create(group=dag, person=chair, role=Role.CHAIR)
    Membership.objects.create(
        group=dag, person=make_person("Haz Elmamoun"), constituency="Large Supplier Representative"
    )
    make_action(make_meeting(dag), due_date=datetime.date(2020, 1, 1))

    response = get(client, member, "/groups/DAG/")

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("<h3>Chair</h3>") < content.index("Justin Andrews")
    assert content.index("Justin Andrews") < content.index("<h3>Members</h3>")
    assert "Haz Elmamoun</a>, Large Supplier Representative" in content
    assert response.context["counts"] == {"open": 1, "overdue": 1, "recommend_closed": 0}


def test_group_detail_of_another_group_is_404(client, dag, outsider):
    assert get(client, outsider, "/groups/DAG/").status_code == 404


# Meetings


def test_meeting_list_filters_by_group(client, dag, member):
    Membership.objects.create(group=make_group("PSG"), person=member.person)
    dag_meeting = make_meeting(dag, number=29)
    psg_meeting = make_meeting(make_group("PSG"), number=12)
    hidden = make_meeting(make_group("TMAG"), number=14)

    everything = get(client, member, "/meetings/").content.decode()
    only_dag = get(client, member, "/meetings/", group="DAG").content.decode()

    assert "DAG029" in everything and "PSG012" in everything
    assert hidden.code not in everything
    assert dag_meeting.code in only_dag and psg_meeting.code not in only_dag


def test_meeting_list_shows_upcoming_meetings_a_page_at_a_time(client, dag, member):
    """Forty groups plan months ahead: the soonest UPCOMING_PAGE_SIZE first, the later
    ones on the next pages, the held meetings' page kept."""
    today = timezone.localdate()
    upcoming = [
        make_meeting(dag, number=n, date=today + datetime.timedelta(days=n))
        for n in range(1, UPCOMING_PAGE_SIZE + 3)
    ]

    first = get(client, member, "/meetings/").content.decode()
    second = get(client, member, "/meetings/", upcoming="2").content.decode()

    assert upcoming[0].code in first and upcoming[UPCOMING_PAGE_SIZE - 1].code in first
    assert upcoming[UPCOMING_PAGE_SIZE].code not in first
    assert f"of {UPCOMING_PAGE_SIZE + 2} upcoming meetings" in first
    assert 'href="?upcoming=2">Later meetings' in first
    assert upcoming[UPCOMING_PAGE_SIZE].code in second and upcoming[0].code not in second
    assert "Sooner meetings" in second


@pytest.fixture
def dag029(dag):
    meeting = make_meeting(
        dag,
        number=29,
        date=datetime.date(2023, 10, 11),
        start_time=datetime.time(10),
        end_time=datetime.time(13),
        minutes_issue_date=datetime.date(2023, 10, 18),
    )
    rows = [
        ("Justin Andrews", AttendanceCategory.CHAIR, "Chair", "JA"),
        ("Morven Hunter", AttendanceCategory.INDUSTRY, "iDNO Representative", "MHu"),
        ("Stuart Scott", AttendanceCategory.INDUSTRY, "DCC Representative", "SS"),
        ("Paul Pettitt", AttendanceCategory.PROGRAMME, "Design Lead", "PP"),
        ("Danielle Walton", AttendanceCategory.OTHER, "Ofgem", "DW"),
        ("Caroline Farquhar", AttendanceCategory.INDUSTRY, "Consumer Representative", "CF"),
    ]
    people = {}
    for order, (name, category, role, initials) in enumerate(rows):
        people[name] = make_person(name)
        Attendance.objects.create(
            meeting=meeting,
            person=people[name],
            category=category,
            role=role,
            initials=initials,
            order=order,
        )
    Attendance.objects.filter(person=people["Morven Hunter"]).update(
        on_behalf_of=make_person("Donna Jamieson")
    )
    Attendance.objects.filter(person=people["Stuart Scott"]).update(part_meeting=True)
    Attendance.objects.filter(person=people["Caroline Farquhar"]).update(
        status=AttendanceStatus.APOLOGIES
    )
    AgendaItem.objects.create(
        meeting=meeting,
        number="1",
        order=1,
        title="Welcome",
        duration_minutes=5,
        lead=people["Justin Andrews"],
    )
    AgendaItem.objects.create(
        meeting=meeting,
        number="2",
        order=2,
        title="Minutes and Actions",
        duration_minutes=10,
        minutes="The minutes were **approved**.",
    )
    return meeting


def test_meeting_detail_lays_out_the_paper(client, dag029, member):
    action = make_action(dag029, text="NGESO to amend CR032")
    action_add_update(action=action, text="Done", date=dag029.date)
    decision = decision_create(group=dag029.group, meeting=dag029, wording="Minutes approved")

    response = get(client, member, dag029.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "10:00–13:00" in content
    assert "18/10/2023" in content
    assert "Morven Hunter</a> (MHu) (on behalf of Donna Jamieson)" in content
    assert "Stuart Scott</a> (SS) (part meeting)" in content
    headings = ["Chair", "Industry Representatives", "MHHS", "Other Attendees", "Apologies"]
    positions = [content.index(f'<th scope="col">{heading}</th>') for heading in headings]
    assert positions == sorted(positions)
    assert content.index("Caroline Farquhar") > positions[-1]
    assert "Caroline Farquhar</a> (CF)" not in content
    # Agenda times count on from the start: item 2 starts after item 1's 5 minutes.
    assert "· 10:05" in content
    assert "<strong>approved</strong>" in content
    assert action.reference in content and decision.reference in content


def test_meeting_detail_of_another_group_is_404(client, dag029, outsider):
    assert get(client, outsider, dag029.get_absolute_url()).status_code == 404


# People


def test_person_detail_for_someone_sharing_a_group(client, dag, member):
    colleague = make_person("Paul Pettitt")
    Membership.objects.create(group=dag, person=colleague, role=Role.MEMBER)
    action = make_action(make_meeting(dag), owners=[colleague])
    hidden = make_action(make_meeting(make_group("TMAG")), owners=[colleague])

    response = get(client, member, reverse("meetings:person_detail", args=[colleague.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert action.reference in content
    assert hidden.reference not in content


def test_person_detail_lists_open_actions_a_page_at_a_time(client, dag, member, monkeypatch):
    """Someone owning hundreds of open actions: the soonest due first, a page at a time."""
    monkeypatch.setattr("meetings.views.PERSON_ACTIONS_PAGE_SIZE", 2)
    colleague = make_person("Paul Pettitt")
    meeting = make_meeting(dag)
    actions = [
        make_action(meeting, owners=[colleague], due_date=meeting.date + datetime.timedelta(n))
        for n in range(1, 4)
    ]
    url = reverse("meetings:person_detail", args=[colleague.pk])

    first = get(client, member, url).content.decode()
    second = get(client, member, url, page="2").content.decode()

    assert "Showing 1–2 of 3 open actions" in first
    assert actions[0].reference in first and actions[2].reference not in first
    assert actions[2].reference in second and actions[0].reference not in second


def test_action_owner_outside_the_membership_is_visible(client, dag, member):
    owner = make_person("Matt McKeon")
    make_action(make_meeting(dag), owners=[owner])

    assert get(client, member, owner.get_absolute_url()).status_code == 200


def test_people_directory_needs_a_role_somewhere(client, dag, outsider):
    person = make_person("Paul Pettitt")
    Membership.objects.create(group=dag, person=person)
    assert get(client, outsider, person.get_absolute_url()).status_code == 200
    nobody = make_user()
    assert get(client, nobody, person.get_absolute_url()).status_code == 404


# Query counts of the list pages, pinned: session, user, roles and person come first on
# every page; the rest is named in each test.
HOME_QUERIES = 13
# Session, user, roles, person, the chair badge, the groups, their member and open-action
# counts (one grouped query each).
GROUP_LIST_QUERIES = 8
# The group, roles, its memberships, three action counts, the meetings' count, the page's
# ids and its meetings (views.page_with_first_issue), the calendar feed, the menu's person
# and chair's badge, the membership history, the child groups and the group's own history.
GROUP_DETAIL_QUERIES = 17
# Session, user, roles, the menu's person and chair's badge, the groups; the upcoming
# meetings' count, the page's ids and its meetings, the same three for the meetings held.
MEETING_LIST_QUERIES = 12
# The person, the menu's person and chair's badge, their visible memberships, open actions
# (with latest update), the actions' owners and those owners' people, recent attendances.
PERSON_QUERIES = 11


class ListPageQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        Membership.objects.create(group=cls.dag, person=cls.member.person, role=Role.CHAIR)

    def assert_fixed(self, url, expected, grow, few=2, many=20):
        self.client.force_login(self.member)
        grow(0, few)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)
        grow(few, many)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_home(self):
        """Open actions with owners and latest update, decisions awaiting the chair and the
        next meetings come in fixed queries (no N+1 on the meeting's group for codes or on
        owners)."""
        today = timezone.localdate()

        def grow(start, count):
            for i in range(start, start + count):
                make_meeting(self.dag, date=today + datetime.timedelta(i + 1))
                held = make_meeting(self.dag, date=today - datetime.timedelta(i + 1))
                make_action(held, owners=[self.member.person, make_person()])
                decision_create(group=self.dag, wording="Agreed", meeting=held)

        self.assert_fixed("/", HOME_QUERIES, grow)

    def test_group_list(self):
        """Member and open-action counts are one grouped query each, not a query per group."""
        self.member.is_superuser = True
        self.member.save()

        def grow(start, count):
            for n in range(start, start + count):
                make_action(make_meeting(make_group(f"WG{n}")))

        self.assert_fixed("/groups/", GROUP_LIST_QUERIES, grow)

    def test_group_detail(self):
        """Its meetings come a page at a time, with their group and first issue; the action
        counts are counts, whatever the number of actions."""
        today = timezone.localdate()

        def grow(start, count):
            for i in range(start, start + count):
                meeting = make_meeting(self.dag, date=today - datetime.timedelta(days=7 * i))
                if i % 6 == 0:
                    make_action(meeting)

        self.assert_fixed("/groups/DAG/", GROUP_DETAIL_QUERIES, grow, few=2, many=24)
        first = self.client.get("/groups/DAG/")
        self.assertContains(first, "Showing 1–20 of 26 meetings")
        self.assertContains(self.client.get("/groups/DAG/", {"page": 2}), "Page 2 of 2")

    def test_person_detail(self):
        """Their open actions come with owners and latest update, their attendances with
        the meeting and its group: not a query per row."""
        person = make_person("Lee Cox")
        Membership.objects.create(group=self.dag, person=person, role=Role.MEMBER)
        today = timezone.localdate()

        def grow(start, count):
            for i in range(start, start + count):
                meeting = make_meeting(self.dag, date=today - datetime.timedelta(days=7 * i + 1))
                Attendance.objects.create(
                    meeting=meeting, person=person, category=AttendanceCategory.INDUSTRY
                )
                action = make_action(meeting, owners=[person, make_person()])
                action_add_update(action=action, text="Drafted", date=meeting.date)

        self.assert_fixed(f"/people/{person.pk}/", PERSON_QUERIES, grow, few=2, many=4)

    def test_meeting_list(self):
        """Each row's code needs its group and its publication state the first issue of
        its minutes: selected and annotated with the meetings, not a query per row (the
        N+1 on the group and on the minutes' events)."""
        today = timezone.localdate()

        def grow(start, count):
            for i in range(start, start + count):
                held = make_meeting(self.dag, date=today - datetime.timedelta(days=7 * i + 1))
                if i % 2:
                    MinutesEvent.objects.create(meeting=held, kind=MinutesEventKind.ISSUED)
                make_meeting(self.dag, date=today + datetime.timedelta(days=7 * i + 1))

        self.assert_fixed("/meetings/", MEETING_LIST_QUERIES, grow)
