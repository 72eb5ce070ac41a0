"""A group's governance pages and a meeting's agenda read a fixed number of queries whatever
they list: the quorum rule with its voting members, the register of interests with its
history, the interests declared at a meeting, the records past retention with the log of
those taken out, one archived record, the agenda, an agenda item with the CRs presented
under it, and preparing the next meeting from the latest one's agenda. Each is read with
one of every kind of row it shows, then with five, and must take the same number of
queries."""

import datetime
import itertools

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, ActionStatus
from changerequests.models import ApprovalStatus, ChangeRequest, Stage
from core.models import Membership, Role
from decisions.models import DecisionStatus
from meetings.interests import interest_declare, registered_interest_add, registered_interest_end
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceCategory,
    AttendanceStatus,
    RetentionLog,
)
from meetings.public_models import RetentionOutcome
from meetings.services import change_request_present
from raid.models import RaidItem, RaidStatus
from tests.factories import (
    ActionFactory,
    ChangeRequestFactory,
    DecisionFactory,
    GroupFactory,
    MeetingFactory,
    PersonFactory,
    RaidItemFactory,
    UserFactory,
)

LONG_AGO = datetime.date(2010, 5, 1)
SERIAL = itertools.count(1)  # numbers the people and items the tests add


class GovernancePagesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG", quorum_members=2, retention_years=6)
        cls.secretariat = UserFactory(username="pmo", group=cls.group, role=Role.SECRETARIAT)
        cls.meeting = MeetingFactory(group=cls.group, date=datetime.date(2024, 6, 12))
        cls.old_meeting = MeetingFactory(group=cls.group, date=datetime.date(2010, 4, 1))

    def setUp(self):
        self.client.force_login(self.secretariat)

    def assert_same_queries(self, url, grow, shows=None):
        """The page's queries with one of each kind of row, then after `grow` added four
        more of each: the same number (and the page shows `shows`, or else the name of
        the last person or item added)."""
        grow(1)
        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(url).status_code, 200)
        grow(4)
        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(url)
        self.assertContains(response, shows or self.newest)

    def member(self, role=Role.MEMBER):
        n = next(SERIAL)
        person = PersonFactory(name=f"Member {n}")
        Membership.objects.create(
            group=self.group, person=person, role=role, constituency=f"Constituency {n}"
        )
        self.newest = person.name
        return person

    def attendee_at_an_item(self):
        """A member present at the meeting, a new agenda item with a lead, and the member's
        declaration at it."""
        person = self.member()
        n = next(SERIAL)
        Attendance.objects.create(
            meeting=self.meeting,
            person=person,
            category=AttendanceCategory.INDUSTRY,
            status=AttendanceStatus.PRESENT,
            initials=f"M{n}",
        )
        n = next(SERIAL)
        item = AgendaItem.objects.create(
            meeting=self.meeting,
            number=str(n),
            order=n,
            title=f"Item {n}",
            lead=person,
            duration_minutes=10,
        )
        return person, item

    def test_quorum(self):
        """The voting members come with their people (select_related): no query per
        member for the name beside each tick box."""

        def grow(count):
            for _ in range(count):
                self.member()
                self.member(Role.CHAIR)

        self.assert_same_queries(reverse("meetings:group_quorum", args=["DAG"]), grow)

    def test_register_of_interests(self):
        """Each entry, current or ended, and each version in its history come with their
        person and the user who saved it: no query per row for a name."""

        def grow(count):
            for n in range(count):
                current = registered_interest_add(
                    group=self.group,
                    person=self.member(),
                    interest=f"Employed by bidder {n}",
                    declared_on=datetime.date(2024, 1, 10),
                )
                ended = registered_interest_add(
                    group=self.group,
                    person=current.person,
                    interest=f"Shares in supplier {n}",
                    declared_on=datetime.date(2023, 1, 10),
                )
                registered_interest_end(entry=ended, ended_on=datetime.date(2024, 1, 1))

        self.assert_same_queries(
            reverse("meetings:group_interests", args=["DAG"]), grow, "Shares in supplier 3"
        )

    def test_interests_declared_at_a_meeting(self):
        """Each declaration comes with its item and person, and the attendees with theirs:
        no query per declaration or per choice of the form."""

        def grow(count):
            for _ in range(count):
                person, item = self.attendee_at_an_item()
                interest_declare(agenda_item=item, person=person, interest="Employed by a bidder")

        self.assert_same_queries(
            reverse("meetings:meeting_interests", args=[self.meeting.pk]), grow
        )

    def test_agenda(self):
        """Each item comes with its lead (select_related): no query per item for the name
        in its row."""

        def grow(count):
            for _ in range(count):
                self.attendee_at_an_item()

        self.assert_same_queries(reverse("meetings:agenda", args=[self.meeting.pk]), grow)

    def test_an_agenda_item(self):
        """The change requests presented under an item come with it (select_related): no
        query per CR for its reference and title."""
        _, item = self.attendee_at_an_item()

        def grow(count):
            for _ in range(count):
                cr = ChangeRequestFactory(group=self.group, title=f"Change {next(SERIAL)}")
                change_request_present(agenda_item=item, reference=cr.reference, change_request=cr)
                self.newest = cr.title

        self.assert_same_queries(
            reverse("meetings:agenda_item_edit", args=[self.meeting.pk, item.pk]), grow
        )

    def test_preparing_the_next_meeting(self):
        """The latest meeting's agenda items, offered to copy, are one query: no query per
        item (its lead is not read)."""

        def grow(count):
            for _ in range(count):
                self.attendee_at_an_item()
            self.newest = AgendaItem.objects.order_by("-pk").first().title

        self.assert_same_queries(reverse("meetings:meeting_prepare", args=["DAG"]), grow)

    def test_records_past_retention(self):
        """Each register's records past retention are one query, and the log's entries
        come with who took each out: no query per record or entry."""

        def grow(count):
            for n in range(count):
                action = ActionFactory(meeting=self.old_meeting, text=f"Old action {n}")
                Action.objects.filter(pk=action.pk).update(
                    status=ActionStatus.CLOSED, closed_date=LONG_AGO
                )
                DecisionFactory(
                    group=self.group,
                    status=DecisionStatus.APPROVED,
                    decided_at=datetime.datetime(2010, 4, 1, 12, tzinfo=datetime.UTC),
                )
                cr = ChangeRequestFactory(group=self.group)
                ChangeRequest.objects.filter(pk=cr.pk).update(
                    approval_status=ApprovalStatus.APPROVED,
                    stage=Stage.COMPLETE,
                    status_updated=datetime.date(2010, 4, 1),
                )
                raid = RaidItemFactory(group=self.group)
                RaidItem.objects.filter(pk=raid.pk).update(
                    status=RaidStatus.CLOSED,
                    created_at=datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC),
                )
                RetentionLog.objects.create(
                    group=self.group,
                    kind="actions",
                    reference=f"DAG1-{n:02}",
                    outcome=RetentionOutcome.DELETED,
                    reason="Past retention.",
                    by=UserFactory(group=self.group, role=Role.SECRETARIAT),
                )

        self.assert_same_queries(reverse("meetings:group_retention", args=["DAG"]), grow, "DAG1-03")

    def test_an_archived_record(self):
        """An archived record is read from its log entry's snapshot, with who archived it:
        the same queries however many fields it kept."""
        entry = RetentionLog.objects.create(
            group=self.group,
            kind="actions",
            reference="DAG1-01",
            outcome=RetentionOutcome.ARCHIVED,
            reason="Past retention.",
            by=self.secretariat,
            snapshot=[["Text", "Old action"]],
        )

        def grow(count):
            entry.snapshot += [[f"Field {len(entry.snapshot)}", "Value"] for _ in range(count)]
            entry.save()

        self.assert_same_queries(
            reverse("meetings:retention_entry", args=["DAG", entry.pk]), grow, "Field 2"
        )
