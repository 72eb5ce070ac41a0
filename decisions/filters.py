"""The decision log's filters. Every value comes from the URL, so a filtered log can be
bookmarked; a value that does not validate is reported on the form and ignored."""

import django_filters
from django.db.models import Q

from core.filters import FilterSet
from core.permissions import filter_visible, groups_for
from core.widgets import DateFilter

from .forms import MeetingChoiceField
from .models import DecisionRevision, DecisionStatus, meeting_objects


class MeetingFilter(django_filters.ModelChoiceFilter):
    field_class = MeetingChoiceField


class DecisionFilter(FilterSet):
    q = django_filters.CharFilter(label="Text", method="filter_text")
    group = django_filters.ModelChoiceFilter(
        queryset=None, to_field_name="code", empty_label="All my groups"
    )
    meeting = MeetingFilter(queryset=None, empty_label="Any meeting")
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices, empty_label="All")
    area = django_filters.CharFilter(lookup_expr="icontains")
    cr = django_filters.CharFilter(
        label="Change request", field_name="change_requests__reference", lookup_expr="iexact"
    )
    date_from = DateFilter(label="Decided from", field_name="decided_at__date", lookup_expr="gte")
    date_to = DateFilter(label="Decided to", field_name="decided_at__date", lookup_expr="lte")

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["group"].queryset = groups_for(user)
        self.filters["meeting"].queryset = self.meeting_choices(user, data or {})
        if not (data or {}).get("group"):
            self.form.fields["meeting"].empty_label = "Any meeting (choose a group first)"

    @staticmethod
    def meeting_choices(user, data):
        """The chosen group's meetings, newest first; without a group only the meeting
        already chosen (a bookmarked log), so the page never lists every meeting of every
        group (thousands of options in a programme of many years)."""
        meetings = filter_visible(user, meeting_objects().select_related("group").order_by("-date"))
        if data.get("group"):
            return meetings.filter(group__code=data["group"])
        chosen = str(data.get("meeting", ""))
        return meetings.filter(pk=chosen) if chosen.isdigit() else meetings.none()

    def filter_text(self, queryset, name, value):
        """Reference, area or wording (as approved, proposed or corrected)."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(area__icontains=value)
            | Q(wording__icontains=value)
            | Q(proposed_wording__icontains=value)
            | Q(
                pk__in=DecisionRevision.objects.filter(wording__icontains=value).values(
                    "decision_id"
                )
            )
        )
