"""Read pages of the governance groups: home, groups, meetings and people.

Every page needs a login (LoginRequiredMiddleware). What a user sees is narrowed to the
groups they belong to by meetings/permissions.py; a record of another group is a 404.
"""

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actions.models import Action, ActionStatus
from decisions.models import Decision
from mhhs_gov.markup import find_references, reference_urls, render_markdown

from .models import (
    AttendanceCategory,
    AttendanceStatus,
    GovernanceGroup,
    Meeting,
    Membership,
    Person,
    Role,
)
from .permissions import (
    Perm,
    filter_visible,
    get_object_for_user,
    may_see_people,
    person_of,
    roles_by_group,
    user_can,
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
    groups = filter_visible(
        request.user, GovernanceGroup.objects.select_related("parent"), group_path="pk"
    ).annotate(
        member_count=Count("memberships", filter=Q(memberships__active=True), distinct=True),
        open_action_count=Count(
            "actions", filter=~Q(actions__status=ActionStatus.CLOSED), distinct=True
        ),
    )
    groups = list(groups)
    for group in groups:
        group.my_roles = [role.label for role in ROLE_HEADINGS if role in roles.get(group.pk, ())]
    return render(request, "meetings/group_list.html", {"groups": groups})


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
            "meetings": group.meetings.select_related("group"),
            "children": filter_visible(user, group.children.all(), group_path="pk"),
            "counts": counts,
        },
    )


def meeting_list(request):
    """Any logged-in user: meetings of their groups, newest first; ?group=DAG narrows."""
    meetings = filter_visible(request.user, Meeting.objects.for_display())
    group_code = request.GET.get("group", "")
    if group_code:
        meetings = meetings.filter(group__code=group_code)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = filter_visible(request.user, GovernanceGroup.objects.all(), group_path="pk")
    return render(
        request,
        "meetings/meeting_list.html",
        {"page": page, "groups": groups, "group_code": group_code},
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


def meeting_detail(request, pk):
    """Members and observers of the meeting's group: header, attendees, agenda and minutes,
    and what the meeting raised, decided and reviewed."""
    meeting = get_object_for_user(request.user, Meeting.objects.select_related("group"), pk=pk)
    attendances = list(meeting.attendances.select_related("person", "on_behalf_of"))
    items = list(meeting.agenda_items.select_related("lead"))
    urls = reference_urls(find_references(*(item.minutes for item in items)))
    for item in items:
        item.minutes_html = render_markdown(item.minutes, urls)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "attendee_sections": attendee_sections(meeting, attendances),
            "agenda_items": agenda_with_times(meeting, items),
            "actions": meeting.actions.for_list().order_by("reference"),
            "decisions": meeting.decisions.select_related("decided_by").order_by("reference"),
            "raid_reviews": meeting.raid_reviews.select_related("raid_item", "agenda_item"),
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
