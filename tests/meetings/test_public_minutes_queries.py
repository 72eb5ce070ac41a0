"""The public minutes pages read a fixed number of queries whatever they list: pinned at two
sizes (more publications for the list and the feed, more items and records for one
publication's page); the list comes a page at a time."""

import datetime
from unittest.mock import patch

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from meetings.minutes_workflow import minutes_issue
from meetings.models import AgendaItem, MinutesPublication
from tests.factories import ActionFactory, GroupFactory, MeetingFactory, UserFactory


class PublicMinutesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG", public=True, publication_working_days=10)
        cls.secretariat = UserFactory(username="pmo", group=cls.group, role=Role.SECRETARIAT)
        cls.number = 0

    def publish(self, items=1):
        """A meeting's minutes issued and published (the publication's PDF is not needed by
        the pages pinned here, so none is rendered)."""
        type(self).number += 1
        meeting = MeetingFactory(
            group=self.group,
            number=self.number,
            date=datetime.date(2024, 1, 10) + datetime.timedelta(weeks=2 * self.number),
        )
        for n in range(1, items + 1):
            item = AgendaItem.objects.create(
                meeting=meeting, number=str(n), order=n, title=f"Item {n}", minutes="Noted."
            )
            ActionFactory(meeting=meeting, agenda_item=item, text=f"Report back on item {n}")
        minutes_issue(meeting=meeting, user=self.secretariat)
        issue = meeting.minutes_issues.get()
        return MinutesPublication.objects.create(
            meeting=meeting, issue=issue, published_by=self.secretariat
        )

    def assert_same_queries(self, url, grow):
        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(url).status_code, 200)
        grow()
        with self.assertNumQueries(len(small.captured_queries)):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_list_and_feed(self):
        """Each publication's meeting, group and issue come with it (select_related), not a
        query per row for its code, deadline or label (the N+1 of the list and the feed)."""
        self.publish()

        def grow():
            for _ in range(3):
                self.publish()

        for name in ("public_minutes_list", "public_minutes_feed"):
            with self.subTest(name):
                self.assert_same_queries(reverse(name), grow)

    def test_list_a_page_at_a_time(self):
        """Years of publications of forty groups: the newest LIST_PAGE_SIZE first."""
        publications = [self.publish() for _ in range(3)]
        with patch("meetings.public_views.LIST_PAGE_SIZE", 2):
            first = self.client.get(reverse("public_minutes_list")).content.decode()
            second = self.client.get(reverse("public_minutes_list"), {"page": 2})
        self.assertIn("Showing 1–2 of 3 publications", first)
        self.assertIn(publications[2].meeting.code, first)
        self.assertNotIn(publications[0].meeting.code, first)
        self.assertContains(second, publications[0].meeting.code)

    def test_one_publications_page(self):
        """The public version is built from the issue's stored minutes: no query per item,
        action or decision it shows (the N+1 of the paper's tables)."""
        small = self.publish(items=1)
        big = self.publish(items=6)
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("public_minutes", args=[small.pk]))
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(reverse("public_minutes", args=[big.pk]))
        self.assertContains(response, "Report back on item 6")
