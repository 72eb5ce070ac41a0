"""The secretariat's agenda page of a meeting: adding, editing, moving and removing items.
Every view goes through meetings.views.meeting_edit_view."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from changerequests.models import ChangeRequest
from core.permissions import filter_visible
from core.versions import StaleRecord, save_unchanged

from .forms import AgendaItemForm, ChangeRequestPresentedForm
from .services import agenda_item_move, change_request_present, next_item_number
from .views import agenda_with_times, back_to, meeting_edit_view, meeting_header


def agenda_context(request, meeting, form):
    return {
        **meeting_header(request, meeting, "agenda"),
        "agenda_items": agenda_with_times(
            meeting, list(meeting.agenda_items.select_related("lead"))
        ),
        "form": form,
    }


@meeting_edit_view()
def agenda(request, meeting):
    """The group's secretariat: the agenda in order, and a form to add an item."""
    form = AgendaItemForm(
        request.POST or None, meeting=meeting, initial={"number": next_item_number(meeting)}
    )
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.order = (max(meeting.agenda_items.values_list("order", flat=True), default=0)) + 1
        item.save()
        messages.success(request, f"Item {item.number} added.")
        return back_to(meeting, "agenda", "#add-item")
    return render(request, "meetings/agenda.html", agenda_context(request, meeting, form))


def item_page(request, meeting, item, form=None, cr_form=None):
    """The agenda item's page: its details form, and the change requests presented under
    it with the form to name another."""
    return render(
        request,
        "meetings/agenda_item_form.html",
        {
            **meeting_header(request, meeting, "agenda"),
            "form": form or AgendaItemForm(instance=item, meeting=meeting),
            "item": item,
            "presented": item.change_requests_presented.select_related("change_request"),
            "cr_form": cr_form or cr_presented_form(request, item),
        },
    )


def cr_presented_form(request, item, data=None):
    visible = filter_visible(request.user, ChangeRequest.objects.all())
    return ChangeRequestPresentedForm(data, agenda_item=item, visible_crs=visible)


@meeting_edit_view()
def agenda_item_edit(request, meeting, item_pk):
    """The group's secretariat: change an agenda item's number, title, lead, type, time."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            save_unchanged(form)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"Item {item.number} saved.")
            return back_to(meeting, "agenda", f"#agenda-{item.pk}")
    return item_page(request, meeting, item, form=form)


@require_POST
@meeting_edit_view()
def agenda_item_cr_add(request, meeting, item_pk):
    """The group's secretariat: list a change request under the item with the status the
    meeting was told; a reference new to the tracker is recorded as a CR known only by it."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = cr_presented_form(request, item, request.POST)
    if not form.is_valid():
        return item_page(request, meeting, item, cr_form=form)
    line = change_request_present(
        agenda_item=item,
        reference=form.cleaned_data["reference"],
        change_request=form.cleaned_data["change_request"],
        status_presented=form.cleaned_data["status_presented"],
    )
    known = (
        "" if form.cleaned_data["change_request"] else " (new to the tracker: its reference only)"
    )
    messages.success(
        request, f"{line.change_request.reference}{known} listed under item {item.number}."
    )
    return redirect(reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]) + "#crs")


@require_POST
@meeting_edit_view()
def agenda_item_cr_remove(request, meeting, item_pk, line_pk):
    """The group's secretariat: take a change request off the item (the CR stays)."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    line = get_object_or_404(
        item.change_requests_presented.select_related("change_request"), pk=line_pk
    )
    line.delete()
    messages.success(request, f"{line.change_request.reference} taken off item {item.number}.")
    return redirect(reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]) + "#crs")


@require_POST
@meeting_edit_view()
def agenda_move(request, meeting, item_pk):
    """The group's secretariat: move an item up or down the agenda."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    agenda_item_move(item=item, step=-1 if request.POST.get("direction") == "up" else 1)
    if request.htmx:
        return render(
            request,
            "meetings/agenda.html#agenda-table",
            agenda_context(request, meeting, None),
        )
    return back_to(meeting, "agenda", f"#agenda-{item.pk}")


@meeting_edit_view()
def agenda_item_remove(request, meeting, item_pk):
    """The group's secretariat: remove an agenda item, after confirming. Actions and
    decisions raised under it stay, no longer tied to an item."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    if request.method == "POST":
        item.delete()
        messages.success(request, f"Item {item.number} removed.")
        return back_to(meeting, "agenda")
    return render(
        request,
        "meetings/agenda_item_remove.html",
        {**meeting_header(request, meeting, "agenda"), "item": item},
    )
