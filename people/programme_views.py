"""The programme administrator's page: every group with its secretariat, and new groups."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.models import GovernanceGroup, Membership, Role
from core.permissions import is_programme_administrator

from .forms import GroupCreateForm
from .services import group_create


@require_http_methods(["GET", "POST"])
def programme_groups(request):
    """Programme administrators (and superusers): every group with its current
    secretariat, links to manage each group's members, and a form for a new group with its
    first secretariat appointed."""
    if not is_programme_administrator(request.user):
        raise PermissionDenied("Only a programme administrator creates groups.")
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = group_create(**form.cleaned_data)
        messages.success(
            request,
            f"{group} created with {form.cleaned_data['secretariat'].name} as its secretariat.",
        )
        return redirect("people:members", code=group.code)
    secretariat = Membership.objects.filter(role=Role.SECRETARIAT, active=True).select_related(
        "person"
    )
    groups = GovernanceGroup.objects.select_related("parent").prefetch_related(
        Prefetch("memberships", queryset=secretariat, to_attr="secretariat")
    )
    return render(request, "people/programme_groups.html", {"groups": groups, "form": form})
