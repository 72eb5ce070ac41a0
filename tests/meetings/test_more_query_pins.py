"""Pages whose query count the other tests did not pin: the documents of a group and of a
meeting, one document, the registers and a record of each kind as they stood at a moment,
and the organisations. Each is read
at two sizes and must take the same number of queries."""

import datetime
from urllib.parse import quote

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.services import action_add_update
from core.models import Organisation, Role
from documents.models import Document
from tests.factories import (
    ChangeRequestFactory,
    DecisionFactory,
    PersonFactory,
    RaidItemFactory,
    make_action,
    make_group,
    make_meeting,
    make_user,
)


class MorePagesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.meeting = make_meeting(cls.dag, number=29, date=datetime.date(2024, 6, 12))
        cls.version = 0

    def setUp(self):
        self.client.force_login(self.secretariat)

    def assert_same_queries(self, url, grow):
        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(url).status_code, 200)
        grow()
        with self.assertNumQueries(len(small.captured_queries)):
            self.assertEqual(self.client.get(url).status_code, 200)

    def add_documents(self, count):
        for _ in range(count):
            type(self).version += 1
            Document.objects.create(
                kind="minutes",
                scope=f"meeting:{self.meeting.pk}",
                version=self.version,
                meeting=self.meeting,
                requested_by=make_user(group=self.dag, role=Role.MEMBER),
            )

    def test_document_pages(self):
        """Each document's requester comes with it (select_related), not a query per row
        for the name beside each version (the N+1 of the documents' tables)."""
        self.add_documents(1)
        document = Document.objects.get()
        for url in (
            reverse("meetings:meeting_documents", args=[self.meeting.pk]),
            reverse("meetings:group_documents", args=["DAG"]),
            reverse("meetings:document_detail", args=[document.pk]),
        ):
            with self.subTest(url):
                self.assert_same_queries(url, lambda: self.add_documents(4))

    def test_record_as_at(self):
        """A record then and now is two reads of its history, whatever its length (no query
        per change between the two)."""
        action = make_action(self.meeting)
        at = quote(timezone.now().isoformat())
        url = reverse("meetings:record_as_at", args=["actions", action.pk]) + f"?at={at}"

        def grow():
            for n in range(5):
                action_add_update(action=action, text=f"Update {n}", date=self.meeting.date)
                action.text = f"Wording {n}"
                action.save()

        self.assert_same_queries(url, grow)

    def test_organisation_list(self):
        """Each organisation's count of people is one grouped query, not a query per
        organisation (the N+1 of the count column)."""
        organisation = Organisation.objects.create(name="Elexon")
        PersonFactory(organisation=organisation)

        def grow():
            for n in range(5):
                PersonFactory(organisation=Organisation.objects.create(name=f"Supplier {n}"))

        self.assert_same_queries(reverse("people:organisation_list"), grow)

    def test_every_register_and_record_as_at(self):
        """The decisions and change requests registers as at a day read their history rows
        in one query, not one more a row (the actions and RAID ones are pinned with the
        trends); a decision, CR or RAID item then and now is two reads of its history,
        whatever its length (no query per change between the two)."""
        at = quote(timezone.now().isoformat())
        on = timezone.localdate().strftime("%d/%m/%Y")
        kinds = {
            "decisions": lambda: DecisionFactory(group=self.dag, meeting=None),
            "changerequests": lambda: ChangeRequestFactory(group=self.dag),
            "raid": lambda: RaidItemFactory(group=self.dag),
        }
        for kind, make in kinds.items():
            record = make()
            register = f"{reverse('meetings:registers_as_at')}?register={kind}&on={on}"
            then = reverse("meetings:record_as_at", args=[kind, record.pk]) + f"?at={at}"

            def more(make=make):
                for _ in range(4):
                    make()

            def change(record=record):
                for n in range(5):
                    record.area = record.title = f"Changed {n}"
                    record.save()

            with self.subTest(kind):
                self.assert_same_queries(register, more)
                self.assert_same_queries(then, change)
                self.assertContains(self.client.get(register), record.reference)
