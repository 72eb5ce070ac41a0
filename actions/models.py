"""Actions raised at meetings, their owners and their dated update history."""

import datetime
import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import Cast, ExtractIsoWeekDay
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import GovernanceGroup, Person

# Two digits at least (DAG29-01); more when a meeting raises over 99 actions.
ACTION_NUMBER_FORMAT = "{prefix}-{n:02d}"
SORT_KEY_LENGTH = 200
# Where ActionQuerySet.for_register() puts an action's ownerships (owner_display reads it).
REGISTER_OWNERS = "register_ownerships"
_SORT_TOKENS = re.compile(r"(\d+)|([A-Z]+)|(\.)|([^A-Z\d.]+)")


def natural_sort_key(reference):
    """A key whose plain string order is the natural order of references: DAG9-02 before
    DAG29-01, DAG10-05 before DAG10.1-03 before DAG11-01.

    Numbers become "2" + their length in two digits + the digits, so shorter numbers sort
    first; "-" and other separators become "0" and "." becomes "1", so a meeting's own
    actions come before those of its extraordinary meetings. Only capitals and digits are
    used, which every database collation orders the same way as bytes.
    """
    text = unicodedata.normalize("NFKD", reference).encode("ascii", "ignore").decode().upper()
    key = []
    for number, letters, dot, _separator in _SORT_TOKENS.findall(text):
        if number:
            digits = number.lstrip("0") or "0"
            key.append(f"2{len(digits):02d}{digits}")
        elif letters:
            key.append(letters)
        else:
            key.append("1" if dot else "0")
    return "".join(key)[:SORT_KEY_LENGTH]


class ActionStatus(models.TextChoices):
    OPEN = "open", "OPEN"
    ONGOING = "ongoing", "ONGOING"
    RECOMMEND_CLOSED = "recommend_closed", "RECOMMEND CLOSED"
    CLOSED = "closed", "CLOSED"


class DueKind(models.TextChoices):
    """A due date as the papers write it. Overdue rules (ActionQuerySet.overdue,
    Action.deadline; docs/past_records.md): a date is overdue the day after it; "w/c
    08/08/2022" (week commencing, a Monday) the Monday after that week; "Next DAG" the day
    after the group's next meeting once one is scheduled; ASAP, TBC and Ongoing never."""

    DATE = "date", "Date"
    WEEK_COMMENCING = "wc", "Week commencing (w/c)"
    ASAP = "asap", "ASAP"
    NEXT_MEETING = "next_meeting", "Next meeting"
    TBC = "tbc", "TBC"
    ONGOING = "ongoing", "Ongoing"


# The kinds held with a date: the date itself, or the Monday of the week.
DATED_DUE_KINDS = (DueKind.DATE, DueKind.WEEK_COMMENCING)
WEEK = datetime.timedelta(days=7)


def meeting_model():
    """Meeting, reached through the foreign key: actions do not import meetings."""
    return Action._meta.get_field("meeting").related_model


def next_meeting_after(group_id, day):
    """The date of the group's first meeting (not cancelled) after `day`, as a subquery
    when given OuterRefs."""
    return (
        meeting_model()
        .objects.filter(group=group_id, date__gt=day)
        .open_for_records()
        .order_by("date")
        .values("date")[:1]
    )


def search_query(words):
    """Words as typed in a search box ("ppir issued", "DAG29-01", "-closed") as a query of
    the search vector, in the vector's language so that "issue" matches "issued"."""
    return SearchQuery(words, search_type="websearch", config="english")


# A search box's words: letters, digits and the joins inside references (DAG29-01, 10.1).
_SEARCH_TERM = re.compile(r"\w(?:[\w.-]*\w)?")


def search_terms(words):
    """The words to look for in what was typed, leaving out words to exclude ("-closed")
    and the websearch keyword "or": the SQLite search and the highlighting use them."""
    terms = []
    for match in _SEARCH_TERM.finditer(words):
        excluded = match.start() > 0 and words[match.start() - 1] == "-"
        if not excluded and match.group().lower() != "or":
            terms.append(match.group())
    return terms


def search_rank(words):
    """How well an action matches the words: a reference beats the text beats updates."""
    return SearchRank(F("search_vector"), search_query(words))


def due_errors(due_kind, due_date) -> dict:
    """What is wrong with a due date as written, at the due date field (forms and
    Action.clean share it)."""
    if due_kind == DueKind.DATE and not due_date:
        return {"due_date": 'Give a due date, or choose "ASAP", "TBC" or "Next meeting".'}
    if due_kind == DueKind.WEEK_COMMENCING:
        if not due_date:
            return {"due_date": "Give the Monday of the week commencing, e.g. 08/08/2022."}
        if due_date.weekday() != 0:
            monday = due_date - datetime.timedelta(days=due_date.weekday())
            return {
                "due_date": f"w/c is week commencing, a Monday: {due_date:%d/%m/%Y} is a "
                f"{due_date:%A}. Did you mean {monday:%d/%m/%Y}?"
            }
    return {}


def compose_owner(party, team, names) -> str:
    """ "Programme (PMO)", "Programme (Paul Pettitt & Lee Cox)", "Ofgem", "Lee Cox"."""
    inner = " & ".join([team, *names] if team else names)
    if party and inner:
        return f"{party} ({inner})"
    return party or inner


def due_choices(group_code):
    """The kinds of due as a form offers them, "Next meeting" written "Next DAG"."""
    return [
        (value, f"Next {group_code}" if value == DueKind.NEXT_MEETING else label)
        for value, label in DueKind.choices
    ]


def last_day_due(due_kind, due_date):
    """The last day on time of a dated due: the date, or the Sunday of a week commencing."""
    if due_kind == DueKind.WEEK_COMMENCING:
        return due_date + datetime.timedelta(days=6)
    return due_date


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ActionStatus.CLOSED)

    def overdue(self, today):
        """Open actions past their deadline (see DueKind): a date before today, a week
        commencing that ended before today, or a next meeting held before today."""
        next_meeting_held = Exists(
            meeting_model()
            .objects.filter(group=OuterRef("group"), date__gt=OuterRef("date_raised"))
            .open_for_records()
            .filter(date__lt=today)
        )
        return self.open().filter(
            Q(due_kind=DueKind.DATE, due_date__lt=today)
            | Q(due_kind=DueKind.WEEK_COMMENCING, due_date__lt=today - WEEK + datetime.timedelta(1))
            | (Q(due_kind=DueKind.NEXT_MEETING) & next_meeting_held)
        )

    def with_next_meeting_date(self):
        """`next_meeting_date`: for a "Next DAG" action, the group's next meeting after it
        was raised, once scheduled (None until then, and for other kinds); and the group's
        code for "Next DAG": due_display() then needs no query."""
        return self.annotate(
            next_meeting_date=Case(
                When(
                    due_kind=DueKind.NEXT_MEETING,
                    then=Subquery(next_meeting_after(OuterRef("group"), OuterRef("date_raised"))),
                ),
                default=None,
                output_field=models.DateField(),
            ),
            due_group_code=F("group__code"),
        )

    def owned_by(self, person):
        return self.filter(owners=person)

    def search(self, words):
        """Actions whose reference, area, text or updates contain the words, as whole words:
        "UTC" does not find "outcome".

        PostgreSQL matches the stored search_vector (kept up to date by the triggers of
        migration 0002, GIN-indexed); other databases, i.e. the SQLite quick start, fall
        back to a case-insensitive word-boundary match of every word (a word, or its plural),
        which search_by_pattern() also runs on PostgreSQL for the tests.
        """
        if self.has_search_vector():
            return self.filter(search_vector=search_query(words))
        return self.search_by_pattern(words)

    def search_by_pattern(self, words):
        queryset = self
        # A word boundary: \y in PostgreSQL's regular expressions, \b in Python's (SQLite).
        edge = r"\y" if connections[self.db].vendor == "postgresql" else r"\b"
        for word in search_terms(words):
            pattern = rf"{edge}{re.escape(word)}(s|es)?{edge}"
            in_updates = ActionUpdate.objects.filter(action=OuterRef("pk"), text__iregex=pattern)
            queryset = queryset.filter(
                Q(reference__iregex=pattern)
                | Q(area__iregex=pattern)
                | Q(text__iregex=pattern)
                | Q(Exists(in_updates))
            )
        return queryset

    def has_search_vector(self):
        """Whether the database keeps search_vector (PostgreSQL) for search and ranking."""
        return connections[self.db].vendor == "postgresql"

    def for_register(self):
        """for_list() for the register and its downloads, leaner for pages of 50 and
        exports of thousands: each owner comes with its person in one query, not two, into
        a plain list (no queryset made per action), and the search vector, read only by
        the database, is left out."""
        return self.for_list().prefetch_related(None).with_owners().defer("search_vector")

    def with_owners(self):
        """Each action's owners with their people in one query, into a plain list that
        owner_display() and owner_person_ids() read: no queryset made per action (Django
        makes one per row for a prefetched relation, a large share of a page of hundreds)."""
        return self.prefetch_related(
            Prefetch(
                "ownerships",
                queryset=ActionOwner.objects.select_related("person"),
                to_attr=REGISTER_OWNERS,
            )
        )

    def for_list(self):
        """Rows of an actions table: the owners and the latest update come in a fixed
        number of queries, not one query per row."""
        latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-created_at")
        return (
            self.prefetch_related("ownerships__person")
            .with_next_meeting_date()
            .annotate(
                latest_update_date=Subquery(latest.values("date")[:1]),
                latest_update_text=Subquery(latest.values("text")[:1]),
            )
        )


class ActionOwner(models.Model):
    """A person owning an action, in the order the papers name them."""

    action = models.ForeignKey("Action", on_delete=models.CASCADE, related_name="ownerships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ownerships")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="action_owner_unique"),
        ]

    def __str__(self):
        return f"{self.person} owns {self.action}"


class Action(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    area = models.CharField(max_length=300, blank=True, help_text="Usually the agenda item or CR.")
    text = models.TextField(blank=True)
    date_raised = models.DateField()
    # Known only by its reference: named in minutes (closed at a meeting, say) whose paper
    # gives no text or owner. Its date raised is its meeting's if the app holds it, else the
    # date of the meeting that named it ("on or before").
    known_only = models.BooleanField(default=False)
    owners = models.ManyToManyField(Person, blank=True, through=ActionOwner, related_name="actions")
    owner_party = models.CharField(
        max_length=200, blank=True, help_text='"Programme", "Ofgem", "DAG members"...'
    )
    owner_team = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who in the party, not a person: "PMO", "Design Team".',
    )
    # The owner cell as the paper printed it ("Ofgem / Ian Smith"), shown as printed; its
    # party, team and people are read from it (actions.owners). Blank: composed.
    owner_printed = models.CharField(max_length=300, blank=True)
    due_kind = models.CharField(max_length=12, choices=DueKind.choices, default=DueKind.DATE)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_date = models.DateField(null=True, blank=True)
    closed_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_actions",
    )
    change_requests = models.ManyToManyField(
        "changerequests.ChangeRequest", blank=True, related_name="actions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The register's "natural" reference order (natural_sort_key), filled on save.
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, default="")
    # Reference, area, text and every update's text, for the register's text search. Only
    # PostgreSQL fills it: triggers (migration 0002) recompute it whenever the action or one
    # of its updates changes, whichever code path writes them.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[owners, change_requests], excluded_fields=["sort_key", "search_vector"]
    )
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["date_raised", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_kind__in=DueKind.values), name="action_due_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(due_kind__in=DATED_DUE_KINDS) | Q(due_date__isnull=False),
                name="action_dated_due_has_date",
            ),
            models.CheckConstraint(
                # The date cast to a date: validating a form's values, Django puts a
                # missing due date in as a bare NULL, whose type PostgreSQL cannot tell
                # for EXTRACT ("function pg_catalog.extract(unknown, unknown) is not
                # unique"), and the check would be skipped with a warning.
                condition=~Q(due_kind=DueKind.WEEK_COMMENCING)
                | Q(Exact(ExtractIsoWeekDay(Cast("due_date", models.DateField())), 1)),
                name="action_week_commencing_is_monday",
            ),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.CLOSED)
                | (Q(closed_date__isnull=True) & Q(closed_meeting__isnull=True)),
                name="action_closed_fields_only_when_closed",
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="action_reference_not_blank"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["group", "status"], name="action_group_status"),
            models.Index(fields=["sort_key"], name="action_sort_key"),
            # The chair's badge on every page of a chair counts the actions recommended
            # closed of their groups: without it, a scan of every open action's entry in
            # action_open_register (20,000 at a programme's scale; docs/benchmarks.md).
            models.Index(
                fields=["group", "id"],  # with the id: an index-only scan
                condition=models.Q(status=ActionStatus.RECOMMEND_CLOSED),
                name="action_recommend_closed",
            ),
            # On PostgreSQL, migration 0004 adds action_open_register: the actions that are
            # not closed (what the register shows by default, a fifth of them typically) in
            # natural order, with every column the common filters read, so that the count,
            # any page (OFFSET) and the group, status, party and due filters are index-only
            # scans. Migration 0002 adds the GIN index on search_vector, and 0005 another of
            # the actions not closed, which the default search reads. SQLite has none.
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        self.sort_key = natural_sort_key(self.reference)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "reference" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("actions:action_detail", args=[self.reference])

    def clean(self):
        errors = {}
        errors |= due_errors(self.due_kind, self.due_date)
        if not self.known_only and not self.text.strip():
            errors["text"] = (
                "Give the action's words (an action known only by its reference is "
                "recorded from the minutes that name it)."
            )
        if self.status != ActionStatus.CLOSED and (self.closed_date or self.closed_meeting_id):
            errors["closed_date"] = "Only a closed action has a closed date or meeting."
        if self.closed_date and self.date_raised and self.closed_date < self.date_raised:
            errors["closed_date"] = "An action cannot close before it was raised."
        if self.meeting_id and self.group_id and self.meeting.group_id != self.group_id:
            errors["meeting"] = "The meeting belongs to another group."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self):
        return self.status != ActionStatus.CLOSED

    def resolved_next_meeting(self):
        """For a "Next DAG" action, the date of the group's next meeting after it was
        raised, once scheduled (ActionQuerySet.with_next_meeting_date reads it for lists)."""
        if self.due_kind != DueKind.NEXT_MEETING:
            return None
        if hasattr(self, "next_meeting_date"):
            return self.next_meeting_date
        return (
            next_meeting_after(self.group_id, self.date_raised)
            .values_list("date", flat=True)
            .first()
        )

    def deadline(self):
        """The last day the action is on time (None for ASAP, TBC, Ongoing and a next
        meeting not yet scheduled): the due date; the Sunday of a week commencing; the day
        of the next meeting."""
        if self.due_kind in DATED_DUE_KINDS:
            return self.due_date and last_day_due(self.due_kind, self.due_date)
        return self.resolved_next_meeting()

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        deadline = self.is_open and self.deadline()
        return bool(deadline and deadline < today)

    def due_display(self):
        """As the papers write it: "11/10/2023", "w/c 08/08/2022", "ASAP", "TBC", "Ongoing",
        "Next DAG" (with the meeting's date once it is scheduled)."""
        if self.due_kind == DueKind.DATE and self.due_date:
            return self.due_date.strftime("%d/%m/%Y")
        if self.due_kind == DueKind.WEEK_COMMENCING and self.due_date:
            return f"w/c {self.due_date:%d/%m/%Y}"
        if self.due_kind == DueKind.NEXT_MEETING:
            code = getattr(self, "due_group_code", None) or self.group.code
            written = f"Next {code}"
            resolved = self.resolved_next_meeting()
            return f"{resolved:%d/%m/%Y} ({written})" if resolved else written
        return self.get_due_kind_display()

    def owner_person_ids(self):
        """The people owning the action, from the owners with_owners() read if it did."""
        ownerships = getattr(self, REGISTER_OWNERS, None)
        if ownerships is None:
            ownerships = self.ownerships.all()
        return {ownership.person_id for ownership in ownerships}

    def owner_display(self):
        """As the papers write it: as printed when the paper's form was typed, else
        "Programme (Paul Pettitt & Lee Cox)", "Programme (PMO)", "Ofgem", "Lee Cox".

        Owners keep the order they were given in; prefetch "ownerships__person" for lists.
        """
        if self.owner_printed:
            return self.owner_printed
        ownerships = getattr(self, REGISTER_OWNERS, None)
        if ownerships is None:
            ownerships = self.ownerships.all()
        return compose_owner(
            self.owner_party, self.owner_team, [ownership.person.name for ownership in ownerships]
        )


class UpdateSource(models.TextChoices):
    WEB = "web", "Web"
    MEETING = "meeting", "At a meeting"
    EMAIL_LINK = "email_link", "Via email link"
    IMPORT = "import", "Imported"


class ActionUpdate(models.Model):
    """One dated "latest update" sentence of an action, with the status it set."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_updates"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_updates",
    )
    status_set = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    source = models.CharField(max_length=12, choices=UpdateSource.choices, default=UpdateSource.WEB)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-date", "-created_at"]
        get_latest_by = ["date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_set="") | Q(status_set__in=ActionStatus.values),
                name="action_update_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=UpdateSource.values), name="action_update_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["action", "-date"], name="action_update_latest")]

    def __str__(self):
        return f"{self.action.reference} {self.date:%d/%m/%Y}"


class LinkEventKind(models.TextChoices):
    OPENED = "opened", "Link opened"
    UPDATED = "updated", "Update posted by link"
    REFUSED = "refused", "Withdrawn link refused"
    REVOKED = "revoked", "Links withdrawn"


class UpdateLinkEventQuerySet(models.QuerySet):
    def revoked_before(self, action, issued_at, person=None) -> bool:
        """Were the action's links withdrawn at or after `issued_at` (when a link was made)?
        A withdrawal naming a person (their account was deactivated) stops only that
        person's links."""
        return (
            self.filter(action=action, kind=LinkEventKind.REVOKED, at__gte=issued_at)
            .filter(Q(person__isnull=True) | Q(person=person))
            .exists()
        )


class UpdateLinkEvent(models.Model):
    """One use of an "update this action" link from an email (opened, update posted, refused
    once withdrawn), or the withdrawal of every link of the action sent so far: shown in the
    action's history. The links themselves are signed, not stored; withdrawing them refuses
    every link made before the withdrawal."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="link_events")
    kind = models.CharField(max_length=10, choices=LinkEventKind.choices)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose link it was (empty for a withdrawal).",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who withdrew the links.",
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = UpdateLinkEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LinkEventKind.values), name="link_event_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.action_id})"
