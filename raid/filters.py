"""Filters of the RAID log, its heat map and its exports."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.db.models.functions import Length

from core.filters import FilterSet
from core.models import GovernanceGroup, Person
from core.permissions import groups_for

from .models import BAND_SCORES, Band, RaidItem, RaidStatus, RaidType

# Open is the default (no value), so it is listed first and "All" offered beside it.
STATUS_CHOICES = [
    (RaidStatus.OPEN.value, "Open"),
    ("all", "All"),
    (RaidStatus.CLOSED.value, "Closed"),
    (RaidStatus.SUPERSEDED.value, "Superseded"),
]
SORTS = {
    "reference": (Length("reference"), "reference"),
    "-reference": (Length("reference").desc(), "-reference"),
    "-score": (F("score_value").desc(nulls_last=True), Length("reference"), "reference"),
    "score": (F("score_value").asc(nulls_last=True), Length("reference"), "reference"),
    "-date_raised": (F("date_raised").desc(nulls_last=True), Length("reference"), "reference"),
}
SORT_CHOICES = [
    ("reference", "Reference"),
    ("-reference", "Reference, last first"),
    ("-score", "Score, highest first"),
    ("score", "Score, lowest first"),
    ("-date_raised", "Newest first"),
]
# The heat map's own cell selection: left out when counting the cells.
CELL_FILTERS = ("probability", "impact")


class ScoreFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class RaidFilter(FilterSet):
    q = django_filters.CharFilter(label="Text", method="search")
    raid_type = django_filters.ChoiceFilter(
        label="Type", choices=RaidType.choices, empty_label="Any type"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, empty_label=None, method="filter_status"
    )
    area = django_filters.ChoiceFilter(label="Area", choices=(), empty_label="Any area")
    owner = django_filters.ModelChoiceFilter(
        label="Owner", queryset=Person.objects.none(), empty_label="Anyone"
    )
    group = django_filters.ModelChoiceFilter(
        label="Group",
        queryset=GovernanceGroup.objects.none(),
        to_field_name="code",
        empty_label="Any group",
    )
    band = django_filters.ChoiceFilter(
        label="Band", choices=Band.choices, empty_label="Any band", method="filter_band"
    )
    min_score = ScoreFilter(
        label="Score at least", method="filter_min_score", min_value=1, max_value=25
    )
    probability = ScoreFilter(field_name="probability", min_value=1, max_value=5)
    impact = ScoreFilter(field_name="impact", min_value=1, max_value=5)
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, empty_label=None, method="keep"
    )

    class Meta:
        model = RaidItem
        fields = []

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        areas = (
            self.queryset.exclude(area="").order_by("area").values_list("area", flat=True)
        ).distinct()
        self.filters["area"].extra["choices"] = [(area, area) for area in areas]
        # The name alone: the select lists hundreds of people, each made a Person.
        self.filters["owner"].queryset = (
            Person.objects.filter(pk__in=self.queryset.values("owner"))
            .only("name")
            .order_by("name")
        )
        self.filters["group"].queryset = groups_for(request.user)

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(mitigation__icontains=word)
                | Q(area__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status=value)

    def filter_band(self, queryset, name, value):
        low, high = BAND_SCORES[value]
        return queryset.filter(score_value__gte=low, score_value__lte=high)

    def filter_min_score(self, queryset, name, value):
        return queryset.filter(score_value__gte=value)

    def keep(self, queryset, name, value):
        """Sorting is applied last, in filter_queryset()."""
        return queryset

    def filter_queryset(self, queryset):
        return self._filtered(queryset, skip=())

    def heat_map_queryset(self):
        """The filtered items before a heat-map cell narrows them: what the cells count."""
        self.errors  # noqa: B018 - validates the form, as .qs does
        return self._filtered(self.queryset.all(), skip=CELL_FILTERS)

    def _filtered(self, queryset, skip):
        data = self.form.cleaned_data if self.is_bound else {}
        for name, value in data.items():
            if name not in skip:
                queryset = self.filters[name].filter(queryset, value)
        if not data.get("status"):
            queryset = queryset.open()
        return queryset.order_by(*SORTS[data.get("sort") or "reference"])
