"""Programme change requests (CR001...), as in the papers' CR status table."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from meetings.models import GovernanceGroup, Organisation, Person


class ApprovalStatus(models.TextChoices):
    OPEN = "open", "Open"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Stage(models.TextChoices):
    RAISED = "raised", "Raised"
    IMPACT_ASSESSMENT = "impact_assessment", "Impact Assessment"
    APPROVAL_DECISION = "approval_decision", "Approval decision"
    IMPLEMENTATION = "implementation", "Implementation"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STAGES = (
    Stage.RAISED,
    Stage.IMPACT_ASSESSMENT,
    Stage.APPROVAL_DECISION,
    Stage.IMPLEMENTATION,
)


class ChangeType(models.TextChoices):
    FULL_IA = "full_ia", "Full Impact Assessment"
    PRELIMINARY_IA = "preliminary_ia", "Preliminary Impact Assessment"
    FAST_TRACK = "fast_track", "Fast Track"


class DecisionBody(models.TextChoices):
    DAG = "DAG", "DAG"
    PSG = "PSG", "PSG"
    CHANGE_BOARD = "change_board", "Change Board"
    OFGEM = "ofgem", "Ofgem"


class ChangeRequestQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(stage__in=OPEN_STAGES)


class ChangeRequest(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    key_detail = models.TextField(blank=True)
    raiser_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="raised_crs"
    )
    raiser_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="raised_crs"
    )
    raiser_note = models.CharField(max_length=200, blank=True, help_text='e.g. "on behalf of SCS".')
    change_type = models.CharField(
        max_length=20, choices=ChangeType.choices, default=ChangeType.FULL_IA
    )
    group = models.ForeignKey(
        GovernanceGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
        help_text="The group that handles it.",
    )
    decision_body = models.CharField(max_length=20, choices=DecisionBody.choices, blank=True)
    approval_status = models.CharField(
        max_length=12, choices=ApprovalStatus.choices, default=ApprovalStatus.OPEN
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RAISED)
    latest_action = models.TextField(blank=True)
    next_action = models.TextField(blank=True, help_text="Action if approved.")
    implementation_milestone = models.CharField(
        max_length=200, blank=True, help_text='e.g. "IR8.1 June-24", "post-M10".'
    )
    change_owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_crs"
    )
    date_raised = models.DateField(null=True, blank=True)
    ia_working_days = models.PositiveSmallIntegerField(default=10)
    ia_deadline = models.DateField(null=True, blank=True)
    status_updated = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = "change request"
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="cr_approval_status_valid",
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="cr_stage_valid"),
            models.CheckConstraint(
                condition=Q(change_type__in=ChangeType.values), name="cr_change_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision_body="") | Q(decision_body__in=DecisionBody.values),
                name="cr_decision_body_valid",
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="cr_reference_not_blank"),
        ]
        indexes = [models.Index(fields=["stage", "approval_status"], name="cr_stage_status")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("changerequests:cr_detail", args=[self.reference])

    def clean(self):
        errors = {}
        if self.stage == Stage.WITHDRAWN and self.approval_status != ApprovalStatus.WITHDRAWN:
            errors["approval_status"] = "A withdrawn change request has approval status Withdrawn."
        if self.approval_status == ApprovalStatus.APPROVED and self.stage in (
            Stage.RAISED,
            Stage.IMPACT_ASSESSMENT,
            Stage.WITHDRAWN,
        ):
            errors["stage"] = "An approved change request is past its approval decision."
        if self.ia_deadline and self.date_raised and self.ia_deadline < self.date_raised:
            errors["ia_deadline"] = "The impact-assessment deadline is before the CR was raised."
        if errors:
            raise ValidationError(errors)

    def raiser_display(self):
        """ "Sean Cooper, MHHS Programme on behalf of SCS", as the status table writes it."""
        parts = [str(p) for p in (self.raiser_person, self.raiser_organisation) if p]
        text = ", ".join(parts)
        return f"{text} {self.raiser_note}".strip()


class ChangeRequestTransition(models.Model):
    """One move of a CR through change control: when, who, why."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    date = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["change_request", "date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=Stage.values), name="cr_transition_stage_valid"
            ),
        ]

    def __str__(self):
        return f"{self.change_request.reference}: {self.from_stage} → {self.to_stage}"
