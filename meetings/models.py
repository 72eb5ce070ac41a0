"""Meetings of the governance groups: attendance, agenda items and their minutes.

Everything a meeting holds (attendance, agenda items and their minutes) hangs off Meeting.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Classification, GovernanceGroup, Person


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    MINUTES_DRAFT = "minutes_draft", "Minutes draft"
    MINUTES_ISSUED = "minutes_issued", "Minutes issued"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


# Issued or approved minutes lock the meeting: its minutes, attendance, agenda and the
# records raised or reviewed there are read-only until the minutes are reopened.
LOCKED_STATUSES = {MeetingStatus.MINUTES_ISSUED, MeetingStatus.MINUTES_APPROVED}


class MeetingQuerySet(models.QuerySet):
    """Read logic the registers use too: they reach it through related querysets (a form's
    meeting field, group.meetings) and never import this app."""

    def upcoming(self, today):
        return self.open_for_records().filter(date__gte=today)

    def open_for_records(self):
        """Meetings that may carry records: every one but the cancelled."""
        return self.exclude(status=MeetingStatus.CANCELLED)

    def held(self, today):
        """Meetings that took place: on or before today and not cancelled."""
        return self.open_for_records().filter(date__lte=today)

    def minutes_issued(self):
        """Meetings whose minutes are issued and not yet approved."""
        return self.filter(status=MeetingStatus.MINUTES_ISSUED)

    def lock_row(self, pk):
        """The meeting read afresh with its row locked until the transaction ends.

        Only the meeting's row, and only against key changes: locking the joined group row
        too would deadlock with decisions and actions being numbered in the same group
        meanwhile (they hold the group's reference lock and insert rows pointing at it).
        """
        return self.select_for_update(no_key=True, of=("self",)).select_related("group").get(pk=pk)

    def for_display(self):
        return self.select_related("group")

    def saying(self, text):
        """Meetings whose papers contain `text` (any case): the title, the title as
        printed, an agenda item's title, minutes, or the paper or slides presented there."""
        items = AgendaItem.objects.filter(
            Q(title__icontains=text) | Q(minutes__icontains=text) | Q(paper_text__icontains=text)
        )
        return self.filter(
            Q(title__icontains=text)
            | Q(paper_title__icontains=text)
            | Q(pk__in=items.values("meeting_id"))
        )

    def with_first_issue(self):
        """Annotate `first_issued_at`: when the minutes were first issued (reissues after a
        reopen do not move the publication date)."""
        # A subquery, not MIN() over a join: the join grouped every meeting of the list
        # before its page was cut, and made the page's count aggregate them all again.
        # PostgreSQL works it out for every row it sorts: the lists read their page's ids
        # first (views.page_with_first_issue).
        first = MinutesEvent.objects.filter(
            meeting=models.OuterRef("pk"), kind=MinutesEventKind.ISSUED
        ).order_by("at")
        return self.annotate(first_issued_at=models.Subquery(first.values("at")[:1]))


def meeting_code(group_code, number, point) -> str:
    """A meeting's code from its parts (Meeting.code), for lists that read the parts alone."""
    return f"{group_code}{number:03d}" + (f".{point}" if point else "")


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
        max_length=12,
        choices=Classification.choices,
        default=Classification.PUBLIC,
        blank=True,
        help_text="Blank when the paper gives none.",
    )
    # The paper's own identity, as printed on it (a past meeting's minutes or slide pack).
    paper_title = models.CharField(
        max_length=300,
        blank=True,
        help_text='The title as printed, e.g. "Design Advisory Group #4"; blank prints the '
        "usual one.",
    )
    paper_reference = models.CharField(
        max_length=40, blank=True, help_text='The document reference, e.g. "MHHS-DEL1056".'
    )
    paper_version = models.CharField(max_length=20, blank=True, help_text='e.g. "V1.0".')
    source_file = models.FileField(
        upload_to="papers/%Y/%m/",
        blank=True,
        max_length=255,
        help_text="The paper as received (minutes, slides), kept with the meeting.",
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    held_by_correspondence = models.BooleanField(default=False)
    minutes_issue_date = models.DateField(null=True, blank=True)
    minutes_approved_date = models.DateField(null=True, blank=True)
    next_meeting_date = models.DateField(null=True, blank=True)
    next_meeting_time = models.TimeField(null=True, blank=True)
    following_meeting_date = models.DateField(
        null=True,
        blank=True,
        help_text='A second date the paper gives: "10 August, 14 September".',
    )
    apologies_initials = models.BooleanField(
        default=False, help_text="The paper prints initials for apologies too."
    )
    invitation_sequence = models.PositiveIntegerField(
        default=0,
        help_text="SEQUENCE of the calendar invitation: one more each time it is sent changed.",
    )

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
                condition=Q(classification__in=[*Classification.values, ""]),
                name="meeting_classification_valid",
            ),
            models.CheckConstraint(
                condition=Q(next_meeting_date__isnull=True)
                | Q(next_meeting_date__gt=models.F("date")),
                name="meeting_next_after_this",
            ),
            models.CheckConstraint(
                condition=Q(following_meeting_date__isnull=True)
                | Q(following_meeting_date__gt=models.F("next_meeting_date")),
                name="meeting_following_after_next",
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
        return meeting_code(self.group.code, self.number, self.point)

    @property
    def action_prefix(self):
        """Prefix of the actions raised here: DAG29, DAG10.1."""
        return f"{self.group.code}{self.number}" + (f".{self.point}" if self.point else "")

    @property
    def source_file_name(self) -> str:
        return self.source_file.name.rsplit("/", 1)[-1] if self.source_file else ""

    @property
    def minutes_locked(self) -> bool:
        """The minutes are issued (or approved): the meeting is read-only until reopened."""
        return self.status in LOCKED_STATUSES

    @property
    def minutes_awaiting_approval(self) -> bool:
        return self.status == MeetingStatus.MINUTES_ISSUED

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def records_open_at(self) -> datetime.datetime:
        """When the meeting starts (its date and start time, in Europe/London; the start of
        its date without a start time): its minutes, the records raised and the reviews
        made there, and issuing, open then."""
        start = datetime.datetime.combine(self.date, self.start_time or datetime.time.min)
        return timezone.make_aware(start, timezone.get_default_timezone())

    def records_closed_reason(self, now=None) -> str:
        """Why the meeting's minutes and records are not open yet ("" once it has started).

        The one rule of what a meeting in the future accepts: its agenda and expected
        attendance, not minutes, records, reviews or issuing. Pages show the reason at their
        disabled controls and the services refuse a write with it (MeetingNotStarted).
        """
        opens = self.records_open_at
        if (now or timezone.now()) >= opens:
            return ""
        return f"Minutes open when the meeting starts, {self.date:%d/%m/%Y} {opens:%H:%M}"

    def minutes_reopened(self) -> bool:
        """Minutes reopened after issue were issued again with the changes marked."""
        return self.minutes_events.filter(kind=MinutesEventKind.REOPENED).exists()

    def record_minutes_approved(self, *, user, at, by_person=None) -> None:
        """Mark the (locked, issued) minutes approved on `at`'s day, with the event. An
        approval recorded after the day it was given (a past meeting's, by `by_person`, the
        chair who gave it) keeps that day on the event beside when it was entered."""
        self.status = MeetingStatus.MINUTES_APPROVED
        self.minutes_approved_date = timezone.localdate(at)
        self.save(update_fields=["status", "minutes_approved_date"])
        recorded_later = self.minutes_approved_date != timezone.localdate()
        self.minutes_events.create(
            kind=MinutesEventKind.APPROVED,
            by=user,
            on_date=self.minutes_approved_date if recorded_later else None,
            by_person=by_person if recorded_later else None,
        )

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "The meeting must end after it starts."
        if self.next_meeting_date and self.date and self.next_meeting_date <= self.date:
            errors["next_meeting_date"] = "The next meeting must be after this one."
        if self.minutes_issue_date and self.date and self.minutes_issue_date < self.date:
            errors["minutes_issue_date"] = "Minutes cannot be issued before the meeting."
        if self.following_meeting_date and not (
            self.next_meeting_date and self.following_meeting_date > self.next_meeting_date
        ):
            errors["following_meeting_date"] = (
                "Give the next meeting's date first; this one comes after it."
            )
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
    printed_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name as this paper prints it (a misspelling, an older surname); "
        "blank prints the person's name.",
    )
    initials = models.CharField(max_length=10, blank=True)
    note = models.CharField(
        max_length=100, blank=True, help_text='Printed in brackets after the name: "Chair".'
    )
    on_behalf_of = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="deputised_by"
    )
    part_meeting = models.BooleanField(default=False)
    # Part-meeting attendance by agenda item, for each item's quorum: blank is from the
    # start, or to the end.
    joined_at = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The first agenda item they were present for.",
    )
    left_after = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The last agenda item they were present for.",
    )
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

    @property
    def name_as_printed(self) -> str:
        return self.printed_name or self.person.name

    def clean(self):
        if self.on_behalf_of_id and self.on_behalf_of_id == self.person_id:
            raise ValidationError({"on_behalf_of": "A person cannot attend on their own behalf."})


APOLOGIES = "apologies"


class AttendanceHeading(models.Model):
    """The heading this meeting's paper gives a section of the attendee table, where it
    differs from the usual one ("MHHS Programme" for the group's "MHHS")."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance_headings"
    )
    section = models.CharField(
        max_length=12, choices=[*AttendanceCategory.choices, (APOLOGIES, "Apologies")]
    )
    heading = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section"], name="attendance_heading_unique_section"
            ),
            models.CheckConstraint(
                condition=Q(section__in=[*AttendanceCategory.values, APOLOGIES]),
                name="attendance_heading_section_valid",
            ),
            models.CheckConstraint(condition=~Q(heading=""), name="attendance_heading_not_blank"),
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.heading}"


def usual_headings(meeting) -> dict[str, str]:
    """{section: the heading the minutes give it unless the paper says otherwise}: the
    categories' labels, the group's own programme label ("MHHS"), then "Apologies"."""
    usual = {
        category.value: meeting.group.programme_label
        if category == AttendanceCategory.PROGRAMME
        else category.label
        for category in AttendanceCategory
    }
    return {**usual, APOLOGIES: "Apologies"}


def attendance_sections(meeting, attendances, headings=()):
    """(heading, lines) of the attendee table as the minutes lay it out: Chair, Industry
    Representatives, the programme staff under the group's own label, Other Attendees,
    then Apologies; a section this meeting's paper heads differently (`headings`, its
    AttendanceHeading rows) takes that heading. Empty sections are left out."""
    heading = usual_headings(meeting) | {h.section: h.heading for h in headings}
    present = [a for a in attendances if a.status != AttendanceStatus.APOLOGIES]
    sections = [
        (heading[category.value], [a for a in present if a.category == category])
        for category in AttendanceCategory
    ]
    apologies = [a for a in attendances if a.status == AttendanceStatus.APOLOGIES]
    sections.append((heading[APOLOGIES], apologies))
    return [(title, rows) for title, rows in sections if rows]


class AgendaItemType(models.TextChoices):
    DECISION = "decision", "Decision"
    INFORMATION = "information", "Information"
    DISCUSSION = "discussion", "Discussion"


class WithheldKind(models.TextChoices):
    """Why an agenda item (or a paragraph of its minutes) is left out of the public version
    of the minutes; the public version says which kind was withheld."""

    COMMERCIAL = "commercial", "commercially sensitive"
    PERSONAL = "personal", "personal information"
    SECURITY = "security", "security"
    LEGAL = "legal", "legal advice"
    OTHER = "other", "members only"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField(max_length=8, help_text='"6" or "6A".')
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    lead = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    lead_text = models.CharField(
        max_length=200,
        blank=True,
        help_text='The lead as printed when it is not one person: "Chair and Secretariat", '
        '"Programme", "Justin Andrews / Ian Smith".',
    )
    objective = models.TextField(blank=True)
    item_type = models.CharField(
        max_length=12,
        choices=AgendaItemType.choices,
        default=AgendaItemType.INFORMATION,
        blank=True,
        help_text="Blank when the paper's agenda gives no type (slide packs such as DAG004).",
    )
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    paper_text = models.TextField(
        blank=True,
        help_text="The text of the paper or slides presented (Markdown; sanitised when shown).",
    )
    members_only = models.CharField(
        max_length=12,
        choices=WithheldKind.choices,
        blank=True,
        help_text="Withheld from the public version of the minutes, saying of what kind; "
        "blank publishes it. A single paragraph is withheld by starting it "
        '"[Members only: commercially sensitive]".',
    )
    # Bumped on every save of the minutes so a second editor's stale save is refused.
    minutes_version = models.PositiveIntegerField(default=0)

    # The search across everything (meetings/search.py), kept by a PostgreSQL trigger
    # (core/search_vectors.py); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["meeting", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number"),
            models.CheckConstraint(
                condition=Q(item_type__in=[*AgendaItemType.values, ""]),
                name="agenda_item_type_valid",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"

    @property
    def lead_as_printed(self) -> str:
        """The free-text lead, else the lead's name; select_related("lead") to read it."""
        return self.lead_text or (self.lead.name if self.lead_id else "")

    def quorum(self):
        """Whether this item was quorate (meetings.quorum.ItemQuorum): what the decisions app
        asks of the item a decision was recorded at, through the decision's foreign key."""
        # quorum.py reads this module's models, so it is imported when asked.
        from .quorum import meeting_quorum

        return meeting_quorum(self.meeting)[self.pk]


class ChangeRequestPresented(models.Model):
    """A change request listed against an agenda item, with the status the meeting was
    told ("Raised to Impact Assessment", "Amendments requested"), as the papers list them.
    The CR's page lists every meeting that discussed it from these."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="change_requests_presented"
    )
    change_request = models.ForeignKey(
        "changerequests.ChangeRequest", on_delete=models.CASCADE, related_name="presentations"
    )
    status_presented = models.CharField(
        max_length=200, blank=True, help_text='As the paper words it, e.g. "Amendments requested".'
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "change_request"], name="cr_presented_once_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.change_request.reference} at {self.agenda_item}"


class MinutesDraft(models.Model):
    """What one person has typed into an item's minutes editor and not yet saved, kept while
    they type so a crash or a closed tab loses nothing. It is held apart from the item's
    minutes, so the real save keeps its version check: `based_on_version` is the version
    the editor was loaded from, and a save from a restored draft is refused like any
    other stale save if someone saved since."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="minutes_drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    based_on_version = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="minutes_draft_unique_per_user")
        ]

    def __str__(self):
        return f"Draft of item {self.item_id} by user {self.user_id}"


class MinutesEventKind(models.TextChoices):
    ISSUED = "issued", "Minutes issued"
    REOPENED = "reopened", "Minutes reopened"
    APPROVED = "approved", "Minutes approved"


class MinutesEvent(models.Model):
    """A step of a meeting's minutes workflow: issued, reopened (with the reason), approved."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_events")
    kind = models.CharField(max_length=12, choices=MinutesEventKind.choices)
    at = models.DateTimeField(auto_now_add=True, help_text="When it was entered.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date the paper gives, for a step recorded after it happened.",
    )
    by_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who took the step, when recorded for someone else (the chair who approved).",
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


class MinutesIssue(models.Model):
    """One issue of a meeting's minutes, kept as issued: the minutes document's data (what
    meetings.minutes.build_minutes returned, as JSON) and the PDF made from them. Issue 1
    is the first; each later one is a correction and says why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_issues")
    number = models.PositiveIntegerField()
    data = models.JSONField(encoder=DjangoJSONEncoder)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Minutes and Actions PDF made of this issue.",
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_issue_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="minutes_issue_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="minutes_correction_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.meeting.code} minutes, Issue {self.number}"

    @property
    def label(self) -> str:
        return f"Issue {self.number}"

    def clean(self):
        if self.number and self.number > 1 and not self.reason.strip():
            raise ValidationError({"reason": "Say why the minutes are being corrected."})


class CalendarFeed(models.Model):
    """A user's secret calendar subscription: their personal feed (no group: the meetings
    they attend and the due dates of their actions) or one group's meetings. The address
    carries a token derived from `key` (meetings.calendar_feeds.feed_token); a new key
    (reset) makes the old address answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    reset_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=Q(group__isnull=False),
                name="calendar_feed_one_per_group",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(group__isnull=True), name="calendar_feed_one_personal"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.group.code if self.group_id else 'personal'} calendar feed"


# The bulk steps of the review of open actions and their undo, the declarations of interest,
# the group's register of interests, the publications of minutes and the imports of past
# papers live in their own modules; imported here so Django finds them with the app's models.
from .interest_models import InterestDeclaration, RegisteredInterest  # noqa: E402, F401
from .paper_import.draft import PaperImport, PaperImportStatus  # noqa: E402, F401
from .public_models import MinutesPublication, RetentionLog  # noqa: E402, F401
from .review_batches import ReviewBatch, ReviewBatchEntry  # noqa: E402, F401
