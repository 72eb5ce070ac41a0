"""The secretariat's attendance page of a meeting: who is expected, present or sent
apologies, under the categories of the minutes; adding members, other people and guests.
Every view goes through meetings.views.meeting_edit_view."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core.models import Person
from core.versions import StaleRecord, lock_unchanged, record_versions
from core.widgets import with_membership

from .attendance_forms import (
    AttendanceAddForm,
    AttendanceHeadingsForm,
    AttendanceLineForm,
    GuestForm,
)
from .forms import person_choices
from .services import (
    attendance_add,
    attendance_add_guest,
    attendance_add_members,
    attendance_headings_set,
    initials_clashes,
)
from .views import back_to, meeting_edit_view, meeting_header


def deputy_choices(meeting, lines):
    """Whom one may attend on behalf of: the group's members, and anyone already named."""
    named = [line.on_behalf_of_id for line in lines if line.on_behalf_of_id]
    people = Person.objects.filter(
        Q(memberships__group=meeting.group, memberships__active=True) | Q(pk__in=named)
    ).distinct()
    return person_choices(people.order_by("name"))


def make_add_form(meeting, lines, data=None):
    """The "add someone" form: active people not listed yet, the group's members marked
    so that the picker offers them first."""
    attending = {line.person_id for line in lines}
    people = Person.objects.filter(active=True).exclude(pk__in=attending)
    people = list(with_membership(people, meeting.group_id).order_by("name"))
    return AttendanceAddForm(
        data,
        people_choices=person_choices(people, "Choose a person"),
        members=[person.pk for person in people if person.is_member],
    )


def item_choices(meeting):
    """The meeting's agenda items in agenda order, for the lines' joined and left fields."""
    return [(item.pk, f"{item.number}. {item.title}"[:80]) for item in meeting.agenda_items.all()]


def attendance_lines(meeting):
    return list(meeting.attendances.select_related("person__organisation", "on_behalf_of"))


def attendance_context(
    request, meeting, lines, bound=(), add_form=None, guest_form=None, headings_form=None
):
    """The attendance page: (line, form, other lines sharing its initials) rows, where
    `bound` forms (posted with errors) stand in for their lines, the add forms and the
    form of the sections' headings as printed."""
    deputies = deputy_choices(meeting, lines)
    items = item_choices(meeting)
    versions = record_versions(lines)
    bound = {form.instance.pk: form for form in bound}
    clashes = initials_clashes(lines)
    clash_with = {
        line.pk: [other for other in group if other.pk != line.pk]
        for group in clashes.values()
        for line in group
    }
    rows = [
        (
            line,
            bound.get(line.pk)
            or AttendanceLineForm(
                instance=line,
                prefix=f"line-{line.pk}",
                deputy_choices=deputies,
                item_choices=items,
                initial={"version": versions[line.pk]},
            ),
            clash_with.get(line.pk, []),
        )
        for line in lines
    ]
    return {
        **meeting_header(request, meeting, "attendance"),
        "rows": rows,
        "clashes": clashes,
        "add_form": add_form or make_add_form(meeting, lines),
        "guest_form": guest_form or GuestForm(deputy_choices=deputies),
        "headings_form": headings_form
        or AttendanceHeadingsForm(meeting=meeting, headings=meeting.attendance_headings.all()),
    }


@meeting_edit_view()
def attendance(request, meeting):
    """The group's secretariat, until the minutes are issued: the attendee lines, saved
    together; the group's members added in one click, guests without leaving the page."""
    lines = attendance_lines(meeting)
    bound = []
    if request.method == "POST":
        deputies = deputy_choices(meeting, lines)
        items = item_choices(meeting)
        versions = record_versions(lines)
        # Only the lines that were on the page when it was loaded are in the post.
        bound = [
            AttendanceLineForm(
                request.POST,
                instance=line,
                prefix=f"line-{line.pk}",
                deputy_choices=deputies,
                item_choices=items,
                initial={"version": versions[line.pk]},
            )
            for line in lines
            if f"line-{line.pk}-category" in request.POST
        ]
        if all(form.is_valid() for form in bound) and not refused_stale(bound):
            for form in bound:
                if form.cleaned_data["remove"]:
                    form.instance.delete()
                elif form.has_changed():
                    form.save()
            messages.success(request, "Attendance saved.")
            return back_to(meeting, "attendance")
        messages.error(request, "Some lines were not saved: see the messages at those lines.")
    # Every posted line stands in for its saved one: nothing typed is lost.
    context = attendance_context(request, meeting, lines, bound)
    return render(request, "meetings/attendance.html", context)


def refused_stale(forms):
    """Lock each line to be changed or removed and check its version: a line someone else
    saved since the page was loaded refuses the whole save (nothing written), its form
    showing both versions. Whether any was refused."""
    refused = False
    for form in forms:
        if form.cleaned_data["remove"] or form.has_changed():
            try:
                lock_unchanged(form.instance, form.cleaned_data["version"])
            except StaleRecord as stale:
                form.refuse_stale(stale)
                refused = True
    return refused


def lines_added(request, meeting, added, message):
    """After adding lines: with htmx the new lines are appended to the open page (keeping
    what is typed in the others) and the clash list refreshed; without, back to the page."""
    if not request.htmx:
        messages.success(request, message)
        return back_to(meeting, "attendance")
    context = attendance_context(request, meeting, attendance_lines(meeting))
    added = {line.pk for line in added}
    context["new_rows"] = [row for row in context["rows"] if row[0].pk in added]
    context["message"] = message
    return render(request, "meetings/attendance.html#lines-added", context)


@require_POST
@meeting_edit_view()
def attendance_add_members_view(request, meeting):
    """The group's secretariat: add every active member not yet listed, as expected."""
    added = attendance_add_members(meeting=meeting)
    return lines_added(request, meeting, added, f"{len(added)} members added as expected.")


@require_POST
@meeting_edit_view()
def attendance_add_person(request, meeting):
    """The group's secretariat: add someone already in the tracker."""
    lines = attendance_lines(meeting)
    form = make_add_form(meeting, lines, request.POST)
    if form.is_valid():
        person = Person.objects.get(pk=form.cleaned_data["person"])
        line = attendance_add(
            meeting=meeting,
            person=person,
            category=form.cleaned_data["category"],
            role=form.cleaned_data["role"],
        )
        return lines_added(request, meeting, [line], f"{person.name} added.")
    return add_form_refused(request, meeting, lines, add_form=form)


@require_POST
@meeting_edit_view()
def attendance_add_guest_view(request, meeting):
    """The group's secretariat: record someone new to the tracker and add them."""
    lines = attendance_lines(meeting)
    form = GuestForm(request.POST, deputy_choices=deputy_choices(meeting, lines))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["on_behalf_of_id"] = data.pop("on_behalf_of")
        line = attendance_add_guest(meeting=meeting, **data)
        return lines_added(request, meeting, [line], f"{line.person.name} added.")
    return add_form_refused(request, meeting, lines, guest_form=form)


@require_POST
@meeting_edit_view()
def attendance_headings(request, meeting):
    """The group's secretariat, until the minutes are issued: the sections' headings as
    this meeting's paper prints them, and whether it prints initials for apologies."""
    form = AttendanceHeadingsForm(
        request.POST, meeting=meeting, headings=meeting.attendance_headings.all()
    )
    if form.is_valid():
        attendance_headings_set(
            meeting=meeting,
            headings=form.headings(),
            apologies_initials=form.cleaned_data["apologies_initials"],
        )
        messages.success(request, "Headings saved.")
        return back_to(meeting, "attendance", "#headings")
    context = attendance_context(request, meeting, attendance_lines(meeting), headings_form=form)
    return render(request, "meetings/attendance.html", context)


def add_form_refused(request, meeting, lines, **forms):
    """An add form with errors: with htmx only that form is redrawn, where it was."""
    context = attendance_context(request, meeting, lines, **forms)
    if not request.htmx:
        return render(request, "meetings/attendance.html", context)
    partial = "add-form" if "add_form" in forms else "guest-form"
    response = render(request, f"meetings/attendance.html#{partial}", context)
    return reswap(retarget(response, f"#{partial}"), "outerHTML")
