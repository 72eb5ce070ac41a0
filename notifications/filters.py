"""The email log's filters, and whose emails the secretariat of some groups sees."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from core.filters import FilterSet
from core.models import GovernanceGroup, Person

from .models import EmailKind, EmailStatus, OutboundEmail


def people_in(group_ids):
    """People of these groups (None: everybody): members, and owners of the groups'
    actions. The owners are reached by the reverse name of the action log's owner rows, a
    query string, so this app still imports no feature app."""
    if group_ids is None:
        return Person.objects.all()
    # The members as a subquery and the owners as EXISTS, not an OR over both joins made
    # DISTINCT: that join multiplied each person by every action they own (300,000 rows
    # for a programme's 500 people), three times a page of the email log; EXISTS stops at
    # each person's first owned action of the groups (130 ms to 4 ms at 30,000 actions).
    # The owner rows' model is reached from Person, so this app imports no feature app.
    ownership = Person._meta.get_field("ownerships").related_model
    members = Person.objects.filter(memberships__group__in=group_ids, memberships__active=True)
    owns = ownership.objects.filter(person=OuterRef("pk"), action__group__in=group_ids)
    return Person.objects.filter(Q(pk__in=members.values("pk")) | Exists(owns))


def emails_in(group_ids):
    """A digest covering several groups has no group: it shows to the secretariat of any
    group the person belongs to."""
    emails = OutboundEmail.objects.select_related("person", "group")
    if group_ids is None:
        return emails
    return emails.filter(
        Q(group__in=group_ids) | Q(group__isnull=True, person__in=people_in(group_ids).values("pk"))
    )


class EmailFilter(FilterSet):
    group = django_filters.ModelChoiceFilter(
        queryset=GovernanceGroup.objects.none(),
        to_field_name="code",
        method="in_group",
        empty_label="All your groups",
    )
    status = django_filters.ChoiceFilter(choices=EmailStatus.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=EmailKind.choices, empty_label="Any kind")
    q = django_filters.CharFilter(method="search", label="Person, address or reference")

    class Meta:
        model = OutboundEmail
        fields = ["status", "kind"]

    def __init__(self, *args, group_ids, **kwargs):
        """Only the user's secretariat groups are offered (all for None)."""
        super().__init__(*args, **kwargs)
        groups = GovernanceGroup.objects.order_by("code")
        if group_ids is not None:
            groups = groups.filter(pk__in=group_ids)
        self.filters["group"].queryset = groups

    def in_group(self, queryset, name, group):
        return queryset.filter(
            Q(group=group) | Q(group__isnull=True, person__in=people_in({group.pk}).values("pk"))
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(to_address__icontains=value)
            | Q(references__icontains=value)
        )
