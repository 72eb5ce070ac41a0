"""The RAID log: risks, assumptions, issues and dependencies, and their reviews at meetings."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import GovernanceGroup, Person

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class RaidType(models.TextChoices):
    RISK = "risk", "Risk"
    ASSUMPTION = "assumption", "Assumption"
    ISSUE = "issue", "Issue"
    DEPENDENCY = "dependency", "Dependency"


class RaidStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    SUPERSEDED = "superseded", "Superseded"


class Band(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


# Scores (probability x impact) each band covers; no product of 1-5 scores falls between.
BAND_SCORES = {
    Band.LOW: (1, 4),
    Band.MEDIUM: (5, 9),
    Band.HIGH: (10, 16),
    Band.CRITICAL: (20, 25),
}


def band_for(score):
    """The Band of a score, or None for an unscored item."""
    if not score:
        return None
    return next(band for band, (low, high) in BAND_SCORES.items() if low <= score <= high)


class RaidQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RaidStatus.OPEN)

    def with_score(self):
        """Annotate `score_value`: probability x impact in SQL (null when either is unscored),
        for filtering and sorting; the `score` property gives the same in Python."""
        return self.annotate(score_value=models.F("probability") * models.F("impact"))

    def for_register(self):
        return self.with_score().select_related("group", "owner")


class RaidItem(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    raid_type = models.CharField(max_length=12, choices=RaidType.choices, default=RaidType.RISK)
    group = models.ForeignKey(
        GovernanceGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="raid_items"
    )
    area = models.CharField(max_length=200, blank=True, help_text="Design, Programme, a tranche...")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="raid_items"
    )
    probability = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text="1 (rare) to 5 (almost certain).",
    )
    impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS, help_text="1 (minimal) to 5 (severe)."
    )
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=RaidStatus.choices, default=RaidStatus.OPEN)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    milestone = models.CharField(max_length=100, blank=True)
    date_raised = models.DateField(null=True, blank=True)
    change_requests = models.ManyToManyField(
        "changerequests.ChangeRequest", blank=True, related_name="raid_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The search across everything (meetings/search.py), kept by a PostgreSQL trigger
    # (core/search_vectors.py); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(m2m_fields=[change_requests], excluded_fields=["search_vector"])
    objects = RaidQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = "RAID item"
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | Q(probability__gte=1, probability__lte=5),
                name="raid_probability_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5),
                name="raid_impact_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(raid_type__in=RaidType.values), name="raid_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RaidStatus.values), name="raid_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=RaidStatus.SUPERSEDED, superseded_by__isnull=False)
                | (~Q(status=RaidStatus.SUPERSEDED) & Q(superseded_by__isnull=True)),
                name="raid_superseded_has_successor",
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by=models.F("pk")), name="raid_not_superseded_by_self"
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="raid_reference_not_blank"),
        ]
        indexes = [
            models.Index(fields=["status", "raid_type"], name="raid_status_type"),
            # The RAID log at a programme's scale (10,000 items): its page's ids in the log's
            # order (CR1000 after CR999), its count and its heat map's cells, and its area
            # filter's choices, each an index-only scan instead of a read of every row.
            models.Index(
                Length("reference"), "reference", "status", "group", name="raid_register_order"
            ),
            models.Index(
                fields=["status", "group", "probability", "impact"], name="raid_status_scores"
            ),
            models.Index(fields=["area", "group"], name="raid_area_group"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("raid:raid_detail", args=[self.reference])

    @property
    def score(self):
        if self.probability and self.impact:
            return self.probability * self.impact
        return None

    @property
    def band(self):
        """Low (1-4), Medium (5-9), High (10-16), Critical (20-25); "" when unscored."""
        band = band_for(self.score)
        return band.label if band else ""

    def clean(self):
        errors = {}
        if self.status == RaidStatus.SUPERSEDED and not self.superseded_by_id:
            errors["superseded_by"] = "Name the item that supersedes this one."
        if self.status != RaidStatus.SUPERSEDED and self.superseded_by_id:
            errors["status"] = 'An item with a successor has status "Superseded".'
        successor, seen = self.superseded_by, {self.pk}
        while successor is not None and "superseded_by" not in errors:
            if successor.pk in seen:
                errors["superseded_by"] = "That would make a loop of superseded items."
            seen.add(successor.pk)
            successor = successor.superseded_by
        if errors:
            raise ValidationError(errors)


class RaidReview(models.Model):
    """What a group said about a RAID item at a meeting, as in the papers' RAID review tables."""

    raid_item = models.ForeignKey(RaidItem, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="raid_reviews"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raid_reviews",
    )
    discussion = models.TextField(blank=True)
    conclusion = models.TextField(blank=True, help_text="Concluding comments.")
    # A paper may review several items in one text ("R184 / R185"): the review is the
    # first item's, and names the others it also covers.
    also_covers = models.ManyToManyField(
        RaidItem, blank=True, related_name="reviews_covering", help_text="Also covers."
    )
    # Actions raised from this review (the action's page names the review back).
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="raid_reviews", help_text="Actions raised."
    )

    history = HistoricalRecords(m2m_fields=[also_covers, actions])

    class Meta:
        ordering = ["meeting", "raid_item"]
        constraints = [
            models.UniqueConstraint(fields=["raid_item", "meeting"], name="raid_review_unique"),
        ]

    def __str__(self):
        return f"{self.raid_item.reference} at {self.meeting.code}"
