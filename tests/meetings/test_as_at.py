"""The registers as they stood at a meeting: a live history (records saved before DAG002
started, edited and closed after it, one created after it), with the history rows dated as
they would have been; the values then, a row compared with today, the minutes' outstanding
actions being the "as at" view, records typed in later from past papers counted, and who
may see what."""

import datetime
from unittest import mock

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionStatus
from actions.services import set_owners
from core.models import Role
from documents.models import Document
from documents.rendering import build_source
from meetings.as_at import REGISTERS, actions_as_at, end_of_day, entered_later, rows_as_at
from meetings.documents import MINUTES
from meetings.minutes import build_minutes
from meetings.minutes_issues import changes_since_issue
from meetings.models import MeetingStatus, MinutesIssue
from raid.models import RaidItem
from tests.factories import (
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    PersonFactory,
    RaidItemFactory,
    UserFactory,
)

LONDON = timezone.get_default_timezone()


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime(2024, 6, day, hour), LONDON)


class RegisterAsAtMeeting(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG")
        cls.member = UserFactory(username="m", group=cls.group, role=Role.MEMBER)
        cls.outsider = UserFactory(group=GroupFactory(code="TMAG"), role=Role.MEMBER)
        cls.first = MeetingFactory(group=cls.group, number=1, date=datetime.date(2024, 6, 3))
        cls.second = MeetingFactory(
            group=cls.group,
            number=2,
            date=datetime.date(2024, 6, 12),
            start_time=datetime.time(10),
        )
        old = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)

        def action(text, due, saved_on):
            made = ActionFactory(meeting=cls.first, text=text, due_date=due)
            made.history.update(history_date=saved_on)
            return made

        cls.open_then = action("Still open", datetime.date(2024, 6, 30), at(4))
        cls.closed_before = action("Closed before", datetime.date(2024, 6, 10), at(4))
        cls.closed_at_second = action("Closed at DAG002", datetime.date(2024, 6, 11), at(4))
        # Closed on 10 June, before the second meeting: saved then.
        Action.objects.filter(pk=cls.closed_before.pk).update(
            status=ActionStatus.CLOSED, closed_date=datetime.date(2024, 6, 10)
        )
        cls.closed_before.refresh_from_db()
        cls.closed_before.save()
        cls.closed_before.history.filter(history_date__gt=at(5)).update(history_date=at(10))
        # After the meeting started: the due date moved and one closed there.
        for record, fields in (
            (cls.open_then, {"due_date": datetime.date(2024, 7, 31)}),
            (
                cls.closed_at_second,
                {
                    "status": ActionStatus.CLOSED,
                    "closed_date": datetime.date(2024, 6, 12),
                    "closed_meeting": cls.second,
                },
            ),
        ):
            for name, value in fields.items():
                setattr(record, name, value)
            record.save()
            record.history.filter(history_date__gt=at(5)).update(history_date=at(12, 15))
        # Raised after the start of DAG002: not in the register as at its start.
        cls.raised_there = ActionFactory(meeting=cls.second, text="New at DAG002")
        cls.raised_there.history.update(history_date=at(12, 11))
        # A past paper's action typed in today: raised in May, no version before today.
        cls.typed_in = ActionFactory(
            meeting=cls.first, text="From an old paper", date_raised=datetime.date(2024, 5, 1)
        )
        cls.programme_risk = RaidItemFactory(title="Programme-wide risk")
        cls.programme_risk.history.update(history_date=old)
        cls.register = REGISTERS["actions"]

    def test_values_then_at_the_start_of_the_meeting(self):
        rows = rows_as_at(
            self.register, user=self.member, at=self.second.records_open_at, only_open=True
        )
        assert {row.text: row.due_date for row in rows} == {
            "Still open": datetime.date(2024, 6, 30),
            "Closed at DAG002": datetime.date(2024, 6, 11),
        }
        everything = rows_as_at(self.register, user=self.member, at=self.second.records_open_at)
        assert {row.text for row in everything} == {
            "Still open",
            "Closed before",
            "Closed at DAG002",
        }
        at_end_of_day = rows_as_at(self.register, user=self.member, at=end_of_day(self.second.date))
        assert {row.text: row.status for row in at_end_of_day if row.status == "closed"} == {
            "Closed before": ActionStatus.CLOSED,
            "Closed at DAG002": ActionStatus.CLOSED,
        }

    def outstanding_in_minutes(self):
        """{reference: (owner, due, closed here)} of the minutes' outstanding actions, from
        the minutes page and from the minutes PDF's data: the two must agree."""
        self.client.force_login(self.member)
        page = self.client.get(reverse("meetings:minutes_document", args=[self.second.pk]))
        pdf = build_source(Document(kind=MINUTES, meeting=self.second)).data

        def rows(minutes):
            return {
                row.reference: (row.owner, row.due, row.closed)
                for group in minutes.action_groups
                if group.previous
                for row in group.rows
            }

        assert rows(page.context["minutes"]) == rows(pdf)
        return rows(pdf)

    def as_at_page(self):
        """{reference: (owners, due)} of the "as at the start of DAG002" page, open ones."""
        page = self.client.get(
            reverse("meetings:registers_as_at"),
            {"register": "actions", "meeting": self.second.pk, "only_open": "on"},
        )
        headings = page.context["headings"]
        owners, due = headings.index("Owners"), headings.index("Due date")
        return {row.reference: (cells[owners], cells[due]) for row, cells in page.context["rows"]}

    def test_minutes_outstanding_actions_are_the_as_at_view(self):
        """The minutes of DAG002 (page and PDF data) list as outstanding exactly the rows
        of the "as at its start" register, with the values and owners they had then, and
        they stay so when the actions are edited after the meeting; the typed-in action
        (no history before the meeting) is in both, as it is now."""
        owner = PersonFactory(name="Paul Pettitt")
        set_owners(action=self.open_then, owners=[owner])  # owned only after the meeting
        self.open_then.history.filter(history_date__gt=at(12, 15)).update(history_date=at(13))
        minutes = self.outstanding_in_minutes()
        as_at = self.as_at_page()
        assert minutes == {
            self.open_then.reference: ("", "30/06/2024", False),
            self.closed_at_second.reference: ("", "11/06/2024", True),
            self.typed_in.reference: ("", self.typed_in.due_display(), False),
        }
        assert {ref: (owner or "", due) for ref, (owner, due, _) in minutes.items()} == {
            ref: ("" if owners == "—" else owners, due) for ref, (owners, due) in as_at.items()
        }
        assert entered_later(self.register, user=self.member, at=self.second.records_open_at) == 1
        assert self.typed_in.reference in {
            row.reference for row in actions_as_at(at=self.second.records_open_at, only_open=True)
        }

        # The minutes are issued, then an action is edited after the meeting: neither the
        # minutes nor the "as at" view change, and the issue lists no change since.
        self.second.status = MeetingStatus.MINUTES_ISSUED
        self.second.save()
        issue = MinutesIssue.objects.create(
            meeting=self.second, number=1, data=build_minutes(self.second).as_dict()
        )
        self.open_then.due_date = datetime.date(2024, 9, 30)
        self.open_then.text = "Reworded since"
        self.open_then.save()
        assert self.outstanding_in_minutes() == minutes
        assert self.as_at_page() == as_at
        assert changes_since_issue(issue.data, build_minutes(self.second).as_dict()) == []
        # Today's register has the edit: only the meeting's view holds the values then.
        assert "30/09/2024" in self.client.get(self.open_then.get_absolute_url()).content.decode()

    def test_pages_and_comparison_with_today(self):
        self.client.force_login(self.member)
        page = self.client.get(
            reverse("meetings:registers_as_at"),
            {"register": "actions", "meeting": self.second.pk, "only_open": "on"},
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert "30/06/2024" in text and "31/07/2024" not in text
        assert "New at DAG002" not in text
        # The typed-in action is listed as it is now, marked so.
        assert "From an old paper" in text and "typed in later" in text
        compare = self.client.get(
            reverse("meetings:record_as_at", args=["actions", self.open_then.pk]),
            {"at": self.second.records_open_at.isoformat()},
        )
        differences = {d.label: d for d in compare.context["differences"]}
        assert differences["Due date"].then == "30/06/2024"
        assert differences["Due date"].now == "31/07/2024"
        assert differences["Due date"].changed
        assert not differences["Status"].changed
        not_yet = self.client.get(
            reverse("meetings:record_as_at", args=["actions", self.raised_there.pk]),
            {"at": self.second.records_open_at.isoformat()},
        )
        assert not not_yet.context["existed"]
        bad = self.client.get(
            reverse("meetings:registers_as_at"),
            {"register": "actions", "meeting": self.second.pk, "on": "12/06/2024"},
        )
        assert bad.status_code == 200
        assert bad.context["form"].errors["on"]
        assert (
            self.client.get(
                reverse("meetings:record_as_at", args=["actions", self.open_then.pk]),
                {"at": "nonsense"},
            ).status_code
            == 404
        )

    def test_other_groups_records_are_not_shown(self):
        self.client.force_login(self.outsider)
        page = self.client.get(
            reverse("meetings:registers_as_at"), {"register": "actions", "on": "30/06/2024"}
        )
        assert page.status_code == 200
        assert page.context["rows"] == []
        compare = self.client.get(
            reverse("meetings:record_as_at", args=["actions", self.open_then.pk]),
            {"at": self.second.records_open_at.isoformat()},
        )
        assert compare.status_code == 404
        # Programme-wide RAID items are everyone's with a role.
        raid = rows_as_at(REGISTERS["raid"], user=self.outsider, at=at(12))
        assert [row.pk for row in raid] == [self.programme_risk.pk]
        assert RaidItem.objects.count() == 1

    def test_meeting_choices_are_the_chosen_groups(self):
        """The page never lists every meeting of every group (3,000 options at a programme's
        scale): the chosen group's meetings, or without a group the meeting the link names."""
        self.client.force_login(self.member)
        url = reverse("meetings:registers_as_at")

        def choices(**params):
            field = self.client.get(url, params).context["form"].fields["meeting"]
            return list(field.queryset)

        assert choices() == []
        assert choices(register="actions", group="DAG") == [self.second, self.first]
        assert choices(register="actions", meeting=self.first.pk) == [self.first]
        assert choices(register="actions", meeting="x") == []

    def test_pages_in_the_registers_order(self):
        """A page of rows at a time (a programme's register holds tens of thousands then),
        history rows and those typed in later in one reference order across the pages."""
        self.client.force_login(self.member)
        url = reverse("meetings:registers_as_at")
        params = {"register": "actions", "meeting": self.second.pk}
        whole = [row.reference for row in actions_as_at(at=self.second.records_open_at)]
        with mock.patch("meetings.as_at.PAGE_SIZE", 3):
            pages = [self.client.get(url, {**params, "page": n}) for n in (1, 2)]
        shown = [row.reference for page in pages for row, _ in page.context["rows"]]
        assert len(whole) == 4 and shown == whole
        assert "Showing 1–3 of 4 records" in pages[0].content.decode()
        assert "typed in later" in pages[1].content.decode() + pages[0].content.decode()
