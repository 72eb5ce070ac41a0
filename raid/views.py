"""The RAID log: the register with its heat map and exports, raising, updating, closing and
superseding items and an item's page with its score history. The RAID review of a meeting
is meetings' (meetings/raid_review.py).

Who may do what (decided in core/permissions.py):
- read: anyone with a role in the item's group (programme-wide items, with no group:
  anyone with a role in some group);
- raise, update, close, supersede: the group's secretariat.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from changerequests.models import ChangeRequest
from core.exports import download
from core.markup import find_references, reference_urls
from core.permissions import Perm, filter_visible, get_object_for_user, groups_for, user_can
from core.references import add_service_errors, reference_warning
from core.versions import StaleRecord

from . import exports
from .filters import RaidFilter
from .forms import RaidItemForm, ReasonForm, SupersedeForm
from .heatmap import heat_map
from .history import score_history, trend_chart
from .models import RaidItem, RaidReview
from .services import (
    raid_item_close,
    raid_item_create,
    raid_item_reopen,
    raid_item_supersede,
    raid_item_update,
)

PAGE_SIZE = 50


def _register(request):
    items = filter_visible(request.user, RaidItem.objects.for_register())
    filterset = RaidFilter(request.GET, queryset=items, request=request)
    return filterset, filterset.qs


def _edit_groups(user):
    """Groups whose RAID items the user may raise and change."""
    return groups_for(user, Perm.EDIT).active()


def raid_list(request):
    """Any logged-in user: the RAID items of their groups and the programme-wide ones,
    filtered and sorted, with the heat map of the same filter."""
    filterset, items = _register(request)
    page = _page(items, request.GET.get("page"))
    data = filterset.form.cleaned_data
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    cell_query = query.copy()
    for name in ("probability", "impact"):
        cell_query.pop(name, None)
    context = {
        "filter": filterset,
        "page": page,
        "sort": data.get("sort") or "reference",
        "heat_map": heat_map(
            filterset.heat_map_queryset(),
            query,
            selected=(data.get("probability"), data.get("impact")),
        ),
        "cell_selected": bool(data.get("probability") or data.get("impact")),
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "cell_query": cell_query.urlencode(),
        "may_raise": _edit_groups(request.user).exists(),
    }
    if request.htmx:
        return render(request, "raid/raid_list.html#results", context)
    return render(request, "raid/raid_list.html", context)


def _page(items, number):
    """The page's ids first, from the index in the log's order (raid_register_order) without
    reading the items' rows, then those 50 rows with their group and owner: sorting every
    open item's row took 50 ms at 10,000 items."""
    page = Paginator(items.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = items.order_by().in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]  # one deleted meanwhile is left out
    return page


def raid_export(request, fmt):
    """Any logged-in user: the filtered RAID log as CSV or XLSX."""
    _, items = _register(request)
    items = items.select_related("superseded_by").prefetch_related("change_requests")
    return download(
        fmt,
        filename=f"raid-log-{timezone.localdate():%Y-%m-%d}",
        sheet="RAID log",
        columns=exports.COLUMNS,
        rows=exports.raid_rows(items),
    )


def _visible_crs(user):
    return filter_visible(user, ChangeRequest.objects.all())


def raid_new(request):
    """A group's secretariat: raise a RAID item for the group; it gets the next R number."""
    user = request.user
    groups = list(_edit_groups(user))
    if not groups:
        raise PermissionDenied("Only a group's secretariat may raise RAID items.")
    form = RaidItemForm(
        request.POST if request.method == "POST" else None,
        visible_crs=_visible_crs(user),
        groups=_edit_groups(user),
        initial={"group": groups[0] if len(groups) == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = raid_item_create(change_requests=data.pop("change_request_refs"), **data)
        except ValidationError as exc:  # a reference taken since the form was checked
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{item.reference} raised.")
            if warning := reference_warning(RaidItem, item.reference):
                messages.warning(request, warning)
            return redirect(item)
    return render(request, "raid/raid_form.html", {"form": form, "item": None})


def raid_edit(request, reference):
    """The item's group secretariat: update its details, scores and mitigation. A save from
    a form opened before someone else's save is refused."""
    user = request.user
    item = get_object_for_user(user, RaidItem.objects.all(), Perm.EDIT, reference=reference)
    # The form edits a copy, so the page keeps the saved title while showing errors.
    form = RaidItemForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(item),
        visible_crs=_visible_crs(user),
    )
    if request.method == "POST" and form.is_valid():
        changed = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name not in ("reason", "change_request_refs")
        }
        if "change_request_refs" in form.changed_data:
            changed["change_requests"] = form.cleaned_data["change_request_refs"]
        try:
            raid_item_update(
                item=form.instance,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                **changed,
            )
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"{item.reference} saved.")
            return redirect(item)
    return render(request, "raid/raid_form.html", {"form": form, "item": item})


def raid_close(request, reference):
    """The item's group secretariat: close an open item."""
    item = get_object_for_user(request.user, RaidItem.objects.all(), Perm.EDIT, reference=reference)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            raid_item_close(item=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{item.reference} closed.")
            return redirect(item)
    return render(request, "raid/raid_close.html", {"item": item, "form": form})


@require_POST
def raid_reopen(request, reference):
    """The item's group secretariat: reopen a closed item (a button on the item's page, so
    a refusal, such as an item already reopened in another tab, is reported there)."""
    item = get_object_for_user(request.user, RaidItem.objects.all(), Perm.EDIT, reference=reference)
    try:
        raid_item_reopen(item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{item.reference} reopened.")
    return redirect(item)


def raid_supersede(request, reference):
    """The item's group secretariat: record that another item replaces this one."""
    user = request.user
    item = get_object_for_user(user, RaidItem.objects.all(), Perm.EDIT, reference=reference)
    form = SupersedeForm(
        request.POST if request.method == "POST" else None,
        items=filter_visible(user, RaidItem.objects.all()),
    )
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["superseded_by"]
        try:
            raid_item_supersede(item=item, successor=successor, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{item.reference} is superseded by {successor.reference}.")
            return redirect(item)
    return render(request, "raid/raid_supersede.html", {"item": item, "form": form})


def raid_detail(request, reference):
    """Members and observers of the item's group: the item, the items it replaced or was
    replaced by, its score history and trend, its reviews at meetings and its audit history."""
    user = request.user
    item = get_object_for_user(
        user,
        RaidItem.objects.select_related("group", "owner", "superseded_by"),
        reference=reference,
    )
    # Its own reviews and those of other items whose text covers it too, with the actions
    # raised from each.
    reviews = list(
        RaidReview.objects.filter(Q(raid_item=item) | Q(also_covers=item))
        .distinct()
        .select_related("meeting__group", "agenda_item", "raid_item")
        .prefetch_related("actions")
        .order_by("-meeting__date")
    )
    history = score_history(item)
    texts = [item.description, item.mitigation]
    texts += [text for review in reviews for text in (review.discussion, review.conclusion)]
    texts += [entry["mitigation"] for entry in history if entry["mitigation"]]
    return render(
        request,
        "raid/raid_detail.html",
        {
            "item": item,
            "supersedes": filter_visible(user, item.supersedes.all()),
            "reviews": reviews,
            "change_requests": filter_visible(user, item.change_requests.all()),
            "history": history,
            "trend": trend_chart(history),
            "urls": reference_urls(find_references(*texts)),
            "may_edit": user_can(user, Perm.EDIT, item),
        },
    )
