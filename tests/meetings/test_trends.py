"""A group's trends over three meetings: the numbers behind each chart, the page (an SVG
chart beside the table of its numbers for each trend) and who may read it."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionStatus
from core.models import Organisation, Role
from decisions.models import DecisionStatus
from meetings.trends import group_trends
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    GroupFactory,
    MeetingFactory,
    PersonFactory,
    RaidItemFactory,
    UserFactory,
)

D = datetime.date


class GroupTrends(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG")
        cls.member = UserFactory(group=cls.group, role=Role.MEMBER)
        cls.m1, cls.m2, cls.m3 = (
            MeetingFactory(group=cls.group, number=n, date=day)
            for n, day in ((1, D(2024, 1, 10)), (2, D(2024, 2, 14)), (3, D(2024, 3, 13)))
        )
        acme = PersonFactory(name="Ann", organisation=Organisation.objects.create(name="Acme"))
        # Raised at DAG001: one closed 20 days later, one still open (overdue from 1 Feb).
        a = ActionFactory(meeting=cls.m1, due_date=D(2024, 2, 1), owners=[acme])
        b = ActionFactory(meeting=cls.m1, due_date=D(2024, 2, 1), owner_party="Programme")
        Action.objects.filter(pk=a.pk).update(
            status=ActionStatus.CLOSED, closed_date=D(2024, 1, 30)
        )
        cls.open_one = b
        ActionFactory(meeting=cls.m2, due_date=D(2099, 1, 1))
        DecisionFactory(group=cls.group, meeting=cls.m2)
        DecisionFactory(
            group=cls.group,
            meeting=cls.m2,
            status=DecisionStatus.APPROVED,
            decided_at=timezone.now(),
        )
        risk = RaidItemFactory(group=cls.group, probability=4, impact=5)  # 20: critical
        risk.history.update(history_date=timezone.make_aware(datetime.datetime(2024, 2, 1)))

    def test_numbers(self):
        trends = {t.key: t for t in group_trends(self.group, D(2024, 4, 1))}
        actions = dict(trends["actions"].series)
        assert trends["actions"].labels == ["DAG001", "DAG002", "DAG003"]
        assert actions == {"Open": [2, 2, 2], "Overdue": [0, 1, 1], "Closed": [0, 1, 1]}
        assert dict(trends["days-to-close"].series)["Median days"] == [None, 20, None]
        assert trends["overdue-by-owner"].rows == [("Programme", [1])]
        raid = dict(trends["raid"].series)
        assert raid["Critical"] == [0, 1, 1]
        assert raid["Low"] == [0, 0, 0]
        assert dict(trends["decisions"].series)["Decisions"] == [0, 2, 0]
        assert dict(trends["publication"].series)["Days taken"] == [None, None, None]

    def test_page_draws_each_chart_beside_its_table(self):
        url = reverse("meetings:group_trends", args=["DAG"])
        self.client.force_login(self.member)
        page = self.client.get(url).content.decode()
        for key in ("actions", "days-to-close", "overdue-by-owner", "raid", "decisions"):
            assert f'aria-describedby="table-{key}"' in page
            assert f'<table class="table trend__table" id="table-{key}">' in page
        self.client.force_login(UserFactory(group=GroupFactory(code="TMAG"), role=Role.CHAIR))
        assert self.client.get(url).status_code == 404


class TrendsAndAsAtQueryCounts(TestCase):
    """The trends page and the "as at" register read a fixed number of queries whatever the
    number of records: pinned at two sizes, with records whose history goes back before
    the moments shown, so the rows really are read from the history."""

    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG")
        cls.member = UserFactory(group=cls.group, role=Role.MEMBER)
        cls.meeting = MeetingFactory(group=cls.group, number=1, date=D(2024, 1, 10))
        cls.later = MeetingFactory(group=cls.group, number=2, date=D(2024, 2, 14))

    def grow(self, count):
        """`count` actions of DAG001 with an owner of an organisation and `count` open RAID
        items, all saved (as their history says) on the day of DAG001; and `count` actions
        typed in later (no history before the moments shown)."""
        saved = timezone.make_aware(datetime.datetime(2024, 1, 10, 18))
        for _ in range(count):
            organisation = Organisation.objects.create(name=f"Org {Organisation.objects.count()}")
            owner = PersonFactory(organisation=organisation)
            action = ActionFactory(meeting=self.meeting, owners=[owner], due_date=D(2024, 2, 1))
            item = RaidItemFactory(group=self.group, probability=4, impact=4)
            for record in (action, item):
                # Each version a second after the one before, as they were saved.
                for n, pk in enumerate(record.history.order_by("history_id").values_list("pk")):
                    record.history.filter(pk=pk[0]).update(
                        history_date=saved + datetime.timedelta(seconds=n)
                    )
            ActionFactory(meeting=self.meeting, owners=[PersonFactory()], due_date=D(2024, 2, 1))

    def test_pages_pinned_at_two_sizes(self):
        """Each page reads as many queries with 2 as with 6 of each kind of record:

        - the trends page: the group, the meetings shown, the group's actions' dates (not
          whole actions with their owners), the overdue ones' owners' organisations, the
          RAID register as at each meeting's start (one query a meeting: simple-history's
          as_of would add one per RAID item for the search vector its history does not
          keep, the N+1 pinned here), the decisions;
        - the actions as at the start of DAG002: every row's reference and key (history and
          typed in later), then the page's history rows in one query (as_of would
          read each row's search vector and sort key with a query a row), the owners each
          version was saved with (not a query a row), those typed in later with their
          owners, their meetings and "Next DAG" dates;
        - the RAID register as at the end of a day: its references, then the page's history
          rows in one query, not one more a row."""
        as_at = reverse("meetings:registers_as_at")
        pages = [
            (TRENDS_PAGE_QUERIES, reverse("meetings:group_trends", args=["DAG"]), None),
            (
                AS_AT_PAGE_QUERIES,
                as_at,
                {"register": "actions", "meeting": self.later.pk, "only_open": "on"},
            ),
            (AS_AT_RAID_QUERIES, as_at, {"register": "raid", "on": "30/06/2024"}),
        ]
        self.client.force_login(self.member)
        for count in (2, 6):
            self.grow(count)
            for expected, url, params in pages:
                with self.subTest(url=url, params=params, count=count):
                    with self.assertNumQueries(expected):
                        response = self.client.get(url, params)
                    assert response.status_code == 200
        rows = self.client.get(as_at, pages[1][2]).context["rows"]
        assert len(rows) == 2 * (2 + 6)
        assert sum(row.typed_in_later for row, _ in rows) == 2 + 6
        assert all(cells[3] != "—" for _, cells in rows)  # the owners then, and typed in


TRENDS_PAGE_QUERIES = 11
AS_AT_PAGE_QUERIES = 15
AS_AT_RAID_QUERIES = 8
