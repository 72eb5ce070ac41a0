"""Home: what each user has to do next, by the roles they hold.

- The secretariat of a group: the next meeting to prepare (when none is scheduled),
  minutes to issue (with the working days left on the publication clock), reviews of open
  actions not yet recorded, decisions awaiting the chair, actions recommended closed
  awaiting the group's confirmation, overdue actions by group, action imports left with
  problems or unconfirmed, and stalled documents.
- A chair: decisions and correspondence rounds awaiting them, and minutes to approve.
- Everyone with a Person: their own actions overdue and due soon, each with its update
  form a click away; then their next meetings and groups.

Each section is one query whatever the number of rows (the page is pinned by
assertNumQueries at two sizes), and each row links to the page where the work is done.
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from actions import importer
from actions.models import Action, ActionStatus, ActionUpdate
from core.models import Membership
from core.permissions import (
    Perm,
    filter_visible,
    groups_for,
    may_in_some_group,
    person_of,
    roles_by_group,
)
from decisions.models import Decision
from documents.models import Document, DocumentStatus
from documents.services import stalled_documents

from .chair_queue import queue_querysets
from .models import LOCKED_STATUSES, Meeting
from .services import publication

# "Due soon" on Home: within two weeks, the usual gap to the next review.
DUE_SOON = datetime.timedelta(days=14)
# A home page lists at most this many rows per section; its link leads to the rest.
SECTION_LIMIT = 25


def secretariat_tasks(request, today):
    """The secretariat's sections, for the groups the user runs (every group for a
    superuser). Eight queries: the groups, then one per section."""
    user = request.user
    upcoming = Meeting.objects.upcoming(today).filter(group=OuterRef("pk"))
    groups = list(
        groups_for(user, Perm.EDIT).annotate(has_upcoming=Exists(upcoming)).order_by("code")
    )
    ids = [group.pk for group in groups]
    reviewed = ActionUpdate.objects.filter(meeting=OuterRef("pk"))
    open_then = (
        Action.objects.filter(group=OuterRef("group"), date_raised__lte=OuterRef("date"))
        .exclude(meeting=OuterRef("pk"))
        .filter(~Q(status=ActionStatus.CLOSED) | Q(closed_date__gte=OuterRef("date")))
    )
    unissued = list(
        Meeting.objects.held(today)
        .filter(group__in=ids)
        .exclude(status__in=LOCKED_STATUSES)
        .with_first_issue()
        .annotate(review_recorded=Exists(reviewed), had_open_actions=Exists(open_then))
        .select_related("group")
        .order_by("date", "group__code")[:SECTION_LIMIT]
    )
    for meeting in unissued:
        meeting.pub = publication(meeting, today)
        if meeting.pub.state == "late":
            meeting.days_late = -meeting.pub.working_days_left
    overdue_by_group = (
        Action.objects.overdue(today)
        .filter(group__in=ids)
        .values("group__code", "group__name")
        .annotate(count=Count("pk"))
        .order_by("group__code")
    )
    superseded = Document.objects.filter(
        kind=OuterRef("kind"), scope=OuterRef("scope"), version__gt=OuterRef("version")
    )
    return {
        "groups": groups,
        "to_prepare": [group for group in groups if group.active and not group.has_upcoming],
        "minutes_to_issue": unissued,
        "reviews_to_record": [m for m in unissued if m.had_open_actions and not m.review_recorded],
        "decisions_awaiting": decisions_awaiting(ids),
        "recommended_closed": Action.objects.filter(
            group__in=ids, status=ActionStatus.RECOMMEND_CLOSED
        )
        .select_related("group", "meeting__group")
        .order_by("group__code", "sort_key")[:SECTION_LIMIT],
        "overdue_by_group": [
            {
                **row,
                "url": reverse("actions:action_list") + f"?group={row['group__code']}&due=overdue",
            }
            for row in overdue_by_group
        ],
        "imports": pending_imports(request, {group.pk: group for group in groups}),
        "documents": (
            (
                stalled_documents()
                | Document.objects.filter(status=DocumentStatus.FAILED).exclude(Exists(superseded))
            )
            .filter(Q(group__in=ids) | Q(meeting__group__in=ids))
            .select_related("meeting__group", "group")
            .order_by("requested_at")[:SECTION_LIMIT]
        ),
    }


def decisions_awaiting(group_ids):
    """Decisions awaiting the chair in these groups, oldest first: the secretariat chases
    them."""
    return (
        Decision.objects.awaiting_chair()
        .filter(group__in=group_ids)
        .select_related("group", "meeting__group")
        .order_by("created_at", "pk")[:SECTION_LIMIT]
    )


def pending_imports(request, groups):
    """The action-log imports this user uploaded and left in their session: each with its
    group, file, what is wrong (rows with problems) or that it awaits confirmation, and its
    preview, where it is corrected or confirmed. No query: the plans live in the session.

    Other kinds of import (past papers) add their own pending entries here, as dicts with
    the same keys (group, label, problems, url)."""
    entries = []
    for key in list(request.session.keys()):
        if not key.startswith(importer.SESSION_PREFIX):
            continue
        plan = importer.load_plan(request.session, key.removeprefix(importer.SESSION_PREFIX))
        group = groups.get(plan.group_id) if plan else None
        if group is None:  # a group the user no longer runs
            continue
        entries.append(
            {
                "group": group,
                "label": f"Action log {plan.filename}",
                "problems": len(plan.problem_rows) + len(plan.file_errors),
                "url": reverse(
                    "actions:action_import_preview",
                    args=[key.removeprefix(importer.SESSION_PREFIX)],
                ),
            }
        )
    return entries


def chair_tasks(user):
    """What awaits a chair: decisions, correspondence rounds to conclude, minutes to
    approve. Three queries."""
    sections = queue_querysets(user)
    return {
        "decisions": sections["decisions"]
        .select_related("group", "meeting__group")
        .order_by("created_at", "pk")[:SECTION_LIMIT],
        "rounds": sections["rounds"].select_related("group").order_by("deadline", "pk"),
        "minutes": sections["minutes"].select_related("group").order_by("date", "pk"),
    }


def my_actions(user, person, today):
    """The person's open actions split into overdue, due soon (within DUE_SOON) and the
    rest; three queries (the actions, their owners, their owners' people)."""
    actions = (
        filter_visible(user, Action.objects.open().owned_by(person))
        .for_list()
        .order_by(F("due_date").asc(nulls_last=True), "reference")
    )
    split = {"overdue": [], "soon": [], "later": []}
    for action in actions:
        deadline = action.deadline()
        if action.is_overdue(today):
            split["overdue"].append(action)
        elif deadline is not None and deadline <= today + DUE_SOON:
            split["soon"].append(action)
        else:
            split["later"].append(action)
    return split


def home(request):
    """Any logged-in user: what they have to do next in each of their roles (the
    secretariat's and the chair's sections only for those who hold the role somewhere),
    their own actions, their next meetings and their groups."""
    user = request.user
    today = timezone.localdate()
    person = person_of(user)
    roles = roles_by_group(user)
    context = {"person": person, "today": today, "mine": None, "memberships": []}
    if person is not None:
        context["mine"] = my_actions(user, person, today)
        context["memberships"] = (
            Membership.objects.filter(person=person, active=True)
            .select_related("group")
            .order_by("group__level", "group__code", "role")
        )
    if may_in_some_group(user, Perm.EDIT):
        context["secretariat"] = secretariat_tasks(request, today)
    if may_in_some_group(user, Perm.APPROVE):
        context["chair"] = chair_tasks(user)
    context["next_meetings"] = (
        Meeting.objects.upcoming(today)
        .filter(group_id__in=roles)
        .select_related("group")
        .order_by("date", "start_time")[:10]
    )
    return render(request, "meetings/home.html", context)
