"""The people directory: finding, editing and merging people, and exporting what the app
holds about someone. Adding someone new is the person pickers' page (meetings:person_new)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.models import Person
from core.permissions import (
    may_export_person,
    may_manage_people,
    may_see_people,
)
from core.security import log_event
from core.versions import StaleRecord, save_unchanged

from . import export
from .forms import PersonEditForm, PersonMergeForm, PersonSearchForm
from .merge import duplicate_of, person_merge
from .models import PersonMerge

PAGE_SIZE = 50


def people_matching(q):
    """People whose name, initials, organisation or email contain every word of `q`."""
    people = Person.objects.select_related("organisation", "user")
    for word in q.split():
        people = people.filter(
            Q(name__icontains=word)
            | Q(initials__iexact=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__short_name__iexact=word)
            | Q(email__icontains=word)
        )
    return people


@require_GET
def directory(request):
    """Anyone with a role in some group (the directory is programme-wide): find people by
    name, initials, organisation or email. The secretariat edits and merges from here."""
    if not may_see_people(request.user):
        raise Http404("No page here.")
    form = PersonSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    people = people_matching(q).annotate(
        current_groups=Count("memberships", filter=Q(memberships__active=True))
    )
    page = Paginator(people.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/directory.html",
        {"form": form, "q": q, "page": page, "may_manage": may_manage_people(request.user)},
    )


def _person_for_manager(request, pk):
    if not may_see_people(request.user) and not may_manage_people(request.user):
        raise Http404("No person matches the given query.")
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)
    if not may_manage_people(request.user):
        raise PermissionDenied("Only the secretariat may change people's records.")
    return person


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    """The secretariat of any group, or a programme administrator: change someone's name,
    initials, organisation, email, or whether they are still active."""
    person = _person_for_manager(request, pk)
    form = PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            save_unchanged(form)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"{person.name}'s details saved.")
            return redirect(person)
    return render(request, "people/person_edit.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
def person_merge_view(request, pk):
    """The secretariat of any group, or a programme administrator: merge a duplicate record
    of this person into this one. A GET with ?merged= shows what would move first."""
    kept = _person_for_manager(request, pk)
    form = PersonMergeForm(request.POST or None, kept=kept)
    suggestions = Person.objects.filter(duplicate_of(kept)).exclude(pk=kept.pk)
    if request.method == "POST" and form.is_valid():
        merged = form.cleaned_data["merged"]
        if merged.user_id and merged.user_id == request.user.pk:
            form.add_error("merged", "You cannot merge away your own record.")
        else:
            try:
                merge = person_merge(
                    kept=kept, merged=merged, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                log_event(
                    "person_merged",
                    request,
                    level=logging.INFO,
                    kept=kept.pk,
                    merged=merge.merged_id,
                )
                moved = sum(v for v in merge.moved.values() if isinstance(v, int))
                messages.success(
                    request,
                    f"{merge.merged_name} merged into {kept.name}: {moved} records moved.",
                )
                return redirect(kept)
    return render(
        request,
        "people/person_merge.html",
        {
            "person": kept,
            "form": form,
            "suggestions": suggestions,
            "merges": kept.merges.select_related("by__person"),
        },
    )


@require_GET
def person_merges(request, pk):
    """Anyone who may see people: the merges made into this record, who made them and why."""
    if not may_see_people(request.user):
        raise Http404("No person matches the given query.")
    person = get_object_or_404(Person, pk=pk)
    merges = PersonMerge.objects.filter(kept=person).select_related("by__person")
    return render(request, "people/person_merges.html", {"person": person, "merges": merges})


@require_GET
def person_export(request, pk, fmt):
    """The person themself, the secretariat of a group they belong or belonged to, or a
    programme administrator: everything the app holds about the person, as JSON or CSV."""
    if fmt not in ("json", "csv"):
        raise Http404("Exports are JSON or CSV.")
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    if not may_export_person(request.user, person):
        if may_see_people(request.user):
            raise PermissionDenied("Only the person or their group's secretariat may export this.")
        raise Http404("No person matches the given query.")
    name = f"person-{person.pk}"
    if fmt == "json":
        response = HttpResponse(export.as_json(person), content_type="application/json")
    else:
        response = HttpResponse("\ufeff" + export.as_csv(person), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
