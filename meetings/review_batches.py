"""Bulk steps taken at the review of open actions (meetings/bulk_review.py): one step
closes, recommends closed, moves the due date of or adds one dated update to several
actions at once. Each step is kept as a batch with every action's values before it, so the
step can be undone as one, while none of its actions has changed since."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class BulkOperation(models.TextChoices):
    CLOSE = "close", "Close"
    RECOMMEND_CLOSED = "recommend_closed", "Recommend closed"
    DUE_DATE = "due_date", "Set a new due date"
    UPDATE = "update", "Add an update"


class ReviewBatch(models.Model):
    """One bulk step at a meeting's review, and its undo."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="review_batches"
    )
    operation = models.CharField(max_length=20, choices=BulkOperation.choices)
    date = models.DateField(help_text="The date of the updates the step recorded.")
    text = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(operation__in=BulkOperation.values), name="review_batch_operation_valid"
            ),
            models.CheckConstraint(
                condition=~Q(operation=BulkOperation.DUE_DATE) | Q(due_date__isnull=False),
                name="review_batch_due_step_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_operation_display()} at {self.meeting_id} ({self.pk})"


class ReviewBatchEntry(models.Model):
    """One action of a bulk step: its values before the step, the update the step added
    and its version after the step (an undo is refused once it moved on)."""

    batch = models.ForeignKey(ReviewBatch, on_delete=models.CASCADE, related_name="entries")
    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="+")
    update = models.ForeignKey(
        "actions.ActionUpdate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(help_text="status, closed_date, closed_meeting, due_kind, due_date")
    version_after = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "action"], name="review_batch_action_once")
        ]

    def __str__(self):
        return f"{self.action_id} in batch {self.batch_id}"
