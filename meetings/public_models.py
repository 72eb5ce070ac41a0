"""A publication of a meeting's minutes: the public version of one issue (MinutesIssue) of
them, made from that issue's data (meetings/public.py) and dated when published. And the
log of records taken out of the registers at the end of their retention
(meetings/retention.py)."""

from django.conf import settings
from django.db import models


class MinutesPublication(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="publications"
    )
    issue = models.ForeignKey(
        "meetings.MinutesIssue", on_delete=models.PROTECT, related_name="publications"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The public PDF, rendered once when published (anyone may ask for it, so it is not
    # rendered per request).
    pdf = models.FileField(upload_to="public-minutes/%Y/", max_length=255)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["issue"], name="minutes_published_once_per_issue")
        ]

    def __str__(self):
        return f"{self.meeting_id}: public minutes of {self.issue}"


class RetentionOutcome(models.TextChoices):
    ARCHIVED = "archived", "Archived"
    DELETED = "deleted", "Deleted"


class RetentionLog(models.Model):
    """A record past its group's retention, taken out of its register after the
    secretariat's review: archived (its values kept here, read-only) or deleted (only its
    reference kept), with the reason, who and when."""

    group = models.ForeignKey(
        "core.GovernanceGroup", on_delete=models.PROTECT, related_name="retention_log"
    )
    kind = models.CharField(max_length=20)  # meetings.as_at.REGISTERS key: "actions"
    reference = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10, choices=RetentionOutcome.choices)
    reason = models.TextField()
    # The record's fields as they stood (archived only): [[label, value], ...].
    snapshot = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="retention_has_reason"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=RetentionOutcome.values),
                name="retention_outcome_valid",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.get_outcome_display().lower()}"
