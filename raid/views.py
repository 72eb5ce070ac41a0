"""Read pages of the RAID log: the log and one item with its reviews."""

from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.shortcuts import render

from meetings.permissions import filter_visible, get_object_for_user

from .models import RaidItem, RaidStatus, RaidType

PAGE_SIZE = 50
# Open is the default (""), so it is not offered a second time.
STATUS_CHOICES = [
    ("", "Open"),
    ("all", "All"),
    *((value, label) for value, label in RaidStatus.choices if value != RaidStatus.OPEN),
]


def raid_list(request):
    """Any logged-in user: RAID items of their groups (programme-wide ones, with no group,
    only for superusers); open ones unless ?status= says otherwise, ?type= narrows."""
    items = filter_visible(request.user, RaidItem.objects.select_related("owner"))
    status = request.GET.get("status", "")
    if status in RaidStatus.values:
        items = items.filter(status=status)
    elif status != "all":
        status = ""
        items = items.open()
    raid_type = request.GET.get("type", "")
    if raid_type in RaidType.values:
        items = items.filter(raid_type=raid_type)
    else:
        raid_type = ""
    # By length first so R99 sorts before R184.
    items = items.order_by(Length("reference"), "reference")
    return render(
        request,
        "raid/raid_list.html",
        {
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "status_choices": STATUS_CHOICES,
            "raid_type": raid_type,
            "type_choices": [("", "All types"), *RaidType.choices],
        },
    )


def raid_detail(request, reference):
    """Members and observers of the item's group: the item, the items it replaced or was
    replaced by, its reviews at meetings and its history."""
    user = request.user
    item = get_object_for_user(
        user,
        RaidItem.objects.select_related("group", "owner", "superseded_by"),
        reference=reference,
    )
    return render(
        request,
        "raid/raid_detail.html",
        {
            "item": item,
            "supersedes": filter_visible(user, item.supersedes.all()),
            "reviews": item.reviews.select_related("meeting__group", "agenda_item").order_by(
                "-meeting__date"
            ),
            "change_requests": filter_visible(user, item.change_requests.all()),
        },
    )
