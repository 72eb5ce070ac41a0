"""Read pages of decisions: the decision log and one decision."""

from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render

from meetings.models import GovernanceGroup
from meetings.permissions import filter_visible, get_object_for_user

from .models import Decision, DecisionStatus

PAGE_SIZE = 50


def decision_list(request):
    """Any logged-in user: decisions of their groups, newest first (those awaiting approval
    on top); ?status= and ?group=DAG narrow."""
    user = request.user
    decisions = filter_visible(user, Decision.objects.select_related("meeting__group"))
    status = request.GET.get("status", "")
    if status in DecisionStatus.values:
        decisions = decisions.filter(status=status)
    else:
        status = ""
    group_code = request.GET.get("group", "")
    if group_code:
        decisions = decisions.filter(group__code=group_code)
    decisions = decisions.order_by(F("decided_at").desc(nulls_first=True), "-created_at")
    return render(
        request,
        "decisions/decision_list.html",
        {
            "page": Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "status_choices": [("", "All"), *DecisionStatus.choices],
            "group_code": group_code,
            "groups": filter_visible(user, GovernanceGroup.objects.all(), group_path="pk"),
        },
    )


def decision_detail(request, reference):
    """Members and observers of the decision's group: the decision, its links and history."""
    user = request.user
    decision = get_object_for_user(
        user,
        Decision.objects.select_related(
            "group", "meeting__group", "agenda_item", "decided_by", "decided_by_user__person"
        ),
        reference=reference,
    )
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "change_requests": filter_visible(user, decision.change_requests.all()),
            "actions": filter_visible(user, decision.actions.for_list()),
        },
    )
