"""Governance groups, the people in them, and their meetings.

A group's secretariat, chair, members and observers are Memberships; everything a
meeting holds (attendance, agenda items and their minutes) hangs off Meeting.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

GROUP_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonQuerySet(models.QuerySet):
    def with_email(self):
        return self.exclude(email="")


class Person(models.Model):
    """Anyone named in the papers. Many action owners never log in, so an account is optional."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    active = models.BooleanField(default=True)
    daily_digest_opt_out = models.BooleanField(
        default=False, help_text="No daily reminder digests (the weekly summary still comes)."
    )
    daily_digest_opt_out_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_email_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:person_detail", args=[self.pk])

    def suggested_initials(self):
        """First letter of each part of the name: "Seth Chapman" -> "SC"."""
        return "".join(part[0] for part in self.name.split() if part[:1].isalpha()).upper()


class GroupLevel(models.IntegerChoices):
    STEERING = 2, "Level 2 – steering group"
    ADVISORY = 3, "Level 3 – advisory group"
    WORKING = 4, "Level 4 – working group"


class GovernanceGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class GovernanceGroup(models.Model):
    code = models.CharField(
        max_length=12, unique=True, help_text="Short code used in references, e.g. DAG."
    )
    name = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=GroupLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)
    terms_of_reference = models.TextField(blank=True)
    programme_label = models.CharField(
        max_length=40,
        default="Programme",
        help_text='Heading of the programme-staff attendee section in minutes, e.g. "MHHS".',
    )
    reminder_window_days = models.PositiveSmallIntegerField(
        default=7, help_text="Owners are reminded of actions due within this many days."
    )

    objects = GovernanceGroupQuerySet.as_manager()

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=GROUP_CODE_RE.pattern), name="group_code_format"
            ),
            models.CheckConstraint(
                condition=Q(level__in=GroupLevel.values), name="group_level_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="group_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("meetings:group_detail", args=[self.code])

    def clean(self):
        if self.code and not GROUP_CODE_RE.match(self.code):
            raise ValidationError(
                {"code": "Use 2–12 capital letters or digits, starting with a letter (e.g. DAG)."}
            )
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": "A group cannot report to itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "Secretariat"
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


class Membership(models.Model):
    group = models.ForeignKey(GovernanceGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    constituency = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Large Supplier Representative".'
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["group", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} of {self.group.code}"


class Classification(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"
    CONFIDENTIAL = "confidential", "Confidential"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    MINUTES_DRAFT = "minutes_draft", "Minutes draft"
    MINUTES_ISSUED = "minutes_issued", "Minutes issued"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, today):
        return self.filter(date__gte=today).exclude(status=MeetingStatus.CANCELLED)

    def for_display(self):
        return self.select_related("group")

    def with_first_issue(self):
        """Annotate `first_issued_at`: when the minutes were first issued (reissues after a
        reopen do not move the publication date)."""
        return self.annotate(
            first_issued_at=models.Min(
                "minutes_events__at", filter=Q(minutes_events__kind=MinutesEventKind.ISSUED)
            )
        )


class Meeting(models.Model):
    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveIntegerField(help_text="29 for DAG029.")
    point = models.PositiveSmallIntegerField(
        default=0, help_text="Extraordinary meetings get point numbers: 1 for DAG 10.1."
    )
    title = models.CharField(max_length=200, blank=True)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True, default="Virtual – MS Teams")
    classification = models.CharField(
        max_length=12, choices=Classification.choices, default=Classification.PUBLIC
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    held_by_correspondence = models.BooleanField(default=False)
    minutes_issue_date = models.DateField(null=True, blank=True)
    minutes_approved_date = models.DateField(null=True, blank=True)
    next_meeting_date = models.DateField(null=True, blank=True)
    next_meeting_time = models.TimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "group__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number", "point"], name="meeting_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(classification__in=Classification.values),
                name="meeting_classification_valid",
            ),
            models.CheckConstraint(
                condition=Q(next_meeting_date__isnull=True)
                | Q(next_meeting_date__gt=models.F("date")),
                name="meeting_next_after_this",
            ),
        ]
        indexes = [models.Index(fields=["group", "date"], name="meeting_group_date")]

    def __str__(self):
        return self.code + (f" – {self.title}" if self.title else "")

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def code(self):
        """DAG029, or DAG010.1 for an extraordinary meeting."""
        return f"{self.group.code}{self.number:03d}" + (f".{self.point}" if self.point else "")

    @property
    def action_prefix(self):
        """Prefix of the actions raised here: DAG29, DAG10.1."""
        return f"{self.group.code}{self.number}" + (f".{self.point}" if self.point else "")

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "The meeting must end after it starts."
        if self.next_meeting_date and self.date and self.next_meeting_date <= self.date:
            errors["next_meeting_date"] = "The next meeting must be after this one."
        if self.minutes_issue_date and self.date and self.minutes_issue_date < self.date:
            errors["minutes_issue_date"] = "Minutes cannot be issued before the meeting."
        if errors:
            raise ValidationError(errors)


class AttendanceCategory(models.TextChoices):
    CHAIR = "chair", "Chair"
    INDUSTRY = "industry", "Industry Representatives"
    PROGRAMME = "programme", "Programme"
    OTHER = "other", "Other Attendees"


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"


class Attendance(models.Model):
    """One line of the attendee table, as it will read in the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    category = models.CharField(max_length=12, choices=AttendanceCategory.choices)
    status = models.CharField(
        max_length=12, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    role = models.CharField(max_length=200, blank=True, help_text="As shown in the minutes.")
    initials = models.CharField(max_length=10, blank=True)
    on_behalf_of = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="deputised_by"
    )
    part_meeting = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person"),
            models.CheckConstraint(
                condition=~Q(on_behalf_of=models.F("person")), name="attendance_not_own_deputy"
            ),
            models.CheckConstraint(
                condition=Q(category__in=AttendanceCategory.values),
                name="attendance_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.person} at {self.meeting.code}"

    def clean(self):
        if self.on_behalf_of_id and self.on_behalf_of_id == self.person_id:
            raise ValidationError({"on_behalf_of": "A person cannot attend on their own behalf."})


class AgendaItemType(models.TextChoices):
    DECISION = "decision", "Decision"
    INFORMATION = "information", "Information"
    DISCUSSION = "discussion", "Discussion"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField(max_length=8, help_text='"6" or "6A".')
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    lead = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    objective = models.TextField(blank=True)
    item_type = models.CharField(
        max_length=12, choices=AgendaItemType.choices, default=AgendaItemType.INFORMATION
    )
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    # Bumped on every save of the minutes so a second editor's stale save is refused.
    minutes_version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number"),
            models.CheckConstraint(
                condition=Q(item_type__in=AgendaItemType.values), name="agenda_item_type_valid"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"


class MinutesEventKind(models.TextChoices):
    ISSUED = "issued", "Minutes issued"
    REOPENED = "reopened", "Minutes reopened"
    APPROVED = "approved", "Minutes approved"


class MinutesEvent(models.Model):
    """A step of a meeting's minutes workflow: issued, reopened (with the reason), approved."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_events")
    kind = models.CharField(max_length=12, choices=MinutesEventKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MinutesEventKind.values), name="minutes_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=MinutesEventKind.REOPENED) | ~Q(reason=""),
                name="minutes_reopen_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.meeting.code}: {self.get_kind_display()}"


class EmailKind(models.TextChoices):
    DIGEST = "digest", "Daily digest"
    ESCALATION = "escalation", "Weekly escalation"
    CORRESPONDENCE = "correspondence", "Correspondence round"
    CORRESPONDENCE_REMINDER = "correspondence_reminder", "Correspondence reminder"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=EmailStatus.PENDING)


class OutboundEmail(models.Model):
    """The outbox and email log: every email the app sends is recorded here first.

    A job plans its emails by inserting rows under the unique `key` (e.g. person, kind and
    date) in one transaction, so a second run, a retried task or a second beat process
    creates nothing new. Sending happens after commit, from these rows; a row becomes
    SENT only once the SMTP server accepted it, and `message_id` is the outbox key the
    recipient's mail system sees.
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


class DocumentKind(models.TextChoices):
    MINUTES = "minutes", "Minutes and Actions"
    HEADLINE = "headline", "Headline Report"
    OPEN_ACTIONS = "open_actions", "Open actions report"
    CR_STATUS = "cr_status", "Change request status report"
    RAID = "raid", "RAID report"


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

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    scope = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
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
                condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"
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
