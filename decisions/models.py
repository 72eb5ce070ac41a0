"""Decisions of governance groups: proposed, then approved (or rejected) by the chair."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from meetings.models import AgendaItem, GovernanceGroup, Meeting, Person


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class DecisionQuerySet(models.QuerySet):
    def proposed(self):
        return self.filter(status=DecisionStatus.PROPOSED)

    def approved(self):
        return self.filter(status=DecisionStatus.APPROVED)


class Decision(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    area = models.CharField(max_length=300, blank=True)
    wording = models.TextField()
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
    change_requests = models.ManyToManyField(
        "changerequests.ChangeRequest", blank=True, related_name="decisions"
    )
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="decisions")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[change_requests])
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
        ]
        indexes = [models.Index(fields=["group", "status"], name="decision_group_status")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("decisions:decision_detail", args=[self.reference])

    def clean(self):
        errors = {}
        if self.status != DecisionStatus.PROPOSED and not self.decided_at:
            errors["decided_at"] = "An approved or rejected decision needs the date it was taken."
        if self.meeting_id and self.group_id and self.meeting.group_id != self.group_id:
            errors["meeting"] = "The meeting belongs to another group."
        if errors:
            raise ValidationError(errors)

    @property
    def how_decided(self):
        if self.status == DecisionStatus.PROPOSED:
            return "Awaiting approval"
        if self.by_correspondence:
            return "By correspondence"
        return f"At {self.meeting.code}" if self.meeting_id else "At meeting"
