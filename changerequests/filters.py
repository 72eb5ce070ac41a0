"""Filters of the CR register, its status board and its exports."""

import django_filters
from django.db.models import Q

from core.filters import FilterSet
from core.models import Organisation

from .models import ApprovalStatus, ChangeRequest, DecisionBody, Stage

TEXT_FIELDS = (
    "reference",
    "title",
    "key_detail",
    "latest_action",
    "next_action",
    "implementation_milestone",
    "raiser_person__name",
    "change_owner__name",
)


class ChangeRequestFilter(FilterSet):
    q = django_filters.CharFilter(label="Text", method="search")
    status = django_filters.ChoiceFilter(
        field_name="approval_status",
        label="Approval status",
        choices=ApprovalStatus.choices,
        empty_label="Any status",
    )
    stage = django_filters.ChoiceFilter(
        label="Current stage", choices=Stage.choices, empty_label="Any stage"
    )
    decision_body = django_filters.ChoiceFilter(
        label="Decided by", choices=DecisionBody.choices, empty_label="Any body"
    )
    raiser_organisation = django_filters.ModelChoiceFilter(
        label="Raiser's organisation",
        queryset=Organisation.objects.none(),
        empty_label="Any organisation",
    )

    class Meta:
        model = ChangeRequest
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Only organisations that raised a CR the user may see.
        self.filters["raiser_organisation"].queryset = Organisation.objects.filter(
            pk__in=self.queryset.values("raiser_organisation")
        ).order_by("name")

    def search(self, queryset, name, value):
        """Every word must appear in one of the text columns."""
        for word in value.split():
            condition = Q()
            for field in TEXT_FIELDS:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset
