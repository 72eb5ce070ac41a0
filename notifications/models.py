"""The outbox (every email the app sends, recorded before it is sent) and each person's
email preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import GovernanceGroup, Person


class EmailKind(models.TextChoices):
    DIGEST = "digest", "Daily digest"
    ESCALATION = "escalation", "Weekly escalation"
    CORRESPONDENCE = "correspondence", "Correspondence round"
    CORRESPONDENCE_REMINDER = "correspondence_reminder", "Correspondence reminder"
    # The notices of what happened to a record: each can be turned off on its own.
    ACTION_ASSIGNED = "action_assigned", "Actions assigned to you"
    MINUTES_ISSUED = "minutes_issued", "Minutes issued or corrected"
    DECISION_AWAITING = "decision_awaiting", "Decisions awaiting your approval"
    DECISION_OUTCOME = "decision_outcome", "Outcomes of decisions put to the chair"
    CLOSURE_RECOMMENDED = "closure_recommended", "Actions recommended for closure"
    DUE_DATE_CHANGED = "due_date_changed", "Due dates of your actions changed"
    MEETING_INVITATION = "meeting_invitation", "Meeting invitations"
    PASSWORD_RESET = "password_reset", "Password reset"
    ACCOUNT_INVITATION = "account_invitation", "Invitation to log in"
    ACCOUNT_SECURITY = "account_security", "Sign-in security (second factor changes)"


# The kinds a person may turn off one by one on their preferences page (the daily digest
# has its own switch; correspondence rounds ask for an answer and always come).
NOTICE_KINDS = [
    EmailKind.ACTION_ASSIGNED,
    EmailKind.MINUTES_ISSUED,
    EmailKind.DECISION_AWAITING,
    EmailKind.DECISION_OUTCOME,
    EmailKind.CLOSURE_RECOMMENDED,
    EmailKind.DUE_DATE_CHANGED,
    EmailKind.MEETING_INVITATION,
]


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=EmailStatus.PENDING)

    def unclaimed(self, now):
        """Rows no worker holds at `now`: never claimed, or their claim ran out (a worker
        died holding it, or a failed try's back-off is over)."""
        return self.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))


class OutboundEmail(models.Model):
    """The outbox and email log: every email the app sends is recorded here first.

    A job plans its emails by inserting rows under the unique `key` (e.g. person, kind and
    date) in one transaction, so a second run, a retried task or a second beat process
    creates nothing new. Sending happens after commit, from these rows; a row becomes
    SENT only once the SMTP server accepted it, and `message_id` is the outbox key the
    recipient's mail system sees. A worker claims the rows it sends with a short lease
    (`claimed_until`), so the rows of a worker that died go out again soon after.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=EmailKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    group = models.ForeignKey(
        GovernanceGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to_address = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(
        max_length=100, blank=True, help_text='e.g. "text/calendar; method=REQUEST".'
    )
    attachment_text = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    references = models.JSONField(
        default=list, blank=True, help_text="References of the records the email is about."
    )
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A worker sending the row holds it until then (EMAIL_CLAIM_SECONDS, renewed "
        "while it works); after a failed try, when the next try is due.",
    )

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values), name="email_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="email_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="email_status_created")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_address}"


class EmailPreferenceQuerySet(models.QuerySet):
    def opted_out_of_digests(self):
        return self.filter(daily_digest_opt_out=True)

    def opted_out_person_ids(self) -> set[int]:
        """Ids of the people who opted out of daily digests, in one query: the reminder
        planner reads them once per run, whatever the number of people."""
        return set(self.opted_out_of_digests().values_list("person_id", flat=True))


class EmailPreference(models.Model):
    """What emails one person wants. Created the first time they change a preference:
    a person without one gets every email."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="email_preference")
    daily_digest_opt_out = models.BooleanField(
        default=False, help_text="No daily reminder digests (the weekly summary still comes)."
    )
    daily_digest_opt_out_at = models.DateTimeField(null=True, blank=True)
    opted_out_kinds = models.JSONField(
        default=list, blank=True, help_text="The kinds of notice (EmailKind) turned off."
    )

    objects = EmailPreferenceQuerySet.as_manager()

    class Meta:
        ordering = ["person__name"]

    def __str__(self):
        return f"Email preferences of {self.person}"

    @classmethod
    def of(cls, person) -> "EmailPreference":
        """The person's preferences, unsaved defaults when they never changed any."""
        return cls.objects.filter(person=person).first() or cls(person=person)

    def wants(self, kind) -> bool:
        return kind not in self.opted_out_kinds
