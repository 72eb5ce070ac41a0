"""Pages of the governance groups and their meetings: home, groups, people, and the
secretariat's meeting workday (schedule, attendance, agenda, minutes, inline actions and
decisions, review of open actions, issuing the minutes).

Every page needs a login (LoginRequiredMiddleware). What a user sees is narrowed to the
groups they belong to by core/permissions.py; a record of another group is a 404.
Pages that change a meeting go through meeting_edit_view, the one gate that checks the
right and refuses while the minutes are issued. Forms post and redirect; with htmx the
same URLs answer with the part of the page that changed.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from actions.models import Action, ActionStatus, ActionUpdate
from actions.services import action_create
from core.markup import find_references, reference_urls, render_markdown
from core.models import GovernanceGroup, Membership, Person, Role
from core.permissions import (
    Perm,
    filter_visible,
    get_object_for_user,
    groups_for,
    may_see_people,
    person_of,
    roles_by_group,
    user_can,
)
from decisions.models import Decision
from decisions.services import decision_create
from raid.models import RaidItem
from raid.services import raid_review_record

from .forms import (
    ActionReviewForm,
    AgendaItemForm,
    AttendanceAddForm,
    AttendanceLineForm,
    GuestForm,
    MeetingEditForm,
    MeetingScheduleForm,
    MinutesForm,
    RaidDiscussedForm,
    RaiseActionForm,
    RecordDecisionForm,
    ReopenForm,
    person_choices,
)
from .minutes import build_minutes, reference_sort_key
from .models import AttendanceCategory, AttendanceStatus, Meeting, MeetingStatus
from .services import (
    MeetingLocked,
    ReviewRefused,
    StaleMinutes,
    actions_for_review,
    actions_review_record,
    agenda_item_move,
    attach_record_lines,
    attendance_add,
    attendance_add_guest,
    attendance_add_members,
    initials_clashes,
    lock_for_edit,
    meeting_schedule,
    minutes_issue,
    minutes_reopen,
    minutes_save,
    next_item_number,
    publication,
    suggested_number,
    summarised,
)

PAGE_SIZE = 50
# The order a group's people are listed in, under these headings: who runs it first.
ROLE_HEADINGS = {
    Role.CHAIR: "Chair",
    Role.SECRETARIAT: "Secretariat",
    Role.MEMBER: "Members",
    Role.OBSERVER: "Observers",
}
# Decisions wait for the chair; the secretariat chases them, so both see them on Home.
DECISION_WATCHERS = {Role.CHAIR, Role.SECRETARIAT}


def meeting_edit_view(perm=Perm.EDIT):
    """The one gate of every page that changes a meeting or what hangs off it.

    The user needs `perm` on the meeting (404 outside its group, 403 inside it without the
    right). While the minutes are issued nothing changes: the page sends the user back to
    the meeting with the reason. A POST runs in one transaction holding the meeting's row
    lock (services.lock_for_edit), so an edit racing "issue minutes" is refused too.
    The view is called as view(request, meeting, **kwargs).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, **kwargs):
            meeting = get_object_for_user(
                request.user, Meeting.objects.select_related("group"), perm, pk=pk
            )
            if meeting.minutes_locked:
                return refuse_locked(request, meeting)
            if request.method != "POST":
                return view(request, meeting, **kwargs)
            try:
                with transaction.atomic():
                    return view(request, lock_for_edit(meeting), **kwargs)
            except MeetingLocked:
                return refuse_locked(request, meeting)

        return wrapper

    return decorator


def refuse_locked(request, meeting):
    messages.warning(request, MeetingLocked(meeting).message)
    if request.htmx:
        return HttpResponseClientRedirect(meeting.get_absolute_url())
    return redirect(meeting)


def back_to(meeting, url_name, anchor=""):
    return redirect(reverse(f"meetings:{url_name}", args=[meeting.pk]) + anchor)


def meeting_header(request, meeting, current):
    """Context of the meeting pages' shared header and tabs."""
    return {
        "meeting": meeting,
        "current": current,
        "can_edit": user_can(request.user, Perm.EDIT, meeting),
        "locked": meeting.minutes_locked,
    }


def home(request):
    """Any logged-in user: their open actions, decisions awaiting them, their next meetings
    and their groups."""
    user = request.user
    today = timezone.localdate()
    person = person_of(user)
    roles = roles_by_group(user)
    my_actions = memberships = []
    if person is not None:
        my_actions = (
            filter_visible(user, Action.objects.open().owned_by(person))
            .for_list()
            .order_by(F("due_date").asc(nulls_last=True), "reference")
        )
        memberships = (
            Membership.objects.filter(person=person, active=True)
            .select_related("group")
            .order_by("group__level", "group__code", "role")
        )
    watched_groups = [group_id for group_id, held in roles.items() if held & DECISION_WATCHERS]
    awaiting = (
        Decision.objects.proposed()
        .filter(group_id__in=watched_groups)
        .select_related("group", "meeting__group")
        .order_by("created_at")
    )
    next_meetings = (
        Meeting.objects.upcoming(today)
        .filter(group_id__in=roles)
        .select_related("group")
        .order_by("date", "start_time")[:10]
    )
    return render(
        request,
        "meetings/home.html",
        {
            "person": person,
            "my_actions": my_actions,
            "awaiting": awaiting,
            "next_meetings": next_meetings,
            "memberships": memberships,
        },
    )


def group_list(request):
    """Any logged-in user: the groups they belong to (all groups for superusers)."""
    roles = roles_by_group(request.user)
    groups = (
        groups_for(request.user)
        .select_related("parent")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__active=True), distinct=True),
            open_action_count=Count(
                "actions", filter=~Q(actions__status=ActionStatus.CLOSED), distinct=True
            ),
        )
    )
    groups = list(groups)
    for group in groups:
        group.my_roles = [role.label for role in ROLE_HEADINGS if role in roles.get(group.pk, ())]
    return render(request, "meetings/group_list.html", {"groups": groups})


def with_publication(meetings, today):
    """Give each meeting `pub`: its publication deadline and where its minutes stand."""
    meetings = list(meetings)
    for meeting in meetings:
        meeting.pub = publication(meeting, today)
    return meetings


def group_detail(request, code):
    """Members and observers of the group: its people by role, meetings and open actions."""
    user = request.user
    group = get_object_for_user(user, GovernanceGroup.objects.select_related("parent"), code=code)
    today = timezone.localdate()
    memberships = list(group.memberships.filter(active=True).select_related("person__organisation"))
    people_by_role = [
        (heading, [m for m in memberships if m.role == role])
        for role, heading in ROLE_HEADINGS.items()
    ]
    actions = group.actions.all()
    counts = {
        "open": actions.open().count(),
        "overdue": actions.overdue(today).count(),
        "recommend_closed": actions.filter(status=ActionStatus.RECOMMEND_CLOSED).count(),
    }
    return render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            # Members of a working group need not be members of the group it reports to.
            "parent_visible": group.parent is not None and user_can(user, Perm.VIEW, group.parent),
            "people_by_role": [(label, people) for label, people in people_by_role if people],
            "meetings": with_publication(
                group.meetings.select_related("group").with_first_issue().order_by("-date"),
                today,
            ),
            "can_schedule": user_can(user, Perm.EDIT, group),
            "children": filter_visible(user, group.children.all(), group_path="pk"),
            "counts": counts,
        },
    )


def meeting_list(request):
    """Any logged-in user: meetings of their groups, the upcoming ones first, then those
    held (newest first) with where their minutes stand against the publication deadline;
    ?group=DAG narrows to one group."""
    user = request.user
    today = timezone.localdate()
    meetings = filter_visible(user, Meeting.objects.for_display().with_first_issue())
    group_code = request.GET.get("group", "")
    if group_code:
        meetings = meetings.filter(group__code=group_code)
    upcoming = meetings.upcoming(today).order_by("date", "start_time", "group__code")
    held = meetings.filter(date__lt=today).order_by("-date", "group__code")
    page = Paginator(held, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = list(groups_for(user).active())
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": with_publication(upcoming, today),
            "page": page,
            "held": with_publication(page.object_list, today),
            "groups": groups,
            "group_code": group_code,
            "schedulable": [
                group
                for group in groups
                if user_can(user, Perm.EDIT, group) and group_code in ("", group.code)
            ],
        },
    )


def attendee_sections(meeting, attendances):
    """The attendee table as the minutes lay it out: Chair, Industry Representatives, the
    programme staff under the group's own label, Other Attendees, then Apologies."""
    present = [a for a in attendances if a.status != AttendanceStatus.APOLOGIES]
    sections = []
    for category in AttendanceCategory:
        label = (
            meeting.group.programme_label
            if category == AttendanceCategory.PROGRAMME
            else category.label
        )
        sections.append((label, [a for a in present if a.category == category]))
    sections.append(
        ("Apologies", [a for a in attendances if a.status == AttendanceStatus.APOLOGIES])
    )
    return [(label, rows) for label, rows in sections if rows]


def agenda_with_times(meeting, items):
    """Give each agenda item its start time, counted on from the meeting's start while the
    durations before it are known."""
    clock = (
        datetime.datetime.combine(meeting.date, meeting.start_time) if meeting.start_time else None
    )
    for item in items:
        item.starts_at = clock.time() if clock else None
        if clock and item.duration_minutes:
            clock += datetime.timedelta(minutes=item.duration_minutes)
        else:
            clock = None
    return items


def prepare_minutes(meeting, items):
    """Render each item's Markdown (`minutes_html`) with its references linked, and give it
    the ACTION and DECISION lines of the records raised under it (`record_lines`). One
    query per record type whatever the number of items."""
    attach_record_lines(meeting, items)
    urls = reference_urls(find_references(*(item.minutes for item in items)))
    for item in items:
        item.minutes_html = render_markdown(item.minutes, urls)
    return items


def reviewed_actions(meeting, texts):
    """What the meeting said about the actions it reviewed (the paper's "summary of key
    updates"), by reference, leaving out the actions whose summary the minutes `texts`
    already give: one query whatever the number of actions."""
    updates = ActionUpdate.objects.filter(meeting=meeting).exclude(action__meeting=meeting)
    return sorted(
        (
            update
            for update in updates.select_related("action")
            if not summarised(update.action.reference, texts)
        ),
        key=lambda update: (reference_sort_key(update.action.reference), update.created_at),
    )


def meeting_detail(request, pk):
    """Members and observers of the meeting's group: header, attendees, agenda and minutes,
    and what the meeting raised, decided and reviewed."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group").with_first_issue(), pk=pk
    )
    attendances = list(meeting.attendances.select_related("person", "on_behalf_of"))
    items = prepare_minutes(meeting, list(meeting.agenda_items.select_related("lead")))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            **meeting_header(request, meeting, "overview"),
            "publication": publication(meeting, timezone.localdate()),
            "can_approve": user_can(request.user, Perm.APPROVE, meeting),
            "attendee_sections": attendee_sections(meeting, attendances),
            "agenda_items": agenda_with_times(meeting, items),
            "actions": meeting.actions.for_list().order_by("reference"),
            "decisions": meeting.decisions.select_related("decided_by").order_by("reference"),
            "raid_reviews": meeting.raid_reviews.select_related("raid_item", "agenda_item"),
            "reviewed": reviewed_actions(meeting, [item.minutes for item in items]),
            "events": meeting.minutes_events.select_related("by__person"),
        },
    )


def person_detail(request, pk):
    """Anyone with a role in some group (the people directory is programme-wide); the
    person's roles, open actions and recent meetings are limited to the viewer's groups."""
    user = request.user
    if not may_see_people(user):
        raise Http404("No person matches the given query.")
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    memberships = filter_visible(
        user, person.memberships.filter(active=True).select_related("group")
    ).order_by("group__level", "group__code")
    actions = (
        filter_visible(user, person.actions.open())
        .for_list()
        .order_by(F("due_date").asc(nulls_last=True), "reference")
    )
    attendances = filter_visible(
        user, person.attendances.select_related("meeting__group"), group_path="meeting__group"
    ).order_by("-meeting__date")[:20]
    return render(
        request,
        "meetings/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "actions": actions,
            "attendances": attendances,
        },
    )


# The secretariat's meeting workday


def meeting_create(request, code):
    """The group's secretariat: schedule its next meeting, the number suggested."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), Perm.EDIT, code=code)
    form = MeetingScheduleForm(request.POST or None, group=group, suggested=suggested_number(group))
    if request.method == "POST" and form.is_valid():
        meeting = meeting_schedule(group=group, **form.cleaned_data)
        messages.success(request, f"{meeting.code} scheduled for {meeting.date:%d/%m/%Y}.")
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "group": group})


@meeting_edit_view()
def meeting_edit(request, meeting):
    """The group's secretariat, until the minutes are issued: the meeting's header, its
    status and the date of the next meeting."""
    form = MeetingEditForm(request.POST or None, instance=meeting, group=meeting.group)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{meeting.code} saved.")
        return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {**meeting_header(request, meeting, "overview"), "form": form, "group": meeting.group},
    )


# Attendance


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
            or AttendanceLineForm(instance=line, prefix=f"line-{line.pk}", deputy_choices=deputies),
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
        # Only the lines that were on the page when it was loaded are in the post.
        bound = [
            AttendanceLineForm(
                request.POST, instance=line, prefix=f"line-{line.pk}", deputy_choices=deputies
            )
            for line in lines
            if f"line-{line.pk}-category" in request.POST
        ]
        if all(form.is_valid() for form in bound):
            for form in bound:
                if form.cleaned_data["remove"]:
                    form.instance.delete()
                elif form.has_changed():
                    form.save()
            messages.success(request, "Attendance saved.")
            return back_to(meeting, "attendance")
        messages.error(request, "Some lines were not saved: see the messages at those lines.")
    context = attendance_context(request, meeting, lines, [f for f in bound if f.errors])
    return render(request, "meetings/attendance.html", context)


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


# Agenda


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


@meeting_edit_view()
def agenda_item_edit(request, meeting, item_pk):
    """The group's secretariat: change an agenda item's number, title, lead, type, time."""
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Item {item.number} saved.")
        return back_to(meeting, "agenda", f"#agenda-{item.pk}")
    return render(
        request,
        "meetings/agenda_item_form.html",
        {**meeting_header(request, meeting, "agenda"), "form": form, "item": item},
    )


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


# Minutes


def default_due_date(meeting):
    """Actions fall due at the next meeting: the date the minutes name, else the group's
    next scheduled meeting."""
    if meeting.next_meeting_date:
        return meeting.next_meeting_date
    following = (
        meeting.group.meetings.filter(date__gt=meeting.date)
        .exclude(status="cancelled")
        .order_by("date")
        .first()
    )
    return following.date if following else None


def minutes_item(meeting, item_pk):
    """One agenda item of the meeting, ready to show: rendered minutes and record lines."""
    item = get_object_or_404(meeting.agenda_items.select_related("lead"), pk=item_pk)
    item.meeting = meeting
    prepare_minutes(meeting, [item])
    return item


@meeting_edit_view()
def minutes_write(request, meeting):
    """The group's secretariat, until the minutes are issued: the minutes of every agenda
    item, each saved on its own, with actions, decisions and RAID items raised inline."""
    items = prepare_minutes(meeting, list(meeting.agenda_items.select_related("lead")))
    for item in items:
        item.form = MinutesForm(
            initial={"text": item.minutes, "version": item.minutes_version},
            auto_id=f"item{item.pk}_%s",
        )
    return render(
        request,
        "meetings/minutes_write.html",
        {
            **meeting_header(request, meeting, "write"),
            "agenda_items": agenda_with_times(meeting, items),
        },
    )


@require_POST
@meeting_edit_view()
def minutes_save_view(request, meeting, item_pk):
    """The group's secretariat: save one item's minutes.

    A save made from an older version than the stored one is refused: the page then shows
    the stored text next to the one typed (kept in the editor), and the next save, made
    knowingly, replaces the stored text.
    """
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = MinutesForm(request.POST, auto_id=f"item{item.pk}_%s")
    conflict = None
    if form.is_valid():
        try:
            minutes_save(
                item=item, text=form.cleaned_data["text"], version=form.cleaned_data["version"]
            )
        except StaleMinutes as stale:
            conflict = stale.item
            form = MinutesForm(
                {"text": form.cleaned_data["text"], "version": conflict.minutes_version},
                auto_id=f"item{item.pk}_%s",
            )
        else:
            if not request.htmx:
                messages.success(request, f"Minutes of item {item.number} saved.")
                return back_to(meeting, "minutes_write", f"#item-{item.pk}")
    item = minutes_item(meeting, item.pk)
    item.form, item.conflict = form, conflict
    context = {
        **meeting_header(request, meeting, "write"),
        "item": item,
        "saved_at": None if conflict or form.errors else timezone.localtime(),
    }
    if request.htmx:
        return render(request, "meetings/minutes_write.html#item-saved", context)
    # Without JavaScript the whole page comes back, this item showing the conflict or errors.
    items = prepare_minutes(meeting, list(meeting.agenda_items.select_related("lead")))
    for other in items:
        if other.pk == item.pk:
            other.form, other.conflict = form, conflict
        else:
            other.form = MinutesForm(
                initial={"text": other.minutes, "version": other.minutes_version},
                auto_id=f"item{other.pk}_%s",
            )
    context["agenda_items"] = agenda_with_times(meeting, items)
    return render(request, "meetings/minutes_write.html", context)


INLINE_RECORDS = {
    "action": ("Raise an action", RaiseActionForm),
    "decision": ("Record a decision", RecordDecisionForm),
    "raid": ("RAID item discussed", RaidDiscussedForm),
}


def inline_form(request, meeting, item, kind):
    data = request.POST if request.method == "POST" else None
    prefix = f"{kind}{item.pk}"
    if kind == "action":
        return RaiseActionForm(
            data,
            meeting=meeting,
            prefix=prefix,
            initial={"area": item.title, "due_date": default_due_date(meeting)},
        )
    if kind == "decision":
        return RecordDecisionForm(data, prefix=prefix, initial={"area": item.title})
    raid_items = RaidItem.objects.open().filter(Q(group=meeting.group) | Q(group__isnull=True))
    return RaidDiscussedForm(data, prefix=prefix, raid_items=raid_items)


def create_inline_record(meeting, item, kind, data):
    """Create the record through its app's service; returns the line that says so."""
    if kind == "action":
        action = action_create(
            group=meeting.group,
            meeting=meeting,
            agenda_item=item,
            date_raised=meeting.date,
            text=data["text"],
            area=data["area"],
            owners=data["owners"],
            owner_party=data["owner_party"],
            due_kind=data["due_kind"],
            due_date=data["due_date"],
        )
        return f"ACTION {action.reference} raised."
    if kind == "decision":
        decision = decision_create(
            group=meeting.group,
            meeting=meeting,
            agenda_item=item,
            wording=data["wording"],
            area=data["area"],
        )
        return f"DECISION {decision.reference} recorded, awaiting the chair's approval."
    review = raid_review_record(
        raid_item=data["raid_item"],
        meeting=meeting,
        agenda_item=item,
        discussion=data["discussion"],
        conclusion=data["conclusion"],
    )
    return f"RAID item {review.raid_item.reference} recorded as discussed."


@meeting_edit_view()
def inline_record(request, meeting, item_pk, kind):
    """The group's secretariat, until the minutes are issued: from an agenda item, raise an
    action, record a proposed decision or note a RAID item discussed. The record gets its
    reference at once and its line shows in the item's minutes."""
    if kind not in INLINE_RECORDS:
        raise Http404("No such record.")
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = inline_form(request, meeting, item, kind)
    if request.method == "POST" and form.is_valid():
        try:
            done = create_inline_record(meeting, item, kind, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if not request.htmx:
                messages.success(request, done)
                return back_to(meeting, "minutes_write", f"#item-{item.pk}")
            return render(
                request,
                "meetings/minutes_write.html#record-saved",
                {"meeting": meeting, "item": minutes_item(meeting, item.pk), "done": done},
            )
    title, _ = INLINE_RECORDS[kind]
    context = {
        **meeting_header(request, meeting, "write"),
        "item": item,
        "form": form,
        "kind": kind,
        "title": title,
    }
    template = "meetings/inline_record.html"
    return render(request, template + "#inline-form" if request.htmx else template, context)


# Review of open actions


@meeting_edit_view(Perm.VIEW)
def action_review(request, meeting):
    """Members and observers of the group see the actions open when the meeting started;
    whoever may update an action records, in one pass, its new status and what was said.
    Closing (or reopening) needs the chair or secretariat; recommending closure, the right
    to update the action (its owners too)."""
    user = request.user
    actions = list(actions_for_review(meeting).for_list().prefetch_related("owners"))
    rows = [
        (
            action,
            user_can(user, Perm.UPDATE_ACTION, action),
            user_can(user, Perm.CLOSE_ACTION, action),
        )
        for action in actions
    ]
    form = ActionReviewForm(request.POST or None, rows=rows, initial={"date": meeting.date})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = actions_review_record(
                meeting=meeting, user=user, date=form.cleaned_data["date"], rows=form.changes
            )
        except ReviewRefused as refused:
            for pk, errors in refused.errors.items():
                form.add_error(f"{pk}-status", errors)
        else:
            messages.success(request, f"{recorded} update{'s' if recorded != 1 else ''} recorded.")
            return back_to(meeting, "action_review")
    recorded = {}
    for update in ActionUpdate.objects.filter(meeting=meeting, action__in=actions).order_by(
        "created_at"
    ):
        recorded.setdefault(update.action_id, []).append(update)
    return render(
        request,
        "meetings/action_review.html",
        {
            **meeting_header(request, meeting, "review"),
            "form": form,
            "rows": [
                (action, status, text, recorded.get(action.pk, []))
                for action, status, text in form.bound_rows()
            ],
            "editable": any(may_update for _, may_update, _ in rows),
        },
    )


# The minutes document, issuing and reopening


def minutes_document(request, pk):
    """Members and observers of the group: the minutes laid out like the papers' "Minutes
    and Actions" (meetings.minutes builds them, for the PDF too), with the publication
    deadline and, for the secretariat, issuing."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group").with_first_issue(), pk=pk
    )
    header = meeting_header(request, meeting, "minutes")
    today = timezone.localdate()
    return render(
        request,
        "meetings/minutes_document.html",
        {
            **header,
            "minutes": build_minutes(meeting),
            "reviewed": reviewed_actions(
                meeting, list(meeting.agenda_items.values_list("minutes", flat=True))
            ),
            "publication": publication(meeting, today),
            "expected": meeting.attendances.filter(status=AttendanceStatus.EXPECTED)
            .select_related("person")
            .order_by("order"),
            "issuable": header["can_edit"]
            and not header["locked"]
            and meeting.date <= today
            and meeting.status != MeetingStatus.CANCELLED,
            "events": meeting.minutes_events.select_related("by__person"),
        },
    )


@require_POST
@meeting_edit_view()
def minutes_issue_view(request, meeting):
    """The group's secretariat: issue the minutes today; they become read-only."""
    try:
        meeting = minutes_issue(meeting=meeting, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Minutes of {meeting.code} issued on {meeting.minutes_issue_date:%d/%m/%Y}. "
            "They are now read-only.",
        )
    return back_to(meeting, "minutes_document")


def minutes_reopen_view(request, pk):
    """The group's secretariat: reopen issued minutes for correction, saying why."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group"), Perm.EDIT, pk=pk
    )
    if not meeting.minutes_locked:
        messages.info(request, f"The minutes of {meeting.code} are not issued.")
        return back_to(meeting, "minutes_document")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        minutes_reopen(meeting=meeting, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"Minutes of {meeting.code} reopened for correction.")
        return back_to(meeting, "minutes_document")
    return render(
        request,
        "meetings/minutes_reopen.html",
        {**meeting_header(request, meeting, "minutes"), "form": form},
    )
