"""Rendered documents (PDF) with their versions and the record of how each was made."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import GovernanceGroup

from .registry import kind_choices


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Document(models.Model):
    """A rendered PDF and the record of how it was made.

    `scope` names what it is of ("meeting:12", "group:3", "group:3:2024-03-01:2024-06-04");
    versions count up per kind and scope, and a render whose `source_hash` equals the
    latest ready version's is not stored again.
    """

    # The kinds are registered by the apps that own their data (registry.py); the
    # service checks the kind, so the database names none of them.
    kind = models.CharField(max_length=20, choices=kind_choices)
    scope = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    group = models.ForeignKey(
        GovernanceGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    source_hash = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "scope", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope", "version"], name="document_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="document_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.READY) | ~Q(file=""),
                name="document_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.scope} v{self.version}"
