"""The review of open actions at a meeting: the secretariat records what was reported on
each open action of the group and its new status, as item 2 of the papers does; several
actions can be closed, recommended closed, given a new due date or one update in one bulk
step (meetings/bulk_review.py), and that step undone. A group late in its life reviews
hundreds of actions at a meeting: the page shows them a page at a time."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from actions.models import Action, ActionUpdate
from core.permissions import Perm, user_can
from core.versions import StaleRecords, record_versions

from .bulk_review import UndoRefused, bulk_review_apply, bulk_review_undo
from .bulk_review_forms import BulkReviewForm
from .forms import ActionReviewForm
from .services import MeetingNotStarted, ReviewRefused, actions_for_review, actions_review_record
from .views import back_to, meeting_edit_view, meeting_header

# Rows of the review a page: drawing a row with its two fields costs about a millisecond,
# and a meeting late in a group's life reviews 500 actions.
REVIEW_PAGE_SIZE = 50
# A row's fields as the review form names them: "<action pk>-status", "<action pk>-text".
ROW_FIELD = re.compile(r"(\d+)-(?:status|text)")


def review_page_of(request, meeting):
    """The page shown (?page=) of the ids of every action the meeting reviews, in the
    review's order; page.paginator.object_list holds them all (for "Choose all")."""
    ids = list(actions_for_review(meeting).values_list("pk", flat=True))
    return Paginator(ids, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))


def review_rows(request, meeting, pks):
    """The actions among `pks` that were open when the meeting started, in the review's
    order, each with whether the user may update and close it."""
    user = request.user
    # for_register() reads the owners, which user_can needs to let an owner update.
    actions = list(actions_for_review(meeting).filter(pk__in=pks).for_register())
    return [
        (
            action,
            user_can(user, Perm.UPDATE_ACTION, action),
            user_can(user, Perm.CLOSE_ACTION, action),
        )
        for action in actions
    ]


@meeting_edit_view(Perm.VIEW)
def action_review(request, meeting):
    """Members and observers of the group see the actions open when the meeting started;
    whoever may update an action records, in one pass, its new status and what was said.
    Closing (or reopening) needs the chair or secretariat; recommending closure, the right
    to update the action (its owners too)."""
    user = request.user
    page = review_page_of(request, meeting)
    pks = set(page.object_list)
    if request.method == "POST":
        # The rows the form was drawn with, even if an action raised meanwhile moved them
        # to another page: nothing typed is dropped.
        pks |= {int(match[1]) for key in request.POST if (match := ROW_FIELD.fullmatch(key))}
    rows = review_rows(request, meeting, pks)
    form = ActionReviewForm(request.POST or None, rows=rows, initial={"date": meeting.date})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = actions_review_record(
                meeting=meeting, user=user, date=form.cleaned_data["date"], rows=form.changes
            )
        except ReviewRefused as refused:
            for pk, errors in refused.errors.items():
                form.add_error(f"{pk}-status", errors)
        except MeetingNotStarted as closed:
            form.add_error(None, closed.message)
        else:
            messages.success(request, f"{recorded} update{'s' if recorded != 1 else ''} recorded.")
            return back_to(meeting, "action_review", _page_query(page))
    return review_page(request, meeting, page, rows, form=form)


def _page_query(page):
    return f"?page={page.number}" if page.number > 1 else ""


def review_page(request, meeting, page, rows, *, form=None, bulk_form=None, status=200):
    """The review page with its two forms: the per-action review of the page's rows and
    the bulk step, whose choice may take in the actions of every page ("Choose all")."""
    actions = [action for action, _, _ in rows]
    if form is None:
        form = ActionReviewForm(rows=rows, initial={"date": meeting.date})
    # The forms are offered on a page with an action the user may update.
    editable = any(may_update for _, may_update, _ in rows)
    if bulk_form is None and editable:
        every = list(page.paginator.object_list)
        selected = every if request.GET.get("select") == "all" else []
        bulk_form = BulkReviewForm(
            actions=actions,
            user=request.user,
            initial={"date": meeting.date, "selected": selected},
        )
    header = meeting_header(request, meeting, "review")
    if header["records_closed"]:
        # Shown, disabled, until the meeting starts; the reason is on the page.
        for each in (form, bulk_form):
            for field in each.fields.values() if each else ():
                field.disabled = True
    recorded = {}
    for update in ActionUpdate.objects.filter(meeting=meeting, action__in=actions).order_by(
        "created_at"
    ):
        recorded.setdefault(update.action_id, []).append(update)
    last_step = (
        meeting.review_batches.filter(undone_at__isnull=True).select_related("by__person").first()
    )
    if last_step and not may_undo(request.user, last_step, meeting):
        last_step = None
    checkboxes, chosen_elsewhere, versions = {}, [], {}
    if bulk_form is not None:
        # Each row's box of the bulk form, as its CheckboxSelectMultiple would write it
        # (the template writes the tag: one widget render per row cost hundreds of ms).
        chosen = {str(pk) for pk in bulk_form["selected"].value() or ()}
        disabled = bulk_form.fields["selected"].disabled
        # Actions chosen on other pages ("Choose all") go with the step as hidden fields,
        # each with its version as this page read it.
        on_page = {action.pk for action in actions}
        chosen_elsewhere = [
            pk for pk in page.paginator.object_list if str(pk) in chosen and pk not in on_page
        ]
        elsewhere = list(Action.objects.filter(pk__in=chosen_elsewhere).only("pk"))
        versions = record_versions(actions + elsewhere)
        checkboxes = {
            action.pk: {
                "id": f"id_bulk-selected_{n}",
                "checked": str(action.pk) in chosen,
                "disabled": disabled,
            }
            for n, action in enumerate(actions)
        }
    return render(
        request,
        "meetings/action_review.html",
        {
            **header,
            "form": form,
            "bulk_form": bulk_form,
            "versions": versions,
            "page": page,
            "chosen_elsewhere": chosen_elsewhere,
            "page_query": _page_query(page),
            "rows": [
                (
                    action,
                    _written(status),
                    _written(text),
                    recorded.get(action.pk, []),
                    checkboxes.get(action.pk),
                )
                for action, status, text in form.bound_rows()
            ],
            "editable": editable,
            "last_step": last_step,
            "last_step_refs": (
                last_step.entries.values_list("action__reference", flat=True) if last_step else []
            ),
        },
        status=status,
    )


def _written(field):
    """What the page writes for a row's field (None: the user may not update the action).
    The template writes the tags itself, as includes/field.html and the widget would:
    hundreds of rows rendered through each widget's templates took most of a second."""
    if field is None:
        return None
    value = field.value()
    value = "" if value is None else value
    return {
        "name": field.html_name,
        "id": field.auto_id,
        "label": field.label,
        "value": value,
        "errors": " ".join(field.errors),
        "disabled": field.field.disabled,
        # The status's options, written here: a template loop over them was a third of
        # the page's rendering.
        "options": format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (choice, mark_safe(" selected") if choice == value else "", label)
                for choice, label in getattr(field.field, "choices", ())
            ),
        ),
        "max_length": getattr(field.field, "max_length", None),
    }


def may_undo(user, batch, meeting) -> bool:
    """Who took the step, or the group's secretariat."""
    return batch.by_id == user.pk or user_can(user, Perm.EDIT, meeting)


@require_POST
@meeting_edit_view(Perm.VIEW)
def action_review_bulk(request, meeting):
    """Whoever may update some of the actions reviewed (the chair, the secretariat, an owner
    for their own): one bulk step on the actions chosen. Closing needs the right to close
    each, a new due date the secretariat's; anyone else is refused (403)."""
    page = review_page_of(request, meeting)  # shown again if the step is refused
    on_page = set(page.object_list)
    chosen = {int(pk) for pk in request.POST.getlist("bulk-selected") if pk.isdigit()}
    rows = review_rows(request, meeting, on_page | chosen)
    if not any(may_update for _, may_update, _ in rows):
        raise PermissionDenied("You may not update the actions of this review.")
    actions = [action for action, _, _ in rows]
    bulk_form = BulkReviewForm(request.POST, actions=actions, user=request.user)
    if bulk_form.is_valid():
        data = bulk_form.cleaned_data
        try:
            batch = bulk_review_apply(
                meeting=meeting,
                user=request.user,
                actions_versions=bulk_form.actions_versions,
                operation=data["operation"],
                date=data["date"],
                text=data["text"],
                due_date=data["due_date"],
            )
        except StaleRecords as stale:
            refs = ", ".join(sorted(refused.record.reference for refused in stale.stale.values()))
            bulk_form.add_error(
                None,
                f"{refs} changed after you opened this page, so nothing was changed. "
                "The page now shows them as they are: choose again.",
            )
        except ValidationError as refused:
            for field, errors in getattr(refused, "error_dict", {None: refused.messages}).items():
                bulk_form.add_error(field if field in bulk_form.fields else None, errors)
        else:
            count = batch.entries.count()
            messages.success(
                request,
                f"{batch.get_operation_display()}: {count} action{'s' if count != 1 else ''} "
                "changed in one step. You can undo it below.",
            )
            return back_to(meeting, "action_review", f"{_page_query(page)}#last-step")
    page_rows = [row for row in rows if row[0].pk in on_page]
    return review_page(request, meeting, page, page_rows, bulk_form=bulk_form, status=200)


@require_POST
@meeting_edit_view(Perm.VIEW)
def action_review_undo(request, meeting, batch_pk):
    """Who took the bulk step, or the group's secretariat: undo it as one (403 for anyone
    else), unless one of its actions changed since."""
    batch = get_object_or_404(meeting.review_batches, pk=batch_pk)
    if not may_undo(request.user, batch, meeting):
        raise PermissionDenied("Only who took this step, or the secretariat, may undo it.")
    try:
        bulk_review_undo(batch=batch, user=request.user)
    except UndoRefused as refused:
        messages.error(request, " ".join(refused.messages))
    except MeetingNotStarted as closed:
        messages.error(request, closed.message)
    else:
        messages.success(request, f"Undone: {batch.get_operation_display().lower()}.")
    return back_to(meeting, "action_review")
