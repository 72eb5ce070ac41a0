"""The minutes as a page laid out like the DAG029 paper, issuing and reopening them, and
the fixed query counts of the meeting and minutes pages."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.models import DueKind
from actions.services import action_add_update
from core.models import Role
from decisions.services import decision_create
from documents.models import DocumentStatus
from meetings.documents import HEADLINE, MINUTES
from meetings.minutes_workflow import minutes_issue
from meetings.models import AgendaItem, Attendance, MeetingStatus, MinutesEvent, MinutesEventKind
from raid.models import RaidReview
from raid.services import raid_item_create
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def secretariat(dag):
    return make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER, person_name="Paul Pettitt")


@pytest.fixture
def dag029(dag):
    return build_dag029(dag)


def build_dag029(dag):
    """A small DAG029: attendance in every section, two items, actions old and new, a
    decision and a RAID item discussed."""
    dag028 = make_meeting(dag, number=28, date=datetime.date(2023, 9, 13))
    meeting = make_meeting(
        dag,
        number=29,
        date=datetime.date(2023, 10, 11),
        start_time=datetime.time(10),
        end_time=datetime.time(13),
        next_meeting_date=datetime.date(2023, 11, 8),
        next_meeting_time=datetime.time(10),
        status=MeetingStatus.MINUTES_DRAFT,
    )
    lines = [
        ("Justin Andrews", "chair", "Chair", "", None, False, "present"),
        (
            "Morven Hunter",
            "industry",
            "iDNO Representative",
            "MHu",
            "Donna Jamieson",
            False,
            "present",
        ),
        ("Stuart Scott", "industry", "DCC Representative", "SS", None, True, "present"),
        ("Lee Cox", "programme", "Test Lead", "LC", None, True, "present"),
        ("Danielle Walton", "other", "Ofgem", "DW", None, False, "present"),
        ("Caroline Farquhar", "industry", "Consumer Representative", "", None, False, "apologies"),
    ]
    for order, (name, category, role, initials, deputy, part, status) in enumerate(lines):
        Attendance.objects.create(
            meeting=meeting,
            person=make_person(name),
            category=category,
            role=role,
            initials=initials,
            on_behalf_of=make_person(deputy) if deputy else None,
            part_meeting=part,
            status=status,
            order=order,
        )
    first = AgendaItem.objects.create(
        meeting=meeting, number="1", order=1, title="Welcome and Introductions"
    )
    fourth = AgendaItem.objects.create(
        meeting=meeting,
        number="4",
        order=2,
        title="CR032 Impact Assessment",
        minutes="The Change Raiser presented **CR032**.",
    )
    first.minutes = "The Chair welcomed attendees."
    first.save()
    make_action(
        meeting,
        agenda_item=fourth,
        area="CR032 Impact Assessment",
        text="NGESO to amend CR032",
        owner_party="NGESO Representative",
        owners=[make_person("Daniel Arrowsmith")],
        due_date=datetime.date(2023, 10, 13),
    )
    make_action(
        meeting,
        agenda_item=first,
        area="Welcome",
        text="Programme to provide link to RAID form",
        owner_party="Programme (PMO)",
        due_kind=DueKind.ASAP,
        due_date=None,
    )
    make_action(dag028, text="Programme to raise DINs", area="Old area")
    decision_create(
        group=dag,
        meeting=meeting,
        agenda_item=fourth,
        area="CR032 Impact Assessment",
        wording="The SRO agreed CR032 should be issued to Impact Assessment",
    )
    RaidReview.objects.create(
        raid_item=raid_item_create(title="Risks not linked to milestones", group=dag),
        meeting=meeting,
        agenda_item=first,
        discussion="Risks to be linked to milestones where possible",
        conclusion="Noted",
    )
    return meeting


def doc_url(meeting):
    return reverse("meetings:minutes_document", args=[meeting.pk])


def test_minutes_page_reads_like_the_paper(client, member, dag029):
    client.force_login(member)

    content = client.get(doc_url(dag029)).content.decode()

    assert "MHHS Design Advisory Group (DAG) Minutes and Actions" in content
    assert "11 October 2023 1000-1300" in content
    assert "draft, not issued" in content
    headings = ["Chair", "Industry Representatives", "MHHS", "Other Attendees", "Apologies"]
    positions = [content.index(f'<th scope="col">{heading}</th>') for heading in headings]
    assert positions == sorted(positions)
    assert "Morven Hunter</a> (MHu) (on behalf of Donna Jamieson)" in content
    assert "Stuart Scott</a> (SS) (part meeting)" in content
    # Actions table: this meeting's by area, then the previous meetings' still open.
    order = [
        "CR032 Impact Assessment</th>",
        ">DAG29-01<",
        ">DAG29-02<",
        "Previous Meeting(s)</th>",
        ">DAG28-01<",
    ]
    positions = [content.index(text) for text in order]
    assert positions == sorted(positions)
    assert "NGESO Representative (Daniel Arrowsmith)" in content and ">ASAP<" in content
    assert ">DAG-DEC1</a>" in content and "Awaiting approval" in content
    assert "Risks not linked to milestones" in content
    # Numbered minutes with the ACTION and DECISION lines of each item.
    minutes = content[content.index("<h3>Minutes</h3>") :]
    assert minutes.index("1. Welcome and Introductions") < minutes.index("ACTION <a")
    assert minutes.index("4. CR032 Impact Assessment") < minutes.index(">DAG29-01</a>:")
    assert "<strong>CR032</strong>" in minutes
    assert "08 November 2023 10am" in content
    assert "Issue minutes" not in content


def test_what_the_review_said_reads_with_the_minutes(client, member, dag029):
    """The paper summarises what was said about each previous action: the updates the
    review recorded at this meeting show on the minutes and meeting pages."""
    old = dag029.group.actions.get(reference="DAG28-01")
    action_add_update(
        action=old,
        text="DINs 685 and 686 raised; kept open until the CRs are implemented.",
        date=dag029.date,
        status="ongoing",
        meeting=dag029,
    )
    action_add_update(action=old, text="Said elsewhere", date=dag029.date)
    # An action whose summary the minutes already give, as the paper's item 2 does.
    summarised = make_action(dag029.group.meetings.get(number=28), text="Programme to review CR029")
    action_add_update(action=summarised, text="Summary", date=dag029.date, meeting=dag029)
    item = dag029.agenda_items.get(number="1")
    item.minutes += f"\n\n{summarised.reference}: Reviewed; the action stays open."
    item.save()
    client.force_login(member)

    for url in (doc_url(dag029), dag029.get_absolute_url()):
        content = client.get(url).content.decode()
        reviewed = content[content.index("Updates on previous actions") :]
        assert ">DAG28-01</a>:</strong> DINs 685 and 686 raised" in reviewed
        assert "ONGOING" in reviewed
        assert "Said elsewhere" not in content
        assert f">{summarised.reference}</a>:</strong>" not in content
        assert "Reviewed; the action stays open." in content


def test_issue_sets_the_date_locks_and_records_the_event(client, secretariat, dag029):
    client.force_login(secretariat)
    page = client.get(doc_url(dag029)).content.decode()
    assert "Issue minutes" in page

    response = client.post(
        reverse("meetings:minutes_issue", args=[dag029.pk]), {"confirm_awaiting": "1"}
    )

    assert response.status_code == 302
    dag029.refresh_from_db()
    assert dag029.status == MeetingStatus.MINUTES_ISSUED
    assert dag029.minutes_issue_date == timezone.localdate()
    assert MinutesEvent.objects.get().kind == MinutesEventKind.ISSUED
    # Issuing queues the Minutes and Actions and the Headline Report for the worker.
    assert set(dag029.documents.values_list("kind", "status")) == {
        (MINUTES, DocumentStatus.QUEUED),
        (HEADLINE, DocumentStatus.QUEUED),
    }
    page = client.get(doc_url(dag029)).content.decode()
    assert "read-only" in page and "Reopen the minutes" in page
    assert "Published late" in page  # issued today, long after 25/10/2023
    edit = client.get(reverse("meetings:attendance", args=[dag029.pk]))
    assert edit.status_code == 302


def test_minutes_of_a_future_meeting_cannot_be_issued(client, secretariat, dag):
    future = make_meeting(dag, number=99, date=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(secretariat)
    page = client.get(doc_url(future)).content.decode()
    # Shown, disabled, with the reason (tests/meetings/test_meeting_start_gate.py has more).
    assert 'disabled aria-describedby="records-closed">Issue minutes' in page
    assert f"Minutes open when the meeting starts, {future.date:%d/%m/%Y} 00:00" in page
    client.post(reverse("meetings:minutes_issue", args=[future.pk]))
    future.refresh_from_db()
    assert future.status == MeetingStatus.PLANNED


def test_reopen_needs_a_reason_and_is_recorded(client, secretariat, dag029):
    minutes_issue(meeting=dag029, user=secretariat)
    client.force_login(secretariat)
    url = reverse("meetings:minutes_reopen", args=[dag029.pk])

    refused = client.post(url, {"reason": "   "})
    assert "This field is required." in refused.content.decode()
    client.post(url, {"reason": "Wrong owner on DAG29-01"})

    dag029.refresh_from_db()
    assert dag029.status == MeetingStatus.MINUTES_DRAFT
    event = dag029.minutes_events.get(kind=MinutesEventKind.REOPENED)
    assert (event.reason, event.by) == ("Wrong owner on DAG29-01", secretariat)
    assert "Wrong owner on DAG29-01" in client.get(doc_url(dag029)).content.decode()
    assert client.get(reverse("meetings:attendance", args=[dag029.pk])).status_code == 200


def test_members_read_the_minutes_but_cannot_issue_or_reopen(client, member, dag029):
    client.force_login(member)
    assert client.get(doc_url(dag029)).status_code == 200
    assert client.post(reverse("meetings:minutes_issue", args=[dag029.pk])).status_code == 403
    assert client.get(reverse("meetings:minutes_reopen", args=[dag029.pk])).status_code == 403
    dag029.refresh_from_db()
    assert dag029.status == MeetingStatus.MINUTES_DRAFT


def test_another_group_gets_404(client, dag029):
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert client.get(doc_url(dag029)).status_code == 404
    assert client.post(reverse("meetings:minutes_issue", args=[dag029.pk])).status_code == 404


def grow(meeting, n):
    """n more attendees, agenda items with minutes naming references, actions (one from an
    earlier meeting each), decisions and RAID items discussed."""
    earlier = meeting.group.meetings.get(number=28)
    start = meeting.agenda_items.count() + 10
    for i in range(start, start + n):
        Attendance.objects.create(
            meeting=meeting,
            person=make_person(),
            category="industry",
            on_behalf_of=make_person(),
        )
        item = AgendaItem.objects.create(meeting=meeting, number=str(i), order=i, title=f"Item {i}")
        action = make_action(meeting, agenda_item=item, owners=[make_person(), make_person()])
        old = make_action(earlier, owners=[make_person()])
        action_add_update(action=old, text="Update", date=meeting.date, meeting=meeting)
        decision = decision_create(
            group=meeting.group, meeting=meeting, agenda_item=item, wording="Agreed"
        )
        item.minutes = f"See {action.reference}, {old.reference}, {decision.reference} and CR032."
        item.save()
        RaidReview.objects.create(
            raid_item=raid_item_create(title=f"Risk {i}", group=meeting.group),
            meeting=meeting,
            agenda_item=item,
            discussion="Discussed",
        )
    MinutesEvent.objects.create(meeting=meeting, kind=MinutesEventKind.REOPENED, reason="Fix")


# Pinned: session, user, roles and person; the meeting; then one query per kind of row
# shown (see the docstrings). A change here means a page now reads more, or less.
# With the attendee headings, the group's next meeting and the interests declared.
MEETING_PAGE_QUERIES = 25
# With the list of issues, the attendee headings, the RAID reviews' covered items and actions,
# the CRs presented and the interests declared; the outstanding actions read as at the
# meeting's start (meetings/as_at.actions_as_at; none typed in later with owners here).
MINUTES_PAGE_QUERIES = 31


class MeetingPagesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        dag = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
        cls.secretariat = make_user("pmo", group=dag, role=Role.SECRETARIAT)
        cls.meeting = build_dag029(dag)

    def assert_queries_at_two_sizes(self, url_name, expected):
        self.client.force_login(self.secretariat)
        url = reverse(f"meetings:{url_name}", args=[self.meeting.pk])
        grow(self.meeting, 2)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)
        grow(self.meeting, 12)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_meeting_page(self):
        """Attendees with the people they stand in for, agenda items with their ACTION and
        DECISION lines and reference links, actions with their owners and latest update,
        decisions, RAID items, updates on reviewed actions and minutes events: one query
        per kind, not one per attendee, item or action (the N+1 on people, owners, record
        lines and each reference type)."""
        self.assert_queries_at_two_sizes("meeting_detail", MEETING_PAGE_QUERIES)

    def test_minutes_page(self):
        """The minutes built by meetings.minutes in its fixed QUERY_COUNT (updates on
        reviewed actions included), plus the attendees still expected and the minutes
        events and the list of issues: not one
        query per attendee, item, action, owner or reference named (the N+1 the paper's
        tables would otherwise cause)."""
        self.assert_queries_at_two_sizes("minutes_document", MINUTES_PAGE_QUERIES)
