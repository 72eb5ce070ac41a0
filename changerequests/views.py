"""Read pages of change requests: the CR status table and one change request."""

from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.shortcuts import render

from meetings.permissions import filter_visible, get_object_for_user

from .models import ApprovalStatus, ChangeRequest

PAGE_SIZE = 50


def cr_list(request):
    """Any logged-in user: change requests handled by their groups (programme-wide ones,
    with no group, only for superusers); ?status= narrows by approval status."""
    crs = filter_visible(
        request.user,
        ChangeRequest.objects.select_related(
            "raiser_person", "raiser_organisation", "change_owner"
        ),
    )
    status = request.GET.get("status", "")
    if status in ApprovalStatus.values:
        crs = crs.filter(approval_status=status)
    else:
        status = ""
    # By length first so CR1000 sorts after CR999.
    crs = crs.order_by(Length("reference"), "reference")
    return render(
        request,
        "changerequests/cr_list.html",
        {
            "page": Paginator(crs, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "status_choices": [("", "All"), *ApprovalStatus.choices],
        },
    )


def cr_detail(request, reference):
    """Members and observers of the handling group: the CR, its moves through change
    control, the actions, decisions and RAID items that refer to it, and its history."""
    user = request.user
    cr = get_object_for_user(
        user,
        ChangeRequest.objects.select_related(
            "group", "raiser_person", "raiser_organisation", "change_owner"
        ),
        reference=reference,
    )
    return render(
        request,
        "changerequests/cr_detail.html",
        {
            "cr": cr,
            "transitions": cr.transitions.select_related("by__person"),
            "actions": filter_visible(user, cr.actions.for_list()),
            "decisions": filter_visible(user, cr.decisions.select_related("meeting__group")),
            "raid_items": filter_visible(user, cr.raid_items.select_related("owner")),
        },
    )
