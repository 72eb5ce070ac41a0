"""The preview of a past paper reads a fixed number of queries however many rows the paper
holds: a paper of one attendee, item, action, decision, CR and RAID item, then one of five
of each (half of them already in the tracker), each previewed with the same queries."""

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from meetings.paper_import.draft import PaperImport, PaperImportStatus
from meetings.paper_import.model import (
    ActionRow,
    AgendaEntry,
    AttendanceLine,
    ChangeRequestRow,
    DecisionRow,
    Header,
    Paper,
    RaidRow,
)
from tests.factories import (
    ChangeRequestFactory,
    PersonFactory,
    RaidItemFactory,
    make_action,
    make_group,
    make_meeting,
    make_user,
)


class PreviewQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.earlier = make_meeting(cls.dag, number=28, date=datetime.date(2023, 9, 13))
        # What the larger paper names that the tracker already holds.
        cls.people = [PersonFactory(name=f"Known Person {n}") for n in range(3)]
        cls.actions = [make_action(cls.earlier, owners=[person]) for person in cls.people]
        cls.crs = [ChangeRequestFactory(group=cls.dag) for _ in range(3)]
        cls.raid = [RaidItemFactory(group=cls.dag) for _ in range(3)]

    def preview(self, rows):
        """The preview page of a pending import of a paper with `rows` of each kind."""
        known = min(rows, 3)
        paper = Paper(
            header=Header(kind="minutes", group_code="DAG", number=29, date="11 October 2023"),
            attendance=[
                AttendanceLine(section="industry", name=name, initials=f"P{n}")
                for n, name in enumerate(
                    [p.name for p in self.people[:known]]
                    + [f"New Person {n}" for n in range(rows - known)]
                )
            ],
            agenda=[
                AgendaEntry(number=str(n), title=f"Item {n}", lead=self.people[0].name)
                for n in range(1, rows + 1)
            ],
            actions=[
                ActionRow(reference=a.reference, text=a.text, owner=self.people[0].name)
                for a in self.actions[:known]
            ]
            + [
                ActionRow(reference=f"DAG29-{n:02}", text=f"New action {n}", item="1")
                for n in range(1, rows - known + 1)
            ],
            decisions=[
                DecisionRow(reference=f"DAG-DEC{n}", wording=f"Agreed {n}", item="1")
                for n in range(1, rows + 1)
            ],
            change_requests=[
                ChangeRequestRow(reference=cr.reference, title=cr.title, item="1")
                for cr in self.crs[:known]
            ]
            + [ChangeRequestRow(reference=f"CR9{n:02}", item="1") for n in range(rows - known)],
            raid=[
                RaidRow(reference=item.reference, description=item.title, item="1")
                for item in self.raid[:known]
            ]
            + [RaidRow(reference=f"R9{n:02}", item="1") for n in range(rows - known)],
        )
        draft = PaperImport.objects.create(
            group=self.dag,
            created_by=self.secretariat,
            filename=f"DAG029 minutes ({rows}).pdf",
            status=PaperImportStatus.PENDING,
            paper=paper.to_json(),
        )
        return reverse("meetings:paper_import_preview", args=[draft.pk])

    def test_the_preview_takes_a_fixed_number_of_queries(self):
        """Each row is matched against the tracker's records of its kind read together (the
        people, the actions, the CRs and RAID items it names), not with a query per row."""
        self.client.force_login(self.secretariat)
        small, big = self.preview(1), self.preview(5)
        with CaptureQueriesContext(connection) as one:
            self.assertEqual(self.client.get(small).status_code, 200)
        with self.assertNumQueries(len(one)):
            response = self.client.get(big)
        self.assertContains(response, "New action 2")
