"""A group's trends over three meetings: the numbers behind each chart, the page (an SVG
chart beside the table of its numbers for each trend) and who may read it."""

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
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
    number of actions (the trends add one per meeting shown, at most MEETINGS)."""

    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG")
        cls.member = UserFactory(group=cls.group, role=Role.MEMBER)
        cls.meeting = MeetingFactory(group=cls.group, number=1, date=D(2024, 1, 10))

    def grow(self, count):
        for _ in range(count):
            ActionFactory(meeting=self.meeting, owners=[PersonFactory()], due_date=D(2024, 2, 1))

    def assert_fixed(self, url, params=None):
        """As many queries with 17 actions as with 2."""
        self.client.force_login(self.member)
        self.grow(2)
        with CaptureQueriesContext(connection) as few:
            assert self.client.get(url, params).status_code == 200
        self.grow(15)
        with self.assertNumQueries(len(few.captured_queries)):
            assert self.client.get(url, params).status_code == 200

    def test_trends_page(self):
        self.assert_fixed(reverse("meetings:group_trends", args=["DAG"]))

    def test_register_as_at_page(self):
        self.assert_fixed(
            reverse("meetings:registers_as_at"), {"register": "actions", "on": "30/06/2024"}
        )
