"""A group's members: current and former, with their dates; adding, changing and ending
memberships; the terms of reference. Who may change them is decided by
core.permissions.may_manage_members (the group's secretariat, a programme administrator)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.markup import render_markdown
from core.models import GovernanceGroup, Membership
from core.permissions import may_manage_members, may_see_members
from core.versions import StaleRecord, save_unchanged

from .forms import MembershipEndForm, MembershipForm, TermsOfReferenceForm
from .services import membership_add, membership_change, membership_end


def _group(request, code, *, manage=False):
    """The group, if the user may see its members (else 404); 403 if they may see but
    `manage` is asked and they may not change them."""
    group = GovernanceGroup.objects.filter(code=code).first()
    if group is None or not may_see_members(request.user, group):
        raise Http404("No governance group matches the given query.")
    if manage and not may_manage_members(request.user, group):
        raise PermissionDenied("Only the group's secretariat may change its members.")
    return group


def members_url(group):
    return reverse("people:members", args=[group.code])


@require_GET
def members(request, code):
    """Whoever may read the group, or a programme administrator: its current members by
    role and its former members, each with their dates, and the terms of reference."""
    group = _group(request, code)
    rows = list(
        group.memberships.select_related("person__organisation", "deputy").order_by(
            "role", "person__name", "-start_date"
        )
    )
    return render(
        request,
        "people/members.html",
        {
            "group": group,
            "current": [m for m in rows if m.active],
            "former": sorted(
                (m for m in rows if not m.active),
                key=lambda m: (m.end_date or timezone.localdate(), m.pk),
                reverse=True,
            ),
            "may_manage": may_manage_members(request.user, group),
            "terms_html": render_markdown(group.terms_of_reference),
        },
    )


@require_http_methods(["GET", "POST"])
def member_add(request, code):
    """The group's secretariat or a programme administrator: add someone to the group with
    their role, constituency, voting or not, and a standing deputy."""
    group = _group(request, code, manage=True)
    form = MembershipForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            membership = membership_add(group=group, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{membership.person.name} added to {group.code}.")
            return redirect(members_url(group))
    return render(request, "people/member_form.html", {"group": group, "form": form})


def _membership(group, pk):
    return get_object_or_404(Membership.objects.select_related("person"), group=group, pk=pk)


@require_http_methods(["GET", "POST"])
def member_edit(request, code, pk):
    """The group's secretariat or a programme administrator: change a current member's
    role, constituency, voting or deputy."""
    group = _group(request, code, manage=True)
    membership = _membership(group, pk)
    if not membership.active:
        raise Http404("This membership has ended.")
    form = MembershipForm(request.POST or None, instance=membership, group=group)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            membership_change(membership=membership, version=form.cleaned_data["version"], **fields)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{membership.person.name}'s membership saved.")
            return redirect(members_url(group))
    return render(
        request,
        "people/member_form.html",
        {"group": group, "form": form, "membership": membership},
    )


@require_http_methods(["GET", "POST"])
def member_end(request, code, pk):
    """The group's secretariat or a programme administrator: end a membership on a date.
    The person stays among the former members; past meetings keep them as recorded."""
    group = _group(request, code, manage=True)
    membership = _membership(group, pk)
    if not membership.active:
        raise Http404("This membership has already ended.")
    form = MembershipEndForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(membership=membership, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{membership.person.name}'s membership of {group.code} ended on "
                f"{form.cleaned_data['end_date']:%d/%m/%Y}.",
            )
            return redirect(members_url(group))
    return render(
        request,
        "people/member_end.html",
        {"group": group, "form": form, "membership": membership},
    )


@require_http_methods(["GET", "POST"])
def terms_of_reference(request, code):
    """The group's secretariat or a programme administrator: edit the group's terms of
    reference (Markdown; shown on the members page)."""
    group = _group(request, code, manage=True)
    form = TermsOfReferenceForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            save_unchanged(form)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"{group.code}'s terms of reference saved.")
            return redirect(members_url(group))
    return render(request, "people/terms_form.html", {"group": group, "form": form})
