"""The API's filters: the registers' own FilterSets (the same query-string filters as the
pages), less the pages' sort (API pages come in cursor order), and a small one for
meetings and documents, which have no register page filter."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from actions.filters import ActionFilter
from core.filters import FilterSet
from core.models import GovernanceGroup
from core.permissions import groups_for
from core.widgets import DateFilter
from meetings.models import Meeting, MeetingStatus
from raid.filters import RaidFilter


class RegisterFilterBackend(DjangoFilterBackend):
    """Gives the FilterSet what its page gives it: `request`, and `user` where it wants it
    (the decision log's)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if getattr(view, "filterset_wants_user", False):
            kwargs.pop("request")
            kwargs["user"] = request.user
        return kwargs


def _without_sort(filterset_class):
    """The FilterSet less its page's `sort`: the cursor sets the API's order."""
    subclass = type(f"Api{filterset_class.__name__}", (filterset_class,), {})
    del subclass.base_filters["sort"]
    return subclass


ApiActionFilter = _without_sort(ActionFilter)
ApiRaidFilter = _without_sort(RaidFilter)


class MeetingFilter(FilterSet):
    group = django_filters.ModelChoiceFilter(
        queryset=GovernanceGroup.objects.none(), to_field_name="code"
    )
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    date_from = DateFilter(field_name="date", lookup_expr="gte")
    date_to = DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = []

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["group"].queryset = groups_for(request.user)
