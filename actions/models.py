"""Actions raised at meetings, their owners and their dated update history."""

import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
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
    DATE = "date", "Date"
    ASAP = "asap", "ASAP"
    NEXT_MEETING = "next_meeting", "Next meeting"


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


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ActionStatus.CLOSED)

    def overdue(self, today):
        return self.open().filter(due_kind=DueKind.DATE, due_date__lt=today)

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
        owners = Prefetch(
            "ownerships",
            queryset=ActionOwner.objects.select_related("person"),
            to_attr=REGISTER_OWNERS,
        )
        return (
            self.for_list().prefetch_related(None).prefetch_related(owners).defer("search_vector")
        )

    def for_list(self):
        """Rows of an actions table: the owners and the latest update come in a fixed
        number of queries, not one query per row."""
        latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-created_at")
        return self.prefetch_related("ownerships__person").annotate(
            latest_update_date=Subquery(latest.values("date")[:1]),
            latest_update_text=Subquery(latest.values("text")[:1]),
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
    text = models.TextField()
    date_raised = models.DateField()
    owners = models.ManyToManyField(Person, blank=True, through=ActionOwner, related_name="actions")
    owner_party = models.CharField(
        max_length=200, blank=True, help_text='"Programme", "Ofgem", "DAG members"...'
    )
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
                condition=~Q(due_kind=DueKind.DATE) | Q(due_date__isnull=False),
                name="action_dated_due_has_date",
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
        if self.due_kind == DueKind.DATE and not self.due_date:
            errors["due_date"] = 'Give a due date, or choose "ASAP" or "Next meeting".'
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

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.is_open
            and self.due_kind == DueKind.DATE
            and self.due_date is not None
            and self.due_date < today
        )

    def due_display(self):
        if self.due_kind == DueKind.DATE and self.due_date:
            return self.due_date.strftime("%d/%m/%Y")
        return self.get_due_kind_display()

    def owner_display(self):
        """As the papers write it: "Programme (Paul Pettitt & Lee Cox)", "Ofgem", "Lee Cox".

        Owners keep the order they were given in; prefetch "ownerships__person" for lists.
        """
        ownerships = getattr(self, REGISTER_OWNERS, None)
        if ownerships is None:
            ownerships = self.ownerships.all()
        names = " & ".join(ownership.person.name for ownership in ownerships)
        if self.owner_party and names:
            return f"{self.owner_party} ({names})"
        return self.owner_party or names


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
