"""A paper being imported: held as a draft row (the paper read, as JSON, the people chosen
for the names it prints, and the file as received) until the secretariat commits it. Nothing
else is written before the commit; the commit records what it wrote (`records`), so the
whole batch can be undone while none of those records has changed since."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import GovernanceGroup


class PaperImportStatus(models.TextChoices):
    READING = "reading", "Being read"
    FAILED = "failed", "Could not be read"
    PENDING = "pending", "Awaiting commit"
    COMMITTED = "committed", "Committed"
    UNDONE = "undone", "Undone"


class PaperImport(models.Model):
    group = models.ForeignKey(GovernanceGroup, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    source_file = models.FileField(upload_to="paper_imports/%Y/%m/", blank=True, max_length=255)
    # The Paper (meetings.paper_import.model) as read, with the secretariat's corrections.
    paper = models.JSONField(default=dict)
    # {printed name: person id, or "new"}: who each name the paper prints is.
    people = models.JSONField(default=dict)
    status = models.CharField(
        max_length=12, choices=PaperImportStatus.choices, default=PaperImportStatus.PENDING
    )
    # A large file is read by the worker (meetings.tasks.read_paper_import): how far it has
    # got, in per cent and in words, and why it could not be read.
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=80, blank=True)  # "Read page 5 of 16"
    # When the worker began reading: a read that ran past the task's time limit was
    # stopped with its worker process (killed, out of memory) and will not finish.
    read_started_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    # [[app_label.model, pk, history rows at commit]] in the order written, and the
    # actions whose status the import changed, with the status they had before.
    records = models.JSONField(default=list)
    restore = models.JSONField(default=list)

    class Meta:
        app_label = "meetings"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PaperImportStatus.values), name="paper_import_status_valid"
            ),
        ]

    def __str__(self):
        return f"Import of {self.filename} into {self.group.code}"
