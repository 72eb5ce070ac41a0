"""A publication of a meeting's minutes: the public version of one issue (MinutesIssue) of
them, made from that issue's data (meetings/public.py) and dated when published."""

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
