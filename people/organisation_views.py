"""Organisations kept tidy: the list with how many people each has, rename, merge."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.models import Organisation
from core.permissions import may_manage_people, may_see_people
from core.versions import StaleRecord, save_unchanged

from .forms import OrganisationForm, OrganisationMergeForm
from .merge import organisation_merge


@require_GET
def organisation_list(request):
    """Anyone who may see people: the organisations and how many people each has."""
    if not may_see_people(request.user) and not may_manage_people(request.user):
        raise Http404("No page here.")
    organisations = Organisation.objects.annotate(people_count=Count("people")).order_by("name")
    return render(
        request,
        "people/organisation_list.html",
        {"organisations": organisations, "may_manage": may_manage_people(request.user)},
    )


def _organisation_for_manager(request, pk):
    if not may_see_people(request.user) and not may_manage_people(request.user):
        raise Http404("No organisation matches the given query.")
    organisation = get_object_or_404(Organisation, pk=pk)
    if not may_manage_people(request.user):
        raise PermissionDenied("Only the secretariat may change organisations.")
    return organisation


@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    """The secretariat of any group, or a programme administrator: rename an organisation
    or merge a duplicate of it into it."""
    organisation = _organisation_for_manager(request, pk)
    form = OrganisationForm(
        request.POST if "rename" in request.POST else None, instance=organisation
    )
    merge_form = OrganisationMergeForm(
        request.POST if "merge" in request.POST else None, kept=organisation
    )
    if request.method == "POST" and "rename" in request.POST and form.is_valid():
        try:
            save_unchanged(form)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"Organisation saved as {organisation.name}.")
            return redirect("people:organisation_list")
    if request.method == "POST" and "merge" in request.POST and merge_form.is_valid():
        merged = merge_form.cleaned_data["merged"]
        try:
            moved = organisation_merge(kept=organisation, merged=merged, by=request.user)
        except ValidationError as error:
            merge_form.add_error(None, error)
        else:
            messages.success(
                request, f"{merged.name} merged into {organisation.name}: {moved} records moved."
            )
            return redirect(reverse("people:organisation_edit", args=[organisation.pk]))
    people = organisation.people.order_by("name")
    return render(
        request,
        "people/organisation_edit.html",
        {"organisation": organisation, "form": form, "merge_form": merge_form, "people": people},
    )
