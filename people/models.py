"""What the people pages keep beside core's people and memberships: the merges of duplicate
records, invitations to log in, the history of each account, and the sessions a person
is signed in with."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import Person


class PersonMerge(models.Model):
    """Two records of one person made one: who merged them, when and why, what the removed
    record said and what moved over, so the merge can be explained later."""

    kept = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges")
    merged_id = models.PositiveBigIntegerField(help_text="The removed record's id.")
    merged_name = models.CharField(max_length=200)
    merged_record = models.JSONField(help_text="The removed record's fields, as they were.")
    moved = models.JSONField(default=dict, help_text="{what: how many} moved to the kept record.")
    dropped = models.JSONField(
        default=list, help_text="Rows that duplicated the kept record's and were removed."
    )
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.merged_name} merged into {self.kept}"


def token_digest(token: str) -> str:
    """Invitation links are kept as a digest only: the table does not hold working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An invitation to log in, sent by email: its link works once, until it expires, and a
    newer invitation (or deactivating the account) withdraws it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_sent",
            )
        ]

    def __str__(self):
        return f"Invitation of {self.person} sent {self.created_at:%d/%m/%Y}"


class AccountEventKind(models.TextChoices):
    INVITED = "invited", "Invited to log in"
    ACCEPTED = "accepted", "Accepted the invitation"
    DEACTIVATED = "deactivated", "Account deactivated"
    REACTIVATED = "reactivated", "Account reactivated"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    SIGNED_OUT = "signed_out", "Signed out of every session"
    ADMIN_GRANTED = "admin_granted", "Made programme administrator"
    ADMIN_REMOVED = "admin_removed", "No longer programme administrator"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor removed, to be set up again"


class AccountEvent(models.Model):
    """One change to a person's account, with who made it and when: the account's history
    (the User row itself keeps none)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="account_events")
    kind = models.CharField(max_length=20, choices=AccountEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AccountEventKind.values), name="account_event_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person}"


class UserSession(models.Model):
    """A session someone is signed in with, so they can see where they are signed in and
    end every session at once (Django's session table cannot be searched by user)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.user} from {self.ip or 'unknown address'}"
