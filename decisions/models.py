"""Decisions of governance groups: proposed, then approved (or rejected) by the chair, at a
meeting or by correspondence; corrections of approved wording are recorded revisions."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import GovernanceGroup, Person
from core.workdays import is_working_day
from notifications.models import OutboundEmail


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Papers(models.TextChoices):
    """What of a meeting's papers a decision approves: in the papers, "Headline Report and
    change marked Minutes", the minutes alone, or a headline report alone (DAG approved
    its February–May 2024 headline reports by correspondence)."""

    MINUTES_AND_HEADLINE = "minutes_headline", "Minutes and Headline Report"
    MINUTES = "minutes", "Minutes"
    HEADLINE = "headline", "Headline Report"


MINUTES_PAPERS = (Papers.MINUTES_AND_HEADLINE, Papers.MINUTES)
HEADLINE_PAPERS = (Papers.MINUTES_AND_HEADLINE, Papers.HEADLINE)


class DecisionQuerySet(models.QuerySet):
    def proposed(self):
        return self.filter(status=DecisionStatus.PROPOSED)

    def approving(self, papers):
        """Decisions approving any of `papers` (MINUTES_PAPERS or HEADLINE_PAPERS)."""
        return self.filter(papers__in=papers, approves_minutes_of__isnull=False)

    def approved(self):
        return self.filter(status=DecisionStatus.APPROVED)

    def live(self):
        """Not withdrawn: a withdrawn approval of minutes (they were reopened) stays on
        record but approves nothing."""
        return self.filter(withdrawn_at__isnull=True)

    def awaiting_chair(self):
        """Proposed and not out for correspondence (those wait for the round's conclusion)."""
        return self.proposed().filter(correspondence_round__isnull=True)

    def with_current_wording(self):
        """current_wording: the latest recorded correction, or the wording as approved."""
        latest = DecisionRevision.objects.filter(decision=OuterRef("pk")).order_by("-at", "-pk")
        return self.annotate(
            current_wording=Coalesce(Subquery(latest.values("wording")[:1]), F("wording")),
            revised=Exists(latest),
        )


class Decision(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    area = models.CharField(max_length=300, blank=True)
    wording = models.TextField(help_text="Once approved, these words are never changed.")
    proposed_wording = models.TextField(
        blank=True, help_text="The words as proposed, kept when the chair approved amended words."
    )
    status = models.CharField(
        max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions_taken",
        help_text="Who took it: the chair as SRO or with delegated authority.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_correspondence = models.BooleanField(default=False)
    approval_comment = models.TextField(blank=True)
    approves_minutes_of = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes_decisions",
        help_text="The meeting whose minutes and/or headline report this decision approves.",
    )
    papers = models.CharField(
        max_length=20,
        choices=Papers.choices,
        blank=True,
        help_text="What of that meeting's papers it approves.",
    )
    correspondence_round = models.ForeignKey(
        "CorrespondenceRound",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    # Reopening approved minutes withdraws the decision that approved them (kept, never
    # deleted); approving them again records the new decision as its successor.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    change_requests = models.ManyToManyField(
        "changerequests.ChangeRequest", blank=True, related_name="decisions"
    )
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="decisions")
    # A decision recorded at an agenda item that was not quorate stands only once the chair
    # confirms it (or it is approved by correspondence): who confirmed it and when.
    quorum_confirmed_at = models.DateTimeField(null=True, blank=True)
    quorum_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The search across everything (meetings/search.py), kept by a PostgreSQL trigger
    # (core/search_vectors.py); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(m2m_fields=[change_requests], excluded_fields=["search_vector"])
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="decision_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=DecisionStatus.PROPOSED) | Q(decided_at__isnull=False),
                name="decision_decided_has_date",
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="decision_reference_not_blank"),
            models.CheckConstraint(
                condition=Q(approves_minutes_of__isnull=True, papers="")
                | Q(approves_minutes_of__isnull=False, papers__in=Papers.values),
                name="decision_papers_with_meeting",
            ),
            # One set of minutes has at most one live approval: a second needs the first
            # withdrawn (by reopening the minutes).
            models.UniqueConstraint(
                fields=["approves_minutes_of"],
                condition=Q(
                    status=DecisionStatus.APPROVED,
                    withdrawn_at__isnull=True,
                    papers__in=MINUTES_PAPERS,
                ),
                name="decision_one_live_minutes_approval",
                violation_error_message="These minutes are already approved.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="decision_withdrawal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status"], name="decision_group_status"),
            # The log's order (newest first, those awaiting approval on top: DESC puts
            # NULLs first), with the group its filter reads: a page's ids, however deep, in
            # an index-only scan.
            models.Index(
                fields=["-decided_at", "-created_at", "-id"],
                include=["group"],
                name="decision_log_order",
            ),
            # What awaits a chair (awaiting_chair()), counted for the menu's badge on every
            # page a chair opens: an index-only scan of those decisions, not a visit to the
            # table page of each (400 pages among 20,000 decisions).
            models.Index(
                fields=["group", "id"],
                condition=Q(status=DecisionStatus.PROPOSED, correspondence_round__isnull=True),
                name="decision_awaiting_chair",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        errors = self._decided_changes()
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)
        self._remember_stored()

    def get_absolute_url(self):
        return reverse("decisions:decision_detail", args=[self.reference])

    @classmethod
    def from_db(cls, db, field_names, values):
        decision = super().from_db(db, field_names, values)
        decision._remember_stored()
        return decision

    def _remember_stored(self):
        # What the database holds, so an approved decision's words can be kept as they are.
        self._stored = (self.__dict__.get("status"), self.__dict__.get("wording"))

    def clean(self):
        errors = {}
        if self.status != DecisionStatus.PROPOSED and not self.decided_at:
            errors["decided_at"] = "An approved or rejected decision needs the date it was taken."
        if self.meeting_id and self.group_id and self.meeting.group_id != self.group_id:
            errors["meeting"] = "The meeting belongs to another group."
        if (
            self.approves_minutes_of_id
            and self.group_id
            and self.approves_minutes_of.group_id != self.group_id
        ):
            errors["approves_minutes_of"] = "The meeting belongs to another group."
        errors.update(self._decided_changes())
        if errors:
            raise ValidationError(errors)

    def _decided_changes(self):
        """An approved or rejected decision keeps its outcome and its words for good."""
        stored_status, stored_wording = getattr(self, "_stored", (None, None))
        if stored_status in (None, DecisionStatus.PROPOSED):
            return {}
        errors = {}
        if self.status != stored_status:
            errors["status"] = "The decision has been taken; its outcome cannot be changed."
        if stored_wording is not None and self.wording != stored_wording:
            errors["wording"] = (
                "The approved wording cannot be changed; record a correction with its reason."
            )
        return errors

    @property
    def how_decided(self):
        """The papers' "How decided" column: at which meeting or by correspondence; a
        decision the chair took outside both is "by the chair". Rejections say so, since
        the exported columns carry no status."""
        if self.status == DecisionStatus.PROPOSED:
            return "Awaiting approval"
        if self.by_correspondence:
            how = "by correspondence"
        elif self.meeting_id:
            how = f"at {self.meeting.code}"
        else:
            how = "by the chair"
        if self.status == DecisionStatus.REJECTED:
            return f"Rejected {how}"
        return how[0].upper() + how[1:]

    def quorum_problem(self) -> str:
        """Why the chair must confirm this decision ("" when it needs no confirmation): it was
        recorded at an agenda item that was not quorate, at a sitting, and nobody has
        confirmed it yet. The item answers through the foreign key (AgendaItem.quorum)."""
        if self.by_correspondence or self.quorum_confirmed_at or not self.agenda_item_id:
            return ""
        quorum = self.agenda_item.quorum()
        if quorum.met:
            return ""
        return (
            f"Item {self.agenda_item.number} was not quorate when this was recorded "
            f"({'; '.join(quorum.shortfalls)})."
        )

    @property
    def was_amended(self):
        return bool(self.proposed_wording) and self.proposed_wording != self.wording


def meeting_objects():
    """Meeting.objects, reached through Decision's foreign key: decisions sit below the
    meetings app and do not import it (docs/architecture.md)."""
    return Decision._meta.get_field("meeting").related_model.objects


class DecisionRevision(models.Model):
    """A correction of an approved decision's wording: the new words and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="revisions")
    wording = models.TextField()
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_revision_has_reason"),
            models.CheckConstraint(condition=~Q(wording=""), name="decision_revision_has_wording"),
        ]

    def __str__(self):
        return f"Correction of {self.decision.reference}"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONCLUDED = "concluded", "Concluded"


class CorrespondenceRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RoundStatus.OPEN)

    def for_table(self):
        """Rounds for a table: their group, decisions and response counts in fixed queries."""
        return (
            self.select_related("group")
            .prefetch_related(
                models.Prefetch("decisions", queryset=Decision.objects.order_by("reference"))
            )
            .annotate(
                recipient_count=models.Count("recipients"),
                response_count=models.Count(
                    "recipients", filter=Q(recipients__responded_at__isnull=False)
                ),
            )
        )


class CorrespondenceRound(models.Model):
    """Approval by correspondence: proposed decisions sent to a group's members, who answer
    by a deadline through a signed link; the chair then concludes the round."""

    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.PROTECT, related_name="correspondence_rounds"
    )
    title = models.CharField(max_length=200)
    message = models.TextField(blank=True, help_text="Put at the top of the email to members.")
    deadline = models.DateField(help_text="Responses are taken until the end of this day.")
    status = models.CharField(max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    conclusion_comment = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = CorrespondenceRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=RoundStatus.OPEN) | Q(concluded_at__isnull=False),
                name="round_concluded_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.group.code} by correspondence: {self.title}"

    def get_absolute_url(self):
        return reverse("decisions:round_detail", args=[self.pk])

    @property
    def closes_at(self):
        """The end of the deadline day, UK time: links stop working then."""
        day_after = self.deadline + datetime.timedelta(days=1)
        return datetime.datetime.combine(
            day_after, datetime.time(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
        )

    def takes_responses(self, now) -> bool:
        return self.status == RoundStatus.OPEN and now < self.closes_at

    @property
    def reminder_date(self):
        """Two UK working days before the deadline: non-responders are reminded then."""
        day, left = self.deadline, 2
        while left:
            day -= datetime.timedelta(days=1)
            left -= is_working_day(day)
        return day


class CorrespondenceRecipient(models.Model):
    """A member asked to respond to a round, and when they did."""

    round = models.ForeignKey(
        CorrespondenceRound, on_delete=models.CASCADE, related_name="recipients"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="correspondence_requests"
    )
    invitation = models.ForeignKey(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder = models.ForeignKey(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="round_recipient_unique"),
        ]

    def __str__(self):
        return f"{self.person} in {self.round}"


class ResponseChoice(models.TextChoices):
    APPROVE = "approve", "Approve"
    OBJECT = "object", "Object"
    COMMENT = "comment", "Comment"


class CorrespondenceResponse(models.Model):
    """One member's answer on one decision of a round."""

    recipient = models.ForeignKey(
        CorrespondenceRecipient, on_delete=models.CASCADE, related_name="responses"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="correspondence_responses"
    )
    choice = models.CharField(max_length=10, choices=ResponseChoice.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["recipient", "decision"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "decision"], name="correspondence_response_unique"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=ResponseChoice.values), name="correspondence_choice_valid"
            ),
            models.CheckConstraint(
                condition=Q(choice=ResponseChoice.APPROVE) | ~Q(comment=""),
                name="correspondence_objection_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.get_choice_display()} {self.decision} ({self.recipient.person})"
