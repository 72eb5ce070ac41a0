"""Filters of the action register, "My actions" and the register's downloads.

Every value comes from the URL, so a filtered view can be bookmarked and shared. Values that
do not validate are left out of the filtering and shown as errors next to their field.
"""

import datetime
import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from core.filters import FilterSet
from core.models import GROUP_CODE_RE
from core.permissions import groups_for, person_of
from core.widgets import DateFilter

from .models import (
    Action,
    ActionOwner,
    ActionStatus,
    ActionUpdate,
    DueKind,
    search_rank,
    search_terms,
)

# No status chosen means "not closed". "Overdue" is offered once, under "Due"; an old link
# or bookmark with ?status=overdue is read as ?due=overdue.
STATUS_CHOICES = [
    ("all", "All"),
    *ActionStatus.choices,
]
DUE_CHOICES = [
    ("overdue", "Overdue"),
    ("week", "Due in the next 7 days"),
    ("wc", "Week commencing"),
    ("asap", "ASAP"),
    ("next_meeting", "Next meeting"),
    ("tbc", "TBC"),
    ("ongoing", "Ongoing"),
]
STATUS_ORDER = Case(
    *(When(status=value, then=Value(n)) for n, value in enumerate(ActionStatus.values)),
    output_field=IntegerField(),
)
# Ties are broken by reference so that pages never overlap or skip a row.
SORTS = {
    "reference": ("sort_key",),
    "-reference": ("-sort_key",),
    "due": (F("due_date").asc(nulls_last=True), "sort_key"),
    "-due": (F("due_date").desc(nulls_last=True), "sort_key"),
    "status": (STATUS_ORDER, "sort_key"),
    "-status": (STATUS_ORDER.desc(), "sort_key"),
    "-updated": (F("latest_update_date").desc(nulls_last=True), "sort_key"),
    "updated": (F("latest_update_date").asc(nulls_first=True), "sort_key"),
    "-date_raised": ("-date_raised", "sort_key"),
}
SORT_CHOICES = [
    ("relevance", "Best match first, else reference"),
    ("reference", "Reference"),
    ("-reference", "Reference, last first"),
    ("due", "Due date, soonest first"),
    ("-due", "Due date, latest first"),
    ("status", "Status, OPEN first"),
    ("-status", "Status, CLOSED first"),
    ("-updated", "Last update, newest first"),
    ("updated", "Last update, oldest first"),
    ("-date_raised", "Date raised, newest first"),
]
# With a text search, the best matches come first; otherwise "relevance" is reference order.
DEFAULT_SORT = "relevance"
WEEK = datetime.timedelta(days=7)
# A meeting code as the papers write it: DAG029, DAG10.1 (group code, number, point).
MEETING_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]+?\d{1,9}(\.\d{1,4})?$", re.IGNORECASE | re.ASCII)
ASCII_DIGITS = re.compile(r"^[0-9]+$")
# Larger numbers cannot be database ids; they are read as names, which match nobody.
MAX_ID_DIGITS = 18


class ActionFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and end < start:
            self.add_error("due_to", "The end of the range is before its start.")
        return data


class ActionFilter(FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_text",
        max_length=200,
        help_text="Words in the reference, the action or its updates.",
        widget=forms.TextInput(attrs={"placeholder": "Words, e.g. PPIR or DAG29-01"}),
    )
    group = django_filters.ChoiceFilter(
        label="Group", choices=(), empty_label="All my groups", field_name="group__code"
    )
    meeting = django_filters.CharFilter(
        label="Raised at",
        method="filter_meeting",
        max_length=30,
        help_text="A meeting, e.g. DAG029.",
        validators=[RegexValidator(MEETING_CODE_RE, "Give a meeting code such as DAG029.")],
    )
    owner = django_filters.CharFilter(
        label="Owner",
        method="filter_owner",
        max_length=200,
        help_text='A name or party, or "me".',
        widget=forms.TextInput(attrs={"placeholder": 'A name, party or "me"'}),
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, empty_label="Not closed", method="filter_status"
    )
    due = django_filters.ChoiceFilter(
        label="Due", choices=DUE_CHOICES, empty_label="Any time", method="filter_due"
    )
    due_from = DateFilter(label="Due from", field_name="due_date", lookup_expr="gte")
    due_to = DateFilter(label="Due by", field_name="due_date", lookup_expr="lte")
    area = django_filters.CharFilter(label="Area", lookup_expr="icontains", max_length=300)
    change_request = django_filters.CharFilter(
        label="Change request",
        method="filter_change_request",
        max_length=40,
        help_text="e.g. CR043",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, empty_label=None, method="keep"
    )

    class Meta:
        model = Action
        fields = []
        form = ActionFilterForm

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        if data is not None and data.get("status") == "overdue":
            data = data.copy()
            data["status"] = ""
            data.setdefault("due", "overdue")
        super().__init__(data, queryset, request=request, **kwargs)
        self.today = timezone.localdate()
        # One query for the choices, which also validate the value: no second query.
        self.groups = list(groups_for(request.user))
        self.filters["group"].extra["choices"] = [(g.code, str(g)) for g in self.groups]

    @property
    def mine(self):
        """True when the register shows the user's own actions ("My actions")."""
        if not self.is_bound or self.form.errors.get("owner"):
            return False
        return self.form.cleaned_data.get("owner", "").strip().lower() == "me"

    def filter_text(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_meeting(self, queryset, name, value):
        """DAG029 or DAG10.1: the group code is read greedily in every way the code allows,
        so group codes ending in digits (WG2) still work."""
        code = value.strip().upper()
        number_part, _, point = code.partition(".")
        matches = Q(pk__in=[])
        for split in range(2, len(number_part)):
            group_code, number = number_part[:split], number_part[split:]
            if ASCII_DIGITS.match(number) and len(number) <= 9 and GROUP_CODE_RE.match(group_code):
                matches |= Q(
                    meeting__group__code=group_code,
                    meeting__number=int(number),
                    meeting__point=int(point or 0),
                )
        return queryset.filter(matches)

    def filter_owner(self, queryset, name, value):
        """ "me": the user's own actions; digits: one person's (links use ids); anything
        else: actions whose owner party or a named owner's name contains it."""
        value = value.strip()
        if value.lower() == "me":
            person = person_of(self.request.user)
            return queryset.owned_by(person) if person else queryset.none()
        # IN (subquery), not EXISTS: PostgreSQL hashes the few owned actions once instead of
        # probing the owners per row, and estimates the result's size far better.
        if ASCII_DIGITS.match(value) and len(value) <= MAX_ID_DIGITS:
            owned = ActionOwner.objects.filter(person=int(value))
            return queryset.filter(pk__in=owned.values("action_id"))
        named = ActionOwner.objects.filter(person__name__icontains=value)
        return queryset.filter(
            Q(owner_party__icontains=value)
            | Q(owner_team__icontains=value)
            | Q(pk__in=named.values("action_id"))
        )

    def filter_status(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(status=value)

    def filter_due(self, queryset, name, value):
        if value == "overdue":
            return queryset.overdue(self.today)
        if value == "week":
            return queryset.filter(
                due_kind=DueKind.DATE, due_date__gte=self.today, due_date__lte=self.today + WEEK
            )
        return queryset.filter(due_kind=value)

    def filter_change_request(self, queryset, name, value):
        linked = Action.change_requests.through.objects.filter(
            action=OuterRef("pk"), changerequest__reference__iexact=value.strip()
        )
        return queryset.filter(Exists(linked))

    def keep(self, queryset, name, value):
        """Sorting is applied last, in filter_queryset()."""
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data if self.is_bound else {}
        for name, value in data.items():
            if value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        if not data.get("status"):
            queryset = queryset.open()
        if data.get("sort") in ("updated", "-updated"):
            latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-date")
            queryset = queryset.annotate(latest_update_date=Subquery(latest.values("date")[:1]))
        return queryset.order_by(*self.ordering())

    @property
    def current_sort(self):
        """The sort in use: "relevance" only while searching, else what it falls back to."""
        data = self.form.cleaned_data if self.is_bound else {}
        sort = (not self.form.errors.get("sort") and data.get("sort")) or DEFAULT_SORT
        if sort == "relevance" and not self.search_words:
            return "reference"
        return sort

    @property
    def search_words(self):
        data = self.form.cleaned_data if self.is_bound else {}
        return (data.get("q") or "").strip()

    @property
    def highlight_terms(self):
        """The words the rows mark as matching the search."""
        return search_terms(self.search_words)

    def ordering(self):
        """Relevance ranks the search vector, PostgreSQL's only. Ranking also makes
        PostgreSQL find the matches through the GIN index and sort them, where walking the
        natural-order index would test every open action's vector."""
        sort = self.current_sort
        if sort == "relevance":
            if self.queryset.has_search_vector():
                return (search_rank(self.search_words).desc(), "sort_key")
            sort = "reference"
        return SORTS[sort]
