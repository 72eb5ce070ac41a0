"""Retention: records closed longer ago than the group keeps them are listed for the
secretariat's review, then archived (kept read-only in the log, out of the register) or
deleted with a logged reason; nothing else is touched, and nothing is taken out without a
reason or while something depends on it."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionStatus
from core.models import Role
from decisions.models import Decision, DecisionStatus
from meetings.models import RetentionLog
from meetings.retention import past_retention
from raid.models import RaidItem, RaidStatus
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    GroupFactory,
    MeetingFactory,
    RaidItemFactory,
    UserFactory,
)

LONG_AGO = datetime.date(2010, 5, 1)


class Retention(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG", retention_years=6)
        cls.secretariat = UserFactory(group=cls.group, role=Role.SECRETARIAT)
        cls.member = UserFactory(group=cls.group, role=Role.MEMBER)
        meeting = MeetingFactory(group=cls.group, date=datetime.date(2010, 4, 1))
        cls.old = ActionFactory(meeting=meeting, text="Old and closed")
        cls.recent = ActionFactory(meeting=meeting, text="Closed last month")
        cls.still_open = ActionFactory(meeting=meeting, text="Old but open")
        Action.objects.filter(pk=cls.old.pk).update(
            status=ActionStatus.CLOSED, closed_date=LONG_AGO
        )
        Action.objects.filter(pk=cls.recent.pk).update(
            status=ActionStatus.CLOSED,
            closed_date=timezone.localdate() - datetime.timedelta(days=30),
        )
        cls.decision = DecisionFactory(
            group=cls.group,
            status=DecisionStatus.APPROVED,
            decided_at=datetime.datetime(2010, 4, 1, 12, tzinfo=datetime.UTC),
        )
        cls.superseded = RaidItemFactory(group=cls.group, title="Superseded")
        cls.successor = RaidItemFactory(group=cls.group, title="Successor")
        RaidItem.objects.filter(pk=cls.superseded.pk).update(
            status=RaidStatus.SUPERSEDED, superseded_by=cls.successor
        )
        RaidItem.objects.filter(pk=cls.successor.pk).update(status=RaidStatus.CLOSED)
        RaidItem.objects.filter(group=cls.group).update(
            created_at=datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC)
        )
        cls.url = reverse("meetings:group_retention", args=["DAG"])

    def test_listed_for_review_only_past_retention(self):
        found = past_retention(self.group, timezone.localdate())
        assert [a.text for a in found["actions"]] == ["Old and closed"]
        assert found["decisions"] == [self.decision]
        assert {r.title for r in found["raid"]} == {"Superseded", "Successor"}
        self.group.retention_years = None
        assert past_retention(self.group, timezone.localdate()) == {}

    def test_archive_and_delete_with_a_logged_reason(self):
        self.client.force_login(self.secretariat)
        page = self.client.get(self.url)
        assert self.old.reference in page.content.decode()
        refused = self.client.post(
            self.url,
            {"kind": "decisions", "pk": self.decision.pk, "outcome": "deleted", "reason": " "},
        )
        assert refused.status_code == 200
        assert Decision.objects.filter(pk=self.decision.pk).exists()
        archived = self.client.post(
            self.url,
            {"kind": "actions", "pk": self.old.pk, "outcome": "archived", "reason": "6 years"},
        )
        assert archived.status_code == 302
        assert not Action.objects.filter(pk=self.old.pk).exists()
        entry = RetentionLog.objects.get(reference=self.old.reference)
        assert ["Text", "Old and closed"] in entry.snapshot
        self.client.post(
            self.url,
            {"kind": "decisions", "pk": self.decision.pk, "outcome": "deleted", "reason": "Policy"},
        )
        deleted = RetentionLog.objects.get(reference=self.decision.reference)
        assert deleted.snapshot == [] and deleted.reason == "Policy"
        assert not Decision.objects.filter(pk=self.decision.pk).exists()
        # Not past retention: refused, kept.
        self.client.post(
            self.url,
            {"kind": "actions", "pk": self.recent.pk, "outcome": "deleted", "reason": "x"},
        )
        assert Action.objects.filter(pk=self.recent.pk).exists()
        # Something still refers to it: refused, kept, and the page says why.
        protected = self.client.post(
            self.url,
            {"kind": "raid", "pk": self.successor.pk, "outcome": "deleted", "reason": "x"},
        )
        assert "cannot be taken out" in protected.content.decode()
        assert RaidItem.objects.filter(pk=self.successor.pk).exists()
        # The archived record, read-only, for the group's readers.
        self.client.force_login(self.member)
        shown = self.client.get(reverse("meetings:retention_entry", args=["DAG", entry.pk]))
        assert "Old and closed" in shown.content.decode()

    def test_permissions(self):
        self.client.force_login(self.member)
        assert self.client.get(self.url).status_code == 403
        outsider = UserFactory(group=GroupFactory(code="TMAG"), role=Role.SECRETARIAT)
        self.client.force_login(outsider)
        assert self.client.get(self.url).status_code == 404
        entry = RetentionLog.objects.create(
            group=self.group, kind="actions", reference="X1", outcome="deleted", reason="r"
        )
        entry_url = reverse("meetings:retention_entry", args=["DAG", entry.pk])
        assert self.client.get(entry_url).status_code == 404
