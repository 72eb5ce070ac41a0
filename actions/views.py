"""Read pages of actions: the actions log and one action with its update history."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from meetings.models import GovernanceGroup
from meetings.permissions import filter_visible, get_object_for_user, person_of

from .models import Action, ActionStatus

PAGE_SIZE = 50
STATUS_CHOICES = [("", "Not closed"), ("overdue", "Overdue"), ("all", "All"), *ActionStatus.choices]


def action_list(request):
    """Any logged-in user: actions of their groups, not closed ones unless ?status= says
    otherwise (a status, "overdue" or "all"); ?owner=me keeps the user's own and ?group=DAG
    one group's."""
    user = request.user
    actions = filter_visible(user, Action.objects.for_list())
    status = request.GET.get("status", "")
    if status in ActionStatus.values:
        actions = actions.filter(status=status)
    elif status == "overdue":
        actions = actions.overdue(timezone.localdate())
    elif status != "all":
        status = ""
        actions = actions.open()
    mine = request.GET.get("owner") == "me"
    if mine:
        person = person_of(user)
        actions = actions.owned_by(person) if person else actions.none()
    group_code = request.GET.get("group", "")
    if group_code:
        actions = actions.filter(group__code=group_code)
    actions = actions.order_by("-date_raised", "reference")
    return render(
        request,
        "actions/action_list.html",
        {
            "page": Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page")),
            "mine": mine,
            "status": status,
            "status_choices": STATUS_CHOICES,
            "group_code": group_code,
            "groups": filter_visible(user, GovernanceGroup.objects.all(), group_path="pk"),
        },
    )


def action_detail(request, reference):
    """Members and observers of the action's group: the action, what it links to, its
    dated updates and its audit history."""
    user = request.user
    action = get_object_for_user(
        user,
        Action.objects.select_related(
            "group", "meeting__group", "agenda_item", "closed_meeting__group"
        ),
        reference=reference,
    )
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "owners": [
                ownership.person for ownership in action.ownerships.select_related("person")
            ],
            "updates": action.updates.select_related(
                "author", "recorded_by__person", "meeting__group"
            ),
            "change_requests": filter_visible(user, action.change_requests.all()),
            "decisions": filter_visible(user, action.decisions.select_related("meeting__group")),
        },
    )
