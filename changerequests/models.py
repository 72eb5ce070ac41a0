"""Programme change requests (CR001...), as in the papers' CR status table."""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import GovernanceGroup, Organisation, Person
from core.workdays import working_days_between


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


# The stage and approval status of a CR known only by its reference, named in a paper.
NOT_KNOWN = ""

OPEN_STAGES = (
    Stage.RAISED,
    Stage.IMPACT_ASSESSMENT,
    Stage.APPROVAL_DECISION,
    Stage.IMPLEMENTATION,
)

# The approval status is read off the stage: before the decision a CR is open, after
# approval it is implemented, "Closed" follows rejection only.
STAGE_APPROVAL_STATUS = {
    Stage.RAISED: ApprovalStatus.OPEN,
    Stage.IMPACT_ASSESSMENT: ApprovalStatus.OPEN,
    Stage.APPROVAL_DECISION: ApprovalStatus.OPEN,
    Stage.IMPLEMENTATION: ApprovalStatus.APPROVED,
    Stage.COMPLETE: ApprovalStatus.APPROVED,
    Stage.CLOSED: ApprovalStatus.REJECTED,
    Stage.WITHDRAWN: ApprovalStatus.WITHDRAWN,
}


class Move(NamedTuple):
    """One allowed step through change control. `done` becomes the CR's latest action, as
    the papers word it: {by} is " by <deciding body>" ("Approved by DAG"), {body} the body
    alone ("Awaiting Ofgem approval decision"), {date} the day of the move ("13-Mar-24");
    both body placeholders are empty when no deciding body is recorded."""

    name: str
    label: str
    to_stage: Stage
    done: str


START_IA = Move(
    "start_ia",
    "Start impact assessment",
    Stage.IMPACT_ASSESSMENT,
    "Issued to Impact Assessment ({date})",
)
TO_DECISION = Move(
    "to_decision",
    "Send for approval decision",
    Stage.APPROVAL_DECISION,
    "Awaiting{body} approval decision",
)
APPROVE = Move("approve", "Approve", Stage.IMPLEMENTATION, "Approved{by} ({date})")
RETURN_TO_IA = Move(
    "return_to_ia",
    "Return to impact assessment",
    Stage.IMPACT_ASSESSMENT,
    "Returned to Impact Assessment ({date})",
)
COMPLETE = Move("complete", "Mark implemented", Stage.COMPLETE, "Implemented ({date})")
REJECT = Move("reject", "Reject", Stage.CLOSED, "Rejected{by} ({date})")
WITHDRAW = Move("withdraw", "Withdraw", Stage.WITHDRAWN, "Withdrawn by Change Raiser")
ALL_MOVES = (START_IA, TO_DECISION, APPROVE, RETURN_TO_IA, COMPLETE, REJECT, WITHDRAW)

# The transition table: the moves allowed from each stage. Complete, Closed and Withdrawn
# are final. A CR may skip impact assessment (fast track) but never skip its decision;
# rejection needs an undecided CR, while the raiser may withdraw until it is implemented.
MOVES = {
    Stage.RAISED: (START_IA, TO_DECISION, REJECT, WITHDRAW),
    Stage.IMPACT_ASSESSMENT: (TO_DECISION, REJECT, WITHDRAW),
    Stage.APPROVAL_DECISION: (APPROVE, RETURN_TO_IA, REJECT, WITHDRAW),
    Stage.IMPLEMENTATION: (COMPLETE, WITHDRAW),
    # A CR known only by its reference (named in a paper): the first move says where it is.
    NOT_KNOWN: (START_IA, TO_DECISION, APPROVE, COMPLETE, REJECT, WITHDRAW),
}


class ChangeType(models.TextChoices):
    FULL_IA = "full_ia", "Full Impact Assessment"
    PRELIMINARY_IA = "preliminary_ia", "Preliminary Impact Assessment"
    FAST_TRACK = "fast_track", "Fast Track"


class DecisionBody(models.TextChoices):
    DAG = "DAG", "DAG"
    PSG = "PSG", "PSG"
    CHANGE_BOARD = "change_board", "Change Board"
    OFGEM = "ofgem", "Ofgem"


def _status_matches_stage():
    condition = Q(approval_status=NOT_KNOWN, stage=NOT_KNOWN)
    for status in ApprovalStatus:
        stages = [stage for stage, s in STAGE_APPROVAL_STATUS.items() if s == status]
        condition |= Q(approval_status=status, stage__in=stages)
    return condition


class ChangeRequestQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(stage__in=OPEN_STAGES)

    def for_register(self):
        """Rows of the CR status table: raiser, organisations and owner in the same query."""
        return self.select_related(
            "group", "raiser_person", "raiser_organisation", "change_owner__organisation"
        )


class ChangeRequest(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300, blank=True, help_text="Blank if the paper gives none.")
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
    # Both blank (NOT_KNOWN) for a CR known only by its reference.
    approval_status = models.CharField(
        max_length=12, choices=ApprovalStatus.choices, default=ApprovalStatus.OPEN, blank=True
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RAISED, blank=True)
    latest_action = models.TextField(blank=True)
    next_action = models.TextField(blank=True, help_text="Action if approved.")
    implementation_milestone = models.CharField(
        max_length=200, blank=True, help_text='e.g. "IR8.1 June-24", "post-M10".'
    )
    change_owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_crs"
    )
    date_raised = models.DateField(null=True, blank=True)
    ia_working_days = models.PositiveSmallIntegerField(
        "impact assessment working days",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long participants have to respond to the impact assessment.",
    )
    ia_deadline = models.DateField(null=True, blank=True)
    status_updated = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The search across everything (meetings/search.py), kept by a PostgreSQL trigger
    # (core/search_vectors.py); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])
    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = "change request"
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_status__in=[*ApprovalStatus.values, NOT_KNOWN]),
                name="cr_approval_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[*Stage.values, NOT_KNOWN]), name="cr_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(change_type__in=ChangeType.values), name="cr_change_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision_body="") | Q(decision_body__in=DecisionBody.values),
                name="cr_decision_body_valid",
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="cr_reference_not_blank"),
            models.CheckConstraint(
                condition=_status_matches_stage(), name="cr_approval_status_matches_stage"
            ),
        ]
        indexes = [models.Index(fields=["stage", "approval_status"], name="cr_stage_status")]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("changerequests:cr_detail", args=[self.reference])

    def clean(self):
        errors = {}
        expected = STAGE_APPROVAL_STATUS.get(self.stage, NOT_KNOWN)
        if self.approval_status != expected:
            errors["approval_status"] = (
                f"At stage {self.get_stage_display()} the approval status is {expected.label}."
                if expected
                else "A CR whose stage is not known has no approval status either."
            )
        if self.ia_deadline and self.date_raised and self.ia_deadline < self.date_raised:
            errors["ia_deadline"] = "The impact-assessment deadline is before the CR was raised."
        if errors:
            raise ValidationError(errors)

    def raiser_display(self):
        """ "Sean Cooper, MHHS Programme on behalf of SCS", as the status table writes it."""
        parts = [str(p) for p in (self.raiser_person, self.raiser_organisation) if p]
        text = ", ".join(parts)
        return f"{text} {self.raiser_note}".strip()

    def owner_display(self):
        """ "Paul Pettitt, MHHS Programme", as the status table writes the change owner."""
        owner = self.change_owner
        if owner is None:
            return ""
        return f"{owner}, {owner.organisation}" if owner.organisation_id else str(owner)

    def allowed_moves(self):
        return MOVES.get(self.stage, ())

    def ia_open(self):
        return self.stage == Stage.IMPACT_ASSESSMENT and self.ia_deadline is not None

    def ia_days_left(self, today: datetime.date) -> int | None:
        """Working days from today to the impact-assessment deadline (negative once past)."""
        if not self.ia_open():
            return None
        return working_days_between(today, self.ia_deadline)


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
