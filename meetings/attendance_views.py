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

from .forms import AttendanceAddForm, AttendanceLineForm, GuestForm, person_choices
from .services import attendance_add, attendance_add_guest, attendance_add_members, initials_clashes
from .views import back_to, meeting_edit_view, meeting_header


def deputy_choices(meeting, lines):
    """Whom one may attend on behalf of: the group's members, and anyone already named."""
    named = [line.on_behalf_of_id for line in lines if line.on_behalf_of_id]
    people = Person.objects.filter(
        Q(memberships__group=meeting.group, memberships__active=True) | Q(pk__in=named)
    ).distinct()
    return person_choices(people.order_by("name"))


def addable_people(lines):
    """Choices of the "add someone" form: active people not listed yet."""
    attending = {line.person_id for line in lines}
    people = Person.objects.filter(active=True).exclude(pk__in=attending).order_by("name")
    return person_choices(people, "Choose a person")


def attendance_lines(meeting):
    return list(meeting.attendances.select_related("person__organisation", "on_behalf_of"))


def attendance_context(request, meeting, lines, bound=(), add_form=None, guest_form=None):
    """The attendance page: (line, form, other lines sharing its initials) rows, where
    `bound` forms (posted with errors) stand in for their lines, and the add forms."""
    deputies = deputy_choices(meeting, lines)
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
        "add_form": add_form or AttendanceAddForm(people_choices=addable_people(lines)),
        "guest_form": guest_form or GuestForm(),
    }


@meeting_edit_view()
def attendance(request, meeting):
    """The group's secretariat, until the minutes are issued: the attendee lines, saved
    together; the group's members added in one click, guests without leaving the page."""
    lines = attendance_lines(meeting)
    bound = []
    if request.method == "POST":
        deputies = deputy_choices(meeting, lines)
        versions = record_versions(lines)
        # Only the lines that were on the page when it was loaded are in the post.
        bound = [
            AttendanceLineForm(
                request.POST,
                instance=line,
                prefix=f"line-{line.pk}",
                deputy_choices=deputies,
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
    form = AttendanceAddForm(request.POST, people_choices=addable_people(lines))
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
    form = GuestForm(request.POST)
    if form.is_valid():
        line = attendance_add_guest(meeting=meeting, **form.cleaned_data)
        return lines_added(request, meeting, [line], f"{line.person.name} added.")
    return add_form_refused(request, meeting, attendance_lines(meeting), guest_form=form)


def add_form_refused(request, meeting, lines, **forms):
    """An add form with errors: with htmx only that form is redrawn, where it was."""
    context = attendance_context(request, meeting, lines, **forms)
    if not request.htmx:
        return render(request, "meetings/attendance.html", context)
    partial = "add-form" if "add_form" in forms else "guest-form"
    response = render(request, f"meetings/attendance.html#{partial}", context)
    return reswap(retarget(response, f"#{partial}"), "outerHTML")
