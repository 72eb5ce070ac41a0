"""The review of open actions at a meeting: the secretariat records what was reported on
each open action of the group and its new status, as item 2 of the papers does; several
actions can be closed, recommended closed, given a new due date or one update in one bulk
step (meetings/bulk_review.py), and that step undone."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from actions.models import ActionUpdate
from core.permissions import Perm, user_can
from core.versions import StaleRecords, record_versions

from .bulk_review import UndoRefused, bulk_review_apply, bulk_review_undo
from .bulk_review_forms import BulkReviewForm
from .forms import ActionReviewForm
from .services import MeetingNotStarted, ReviewRefused, actions_for_review, actions_review_record
from .views import back_to, meeting_edit_view, meeting_header


def review_rows(request, meeting):
    """The actions open when the meeting started, each with whether the user may update
    and close it."""
    user = request.user
    # for_register() reads the owners, which user_can needs to let an owner update.
    actions = list(actions_for_review(meeting).for_register())
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
    rows = review_rows(request, meeting)
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
            return back_to(meeting, "action_review")
    return review_page(request, meeting, rows, form=form)


def review_page(request, meeting, rows, *, form=None, bulk_form=None, status=200):
    """The review page with its two forms: the per-action review and the bulk step."""
    actions = [action for action, _, _ in rows]
    if form is None:
        form = ActionReviewForm(rows=rows, initial={"date": meeting.date})
    editable = any(may_update for _, may_update, _ in rows)
    if bulk_form is None and editable:
        selected = [a.pk for a in actions] if request.GET.get("select") == "all" else []
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
    checkboxes = {}
    if bulk_form is not None:
        # Each row's box of the bulk form, as its CheckboxSelectMultiple would write it
        # (the template writes the tag: one widget render per row cost hundreds of ms).
        chosen = {str(pk) for pk in bulk_form["selected"].value() or ()}
        disabled = bulk_form.fields["selected"].disabled
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
            "versions": record_versions(actions) if bulk_form is not None else {},
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
    return {
        "name": field.html_name,
        "id": field.auto_id,
        "label": field.label,
        "value": "" if value is None else value,
        "errors": " ".join(field.errors),
        "disabled": field.field.disabled,
        "choices": getattr(field.field, "choices", ()),
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
    rows = review_rows(request, meeting)
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
            return back_to(meeting, "action_review", "#last-step")
    return review_page(request, meeting, rows, bulk_form=bulk_form, status=200)


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
