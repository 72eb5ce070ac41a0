"""The action register ("My actions" is the register filtered to the user), its downloads,
one action's page with the owners' update form, and the import of an action log.

Who may do what (decided in core/permissions.py):
- read: anyone with a role in the action's group;
- post an update, set ONGOING or RECOMMEND CLOSED: the action's owners, the chair and the
  secretariat (Perm.UPDATE_ACTION);
- set CLOSED (or reopen): the chair and the secretariat (Perm.CLOSE_ACTION);
- change the due date: the secretariat (Perm.EDIT); owners ask for it in an update;
- correct the text, owners, area, due date and date raised: the secretariat (Perm.EDIT);
- import an action log: the secretariat of the group it is imported into (Perm.EDIT);
- withdraw the update links sent by email: the action's owners and the secretariat
  (Perm.REVOKE_UPDATE_LINKS).
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exports import download
from core.permissions import Perm, filter_visible, get_object_for_user, groups_for, user_can
from core.security import client_ip, log_event
from core.versions import StaleRecord

from . import exports, importer
from .filters import ActionFilter
from .forms import ActionCorrectForm, ActionUpdateForm, ImportUploadForm
from .models import Action
from .services import action_correct, action_post_update, revoke_update_links

PAGE_SIZE = 50


def _register(request):
    return ActionFilter(
        request.GET, queryset=filter_visible(request.user, Action.objects.all()), request=request
    )


def _page_rows(page):
    """The page's actions with their owners and latest update, in the page's order: the
    latest-update subqueries run for these rows only, not for every row an OFFSET skips."""
    ids = list(page.object_list)
    rows = Action.objects.for_register().filter(pk__in=ids).order_by()
    by_id = {action.pk: action for action in rows}
    return [by_id[pk] for pk in ids if pk in by_id]  # one deleted meanwhile is left out


def action_list(request):
    """Any logged-in user: the actions of their groups, not closed ones unless the status
    filter says otherwise, filtered and sorted by the query string; ?owner=me is "My
    actions"."""
    filterset = _register(request)
    # COUNT(*), then the page's ids (an index walk that stops after the page). One query
    # with COUNT(*) OVER () beside the page kept every matching row for the window: 53 ms
    # against 11 ms for the count of 20,000 open actions, and no faster for a search.
    ids = filterset.qs.values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _page_rows(page)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "filter": filterset,
        "page": page,
        "mine": filterset.mine,
        "query": query.urlencode(),
        "sort": filterset.current_sort,
        "sort_query": sort_query.urlencode(),
        "may_import": any(
            group.active and user_can(request.user, Perm.EDIT, group) for group in filterset.groups
        ),
    }
    if request.htmx:
        return render(request, "actions/action_list.html#results", context)
    return render(request, "actions/action_list.html", context)


def action_export(request, fmt):
    """Any logged-in user: the register as filtered, every page of it, as CSV or XLSX."""
    filterset = _register(request)
    actions = Action.objects.for_register().filter(pk__in=filterset.qs.values("pk"))
    actions = actions.order_by(*filterset.ordering())
    return download(
        fmt,
        filename=f"actions-{timezone.localdate():%Y-%m-%d}",
        sheet="Actions",
        columns=exports.COLUMNS,
        rows=exports.action_rows(actions),
    )


def _detail_context(request, action, form=None):
    user = request.user
    may_update = user_can(user, Perm.UPDATE_ACTION, action)
    may_close = user_can(user, Perm.CLOSE_ACTION, action)
    may_edit = user_can(user, Perm.EDIT, action)
    # A closed action is reopened by those who close actions, not by its owners.
    may_post = may_update and (action.is_open or may_close)
    if form is None and may_post:
        form = ActionUpdateForm(action=action, may_close=may_close, may_edit=may_edit)
    return {
        "action": action,
        "owners": [ownership.person for ownership in action.ownerships.all()],
        "updates": action.updates.select_related("author", "recorded_by__person", "meeting__group"),
        "change_requests": filter_visible(user, action.change_requests.all()),
        "decisions": filter_visible(user, action.decisions.select_related("meeting__group")),
        # The RAID reviews (of the action's group's meetings) it was raised from.
        "raid_reviews": action.raid_reviews.select_related("raid_item", "meeting__group"),
        "form": form if may_post else None,
        "may_correct": may_edit,
        "link_events": action.link_events.select_related("person", "by__person"),
        "may_revoke_links": user_can(user, Perm.REVOKE_UPDATE_LINKS, action),
    }


@require_POST
def action_revoke_links(request, reference):
    """The action's owners and the group's secretariat: withdraw every "update this
    action" link sent by email so far (a forwarded or leaked email stops working); the
    next reminder brings a fresh link."""
    action = _action_for(request.user, reference, Perm.REVOKE_UPDATE_LINKS)
    revoke_update_links(action=action, user=request.user, ip=client_ip(request))
    log_event("update_links_revoked", request, action=action.reference)
    messages.success(
        request, f"The update links sent so far for {action.reference} no longer work."
    )
    return redirect(action)


def _action_for(user, reference, perm=Perm.VIEW):
    return get_object_for_user(
        user,
        Action.objects.select_related(
            "group", "meeting__group", "agenda_item", "closed_meeting__group"
        )
        .prefetch_related("ownerships__person")
        .defer("search_vector"),
        perm,
        reference=reference,
    )


def action_detail(request, reference):
    """Members and observers of the action's group: the action, what it links to, its
    dated updates and its audit history; the update form for those who may post one."""
    action = _action_for(request.user, reference)
    return render(request, "actions/action_detail.html", _detail_context(request, action))


@require_POST
def action_update(request, reference):
    """The action's owners, the group's chair and secretariat: post a dated update, with
    the status it sets (CLOSED: chair and secretariat only) and a new or requested due
    date. With htmx the updates section is swapped in place."""
    user = request.user
    action = _action_for(user, reference)
    if not user_can(user, Perm.UPDATE_ACTION, action):
        raise PermissionDenied("Only the action's owners and the secretariat may update it.")
    may_close = user_can(user, Perm.CLOSE_ACTION, action)
    if not action.is_open and not may_close:
        raise PermissionDenied("Only the chair or the secretariat may reopen a closed action.")
    may_edit = user_can(user, Perm.EDIT, action)
    form = ActionUpdateForm(request.POST, action=action, may_close=may_close, may_edit=may_edit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            action_post_update(
                action=action,
                text=data["text"],
                date=data["date"],
                status=data["status"],
                meeting=data["meeting"],
                due_date=data["due_date"],
                user=user,
                may_edit=may_edit,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            notice = f"Update to {action.reference} posted."
            if not request.htmx:
                messages.success(request, notice)
                return redirect(action)
            action = _action_for(user, reference)
            context = _detail_context(request, action)
            context["notice"] = notice
            return render(request, "actions/action_detail.html#action-body", context)
    context = _detail_context(request, action, form)
    template = "actions/action_detail.html" + ("#action-body" if request.htmx else "")
    return render(request, template, context)


def action_correct_view(request, reference):
    """The group's secretariat (Perm.EDIT): correct the action's text, owners, area, due
    date and date raised. Each correction is one version of the action's history, shown on
    its page; a save from a form opened before someone else's save is refused."""
    action = _action_for(request.user, reference, Perm.EDIT)
    form = ActionCorrectForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(action)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action_correct(
                action=action,
                version=data["version"],
                owners=data["owners"],
                new_people=data["new_people"],
                reason=data["reason"],
                owner_printed=data["owner_printed"],
                owner_team=data["owner_team"],
                **{name: data[name] for name in form.Meta.fields if name != "owners"},
            )
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"{action.reference} corrected.")
            return redirect(action)
    return render(request, "actions/action_correct.html", {"action": action, "form": form})


# Import ------------------------------------------------------------------------------------


def _import_groups(user):
    """Groups the user may import an action log into: those they are secretariat of."""
    return groups_for(user, Perm.EDIT).active()


def action_import(request):
    """A group's secretariat: upload an action log (CSV or XLSX) to preview it."""
    groups = _import_groups(request.user)
    if not groups.exists():
        raise PermissionDenied("Only a group's secretariat may import actions.")
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        groups=groups,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = importer.read_upload(upload.read(), upload.name, group=form.cleaned_data["group"])
        if plan.file_errors:
            for error in plan.file_errors:
                form.add_error("file", error)
        else:
            token = importer.store_plan(request.session, plan)
            return redirect("actions:action_import_preview", token=token)
    return render(request, "actions/action_import.html", {"form": form})


def action_import_preview(request, token):
    """The secretariat who uploaded the log: its rows with their problems; on POST, import
    every row or, if anything is wrong, none."""
    plan = importer.load_plan(request.session, token)
    if plan is None:
        raise Http404("This upload has expired or was already imported. Upload it again.")
    group = plan.group
    if not user_can(request.user, Perm.EDIT, group):
        raise PermissionDenied("Only the group's secretariat may import actions.")
    if request.method == "POST" and not plan.has_errors:
        try:
            created, updated = importer.import_plan(plan=plan, user=request.user)
        except importer.ImportConflict as conflict:
            plan = conflict.plan
            importer.store_plan(request.session, plan, token=token)
            messages.error(request, "The actions changed since the preview; nothing was imported.")
        else:
            importer.drop_plan(request.session, token)
            messages.success(
                request,
                f"Imported {len(created)} action{'s' if len(created) != 1 else ''} "
                f"into {group.code}" + (f" and updated {len(updated)}." if updated else "."),
            )
            return redirect(reverse("actions:action_list") + f"?group={group.code}&status=all")
    return render(request, "actions/action_import_preview.html", {"plan": plan, "token": token})
