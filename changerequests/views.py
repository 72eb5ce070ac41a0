"""Change requests: the CR status table (register, status board, CSV/XLSX), raising a CR,
moving it through change control, editing it and linking the records that concern it.

Who may do what (decided in core/permissions.py):
- read: anyone with a role in the CR's group; programme-wide CRs (no group) anyone with a
  role in some group;
- raise: the secretariat, chair or members of the group the CR is raised for;
- edit, move, link: the group's secretariat.
"""

import copy
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import Length, RowNumber
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exports import download
from core.markup import find_references, reference_urls
from core.mentions import naming
from core.permissions import (
    Perm,
    filter_visible,
    get_object_for_user,
    groups_for,
    person_of,
    user_can,
)
from core.reference_kinds import mentioning_texts
from core.references import add_service_errors, reference_warning
from core.versions import StaleRecord

from . import exports
from .filters import ChangeRequestFilter
from .forms import ChangeRequestForm, LinkForm, MoveForm
from .models import ChangeRequest, Stage
from .services import (
    change_request_link,
    change_request_move,
    change_request_raise,
    change_request_unlink,
    change_request_update,
    linkable_record,
)

PAGE_SIZE = 50
# Cards a board column shows; the rest of the column is a link to the status table of that
# stage. A programme has thousands of CRs: every card of every column was 2,000 cards and
# 2-3 s a request (docs/benchmarks.md).
BOARD_CARDS = 25
BOARD_STAGES = [
    Stage.RAISED,
    Stage.IMPACT_ASSESSMENT,
    Stage.APPROVAL_DECISION,
    Stage.IMPLEMENTATION,
    Stage.COMPLETE,
    Stage.CLOSED,
    Stage.WITHDRAWN,
]


def _register(request):
    """The user's CRs narrowed by the filter in the query string, in reference order (by
    length first so CR1000 sorts after CR999)."""
    crs = filter_visible(request.user, ChangeRequest.objects.for_register())
    filterset = ChangeRequestFilter(request.GET, queryset=crs)
    return filterset, filterset.qs.order_by(Length("reference"), "reference")


def _raise_groups(user):
    """Groups the user may raise a CR for."""
    return groups_for(user, Perm.RAISE_CHANGE_REQUEST).active()


def cr_list(request):
    """Any logged-in user: the CR status table of their groups and the programme-wide CRs,
    filtered by status, stage, deciding body, raiser's organisation and text."""
    filterset, crs = _register(request)
    page = Paginator(crs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = page.object_list = list(page.object_list)
    today = timezone.localdate()
    for cr in rows:
        cr.days_left = cr.ia_days_left(today)
    texts = [text for cr in rows for text in (cr.key_detail, cr.latest_action, cr.next_action)]
    context = {
        "filter": filterset,
        "page": page,
        "urls": reference_urls(find_references(*texts)),
        # As the papers' table says "Updated to 04/06/2024".
        "updated_to": max((cr.status_updated for cr in rows if cr.status_updated), default=None),
        "query": _query_without_page(request),
        "may_raise": _raise_groups(request.user).exists(),
    }
    if request.htmx:
        return render(request, "changerequests/cr_list.html#results", context)
    return render(request, "changerequests/cr_list.html", context)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def cr_export(request, fmt):
    """Any logged-in user: the filtered CR status table as CSV or XLSX."""
    _, crs = _register(request)
    return download(
        fmt,
        filename=f"change-requests-{timezone.localdate():%Y-%m-%d}",
        sheet="Change requests",
        columns=exports.COLUMNS,
        rows=exports.cr_rows(crs),
    )


def cr_board(request):
    """Any logged-in user: the filtered CRs as a board, one column per stage of change
    control, with the days left of running impact assessments. Each column shows its
    count and its first BOARD_CARDS cards, and links to the status table of the rest."""
    filterset, crs = _register(request)
    column_order = [Length("reference").asc(), F("reference").asc()]
    # One query: each card's place in its column and the column's size come with it.
    cards = (
        crs.filter(stage__in=BOARD_STAGES)
        .annotate(
            place=Window(RowNumber(), partition_by=F("stage"), order_by=column_order),
            column_size=Window(Count("pk"), partition_by=F("stage")),
        )
        .filter(place__lte=BOARD_CARDS)
    )
    today = timezone.localdate()
    by_stage = {stage: [] for stage in BOARD_STAGES}
    sizes = dict.fromkeys(BOARD_STAGES, 0)
    for cr in cards:
        cr.days_left = cr.ia_days_left(today)
        by_stage[cr.stage].append(cr)
        sizes[cr.stage] = cr.column_size
    query = _query_without_page(request)
    columns = [
        {
            "stage": stage,
            "crs": by_stage[stage],
            "count": sizes[stage],
            "more": sizes[stage] - len(by_stage[stage]),
            "table_query": _with_stage(request, stage),
        }
        for stage in BOARD_STAGES
    ]
    return render(
        request,
        "changerequests/cr_board.html",
        {"filter": filterset, "columns": columns, "query": query},
    )


def _with_stage(request, stage):
    """The board's filters narrowed to one stage, for the status table's address."""
    query = request.GET.copy()
    query.pop("page", None)
    query["stage"] = stage
    return query.urlencode()


def cr_new(request):
    """The secretariat, chair or members of a group: raise a CR for it; it gets the next CR
    reference. Everyone else: 403."""
    user = request.user
    groups = list(_raise_groups(user))
    if not groups:
        raise PermissionDenied("Only the secretariat or members of a group may raise a CR.")
    person = person_of(user)
    initial = {"group": groups[0] if len(groups) == 1 else None}
    if person is not None:
        initial |= {"raiser_person": person, "raiser_organisation": person.organisation_id}
    form = ChangeRequestForm(
        request.POST if request.method == "POST" else None,
        groups=_raise_groups(user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cr = change_request_raise(by=user, **form.cleaned_data)
        except ValidationError as exc:  # a reference taken since the form was checked
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{cr.reference} raised.")
            if warning := reference_warning(ChangeRequest, cr.reference):
                messages.warning(request, warning)
            return redirect(cr)
    return render(request, "changerequests/cr_form.html", {"form": form, "cr": None})


def cr_edit(request, reference):
    """The CR's group secretariat: edit its details (not its stage: that takes a move). A
    save from a form opened before someone else's save is refused."""
    cr = get_object_for_user(
        request.user, ChangeRequest.objects.all(), Perm.EDIT, reference=reference
    )
    # The form edits a copy, so the page keeps the saved title while showing errors.
    form = ChangeRequestForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(cr)
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_request_update(
                change_request=form.instance,
                version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{cr.reference} saved.")
            return redirect(cr)
    return render(request, "changerequests/cr_form.html", {"form": form, "cr": cr})


def cr_move(request, reference):
    """The CR's group secretariat: move it one allowed step through change control."""
    cr = get_object_for_user(
        request.user, ChangeRequest.objects.select_related("group"), Perm.EDIT, reference=reference
    )
    form = MoveForm(request.POST if request.method == "POST" else None, change_request=cr)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change_request_move(change_request=cr, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{cr.reference} is now at {cr.get_stage_display()}.")
            return redirect(cr)
    return render(request, "changerequests/cr_move.html", {"cr": cr, "form": form})


def _link_target(request, cr, form):
    """The record named in a valid LinkForm, or None with the error added to the form."""
    reference = form.cleaned_data["reference"]
    record = linkable_record(reference)
    # A record of a group the user cannot see is reported as missing, not as forbidden.
    if record is None or not user_can(request.user, Perm.VIEW, record):
        form.add_error("reference", f"There is no action, decision or RAID item {reference}.")
        return None
    if not user_can(request.user, Perm.EDIT, record):
        form.add_error("reference", f"Only the secretariat of its group may change {reference}.")
        return None
    return record


@require_POST
def cr_link(request, reference):
    """The CR's group secretariat (and of the linked record's group): link an action,
    decision or RAID item to the CR."""
    cr = get_object_for_user(
        request.user, ChangeRequest.objects.all(), Perm.EDIT, reference=reference
    )
    form = LinkForm(request.POST)
    if form.is_valid() and (record := _link_target(request, cr, form)):
        change_request_link(change_request=cr, record=record)
        messages.success(request, f"{record.reference} linked to {cr.reference}.")
        return redirect(cr)
    return render(request, "changerequests/cr_link.html", {"cr": cr, "form": form})


@require_POST
def cr_unlink(request, reference):
    """The CR's group secretariat (and of the linked record's group): remove a link."""
    cr = get_object_for_user(
        request.user, ChangeRequest.objects.all(), Perm.EDIT, reference=reference
    )
    form = LinkForm(request.POST)
    if form.is_valid() and (record := _link_target(request, cr, form)):
        if not record.change_requests.filter(pk=cr.pk).exists():
            form.add_error("reference", f"{record.reference} is not linked to {cr.reference}.")
        else:
            change_request_unlink(change_request=cr, record=record)
            messages.success(request, f"{record.reference} is no longer linked to {cr.reference}.")
            return redirect(cr)
    return render(request, "changerequests/cr_link.html", {"cr": cr, "form": form})


def _concerning(linked, cr):
    """Records of one kind linked to the CR (`linked`: its reverse relation, e.g.
    cr.actions) or naming it in the texts their app registered (core.mentions), each
    marked `is_linked`."""
    model = linked.model
    # The ids first, in one UNION: an OR of the two subqueries in the records' query made
    # PostgreSQL scan every action (2 s at 100,000 actions) instead of fetching a few by key.
    ids = (
        linked.order_by()
        .values_list("pk")
        .union(naming(cr.reference, model).values_list("object_id"))
    )
    return model.objects.filter(pk__in=[pk for (pk,) in ids]).annotate(
        is_linked=Exists(linked.filter(pk=OuterRef("pk")))
    )


def minutes_passages(user, reference):
    """[(agenda item, [paragraphs naming the reference])] from the minutes the user may read."""
    minutes = mentioning_texts("minutes")
    items = filter_visible(
        user,
        minutes.model.objects.filter(pk__in=naming(reference, minutes.model)).select_related(
            "meeting__group"
        ),
        group_path="meeting__group",
    ).order_by("meeting__date", "order")
    found = []
    for item in items:
        paragraphs = [
            paragraph
            for paragraph in re.split(r"\n\s*\n", item.minutes)
            if reference in find_references(paragraph)
        ]
        if paragraphs:
            found.append((item, paragraphs))
    return found


def cr_detail(request, reference):
    """Members and observers of the handling group: every field of the CR, its moves through
    change control, the actions, decisions, RAID items and minutes that name it or are
    linked to it, and its audit history. The secretariat also gets the forms to move it and
    to link records."""
    user = request.user
    cr = get_object_for_user(
        user,
        ChangeRequest.objects.for_register(),
        reference=reference,
    )
    transitions = list(cr.transitions.select_related("by__person"))
    actions = list(
        filter_visible(user, _concerning(cr.actions, cr))
        .for_list()
        .order_by(Length("reference"), "reference")
    )
    decisions = list(
        filter_visible(user, _concerning(cr.decisions, cr))
        .select_related("meeting__group")
        .order_by(Length("reference"), "reference")
    )
    raid_items = list(
        filter_visible(user, _concerning(cr.raid_items, cr))
        .select_related("owner")
        .order_by(Length("reference"), "reference")
    )
    passages = minutes_passages(user, cr.reference)
    # Every meeting of the user's groups that listed it under an agenda item.
    presentations = list(
        filter_visible(
            user,
            cr.presentations.select_related("agenda_item__meeting__group"),
            group_path="agenda_item__meeting__group",
        ).order_by("-agenda_item__meeting__date", "agenda_item__order")
    )
    texts = [cr.key_detail, cr.latest_action, cr.next_action]
    texts += [t.reason for t in transitions] + [a.text for a in actions]
    texts += [d.wording for d in decisions] + [p for _, found in passages for p in found]
    may_edit = user_can(user, Perm.EDIT, cr)
    return render(
        request,
        "changerequests/cr_detail.html",
        {
            "cr": cr,
            "days_left": cr.ia_days_left(timezone.localdate()),
            "transitions": transitions,
            "actions": actions,
            "decisions": decisions,
            "raid_items": raid_items,
            "passages": passages,
            "presentations": presentations,
            "urls": reference_urls(find_references(*texts)),
            "may_edit": may_edit,
            "move_form": MoveForm(change_request=cr) if may_edit and cr.allowed_moves() else None,
            "link_form": LinkForm() if may_edit else None,
        },
    )
