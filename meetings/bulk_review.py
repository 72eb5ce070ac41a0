"""Bulk work at the review of open actions: several actions closed, recommended closed,
given a new due date or one dated update in one step, and that step undone as one.

A step is all or nothing: every action is locked and compared with the version the page
showed (core.versions), so nothing another editor saved meanwhile is overwritten; one
stale action refuses the whole step (StaleRecords says which). The step is kept as a
ReviewBatch with each action's values before it; undo restores them and withdraws the
updates the step added, again only if none of its actions changed since.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionStatus, DueKind
from actions.notices import tell_due_date_changed
from actions.services import action_add_update
from core.permissions import person_of
from core.versions import StaleRecord, StaleRecords, check_unchanged, record_version

from .review_batches import BulkOperation, ReviewBatch, ReviewBatchEntry
from .services import lock_for_records

# What a step may change on an action, restored by its undo.
KEPT = ("status", "closed_date", "closed_meeting_id", "due_kind", "due_date")
STATUS_SET = {
    BulkOperation.CLOSE: ActionStatus.CLOSED,
    BulkOperation.RECOMMEND_CLOSED: ActionStatus.RECOMMEND_CLOSED,
}


def _before(action) -> dict:
    values = {name: getattr(action, name) for name in KEPT}
    for name in ("closed_date", "due_date"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def _lock_all(actions_versions):
    """The actions as stored, locked, in the order given; StaleRecords if any changed
    since the version the page showed."""
    pks = [action.pk for action, _ in actions_versions]
    locked = Action.objects.select_for_update(of=("self",)).select_related("group").in_bulk(pks)
    stale = {}
    for action, version in actions_versions:
        try:
            check_unchanged(locked[action.pk], version)
        except StaleRecord as refused:
            stale[action.pk] = refused
    if stale:
        raise StaleRecords(stale)
    return [locked[pk] for pk in pks]


def _default_text(operation, meeting, was, due_date):
    if operation == BulkOperation.CLOSE:
        return f"Closed at {meeting.code}."
    if operation == BulkOperation.RECOMMEND_CLOSED:
        return f"Recommended closed at {meeting.code}."
    return f"Due date changed at {meeting.code} from {was} to {due_date:%d/%m/%Y}."


@transaction.atomic
def bulk_review_apply(
    *, meeting, user, actions_versions, operation, date, text="", due_date=None
) -> ReviewBatch:
    """Apply one bulk step to the actions ([(action, version the page showed)]) at the
    meeting's review, recorded as updates of the meeting dated `date`: close them,
    recommend them closed, move their due date to `due_date`, or add the update `text`.
    The caller has checked the user's right to each action. Returns the batch."""
    meeting = lock_for_records(meeting)
    if not actions_versions:
        raise ValidationError("Choose at least one action.")
    if operation == BulkOperation.UPDATE and not text.strip():
        raise ValidationError({"text": "Say what was reported."})
    if operation == BulkOperation.DUE_DATE and due_date is None:
        raise ValidationError({"due_date": "Give the new due date."})
    actions = _lock_all(actions_versions)
    batch = ReviewBatch.objects.create(
        meeting=meeting,
        operation=operation,
        date=date,
        text=text.strip(),
        due_date=due_date if operation == BulkOperation.DUE_DATE else None,
        by=user,
    )
    for action in actions:
        before = _before(action)
        said = text.strip()
        if operation == BulkOperation.DUE_DATE:
            was = action.due_display()
            action.due_kind, action.due_date = DueKind.DATE, due_date
            action.full_clean()
            action.save()
            tell_due_date_changed(action, was=was)
            change = _default_text(operation, meeting, was, due_date)
            said = f"{said}\n\n{change}" if said else change
        elif not said:
            said = _default_text(operation, meeting, "", None)
        update = action_add_update(
            action=action,
            text=said,
            date=date,
            status=STATUS_SET.get(operation, ""),
            author=person_of(user),
            user=user,
            meeting=meeting,
            source="meeting",
        )
        ReviewBatchEntry.objects.create(
            batch=batch,
            action=action,
            update=update,
            before=before,
            version_after=record_version(action),
        )
    return batch


class UndoRefused(ValidationError):
    """The step cannot be undone: undone already, or some of its actions changed since."""


@transaction.atomic
def bulk_review_undo(*, batch, user) -> ReviewBatch:
    """Undo a bulk step: each action takes back its values from before the step and the
    updates the step added are withdrawn (their history keeps them). Refused, with nothing
    changed, if the step was undone already or if any of its actions was saved or updated
    since (UndoRefused names them)."""
    batch = ReviewBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.undone_at is not None:
        raise UndoRefused("This step was undone already.")
    lock_for_records(batch.meeting)
    entries = list(batch.entries.select_related("update"))
    locked = Action.objects.select_for_update(of=("self",)).in_bulk(
        [entry.action_id for entry in entries]
    )
    changed = []
    for entry in entries:
        action = locked[entry.action_id]
        later = action.updates.all()
        if entry.update is not None:
            later = later.filter(created_at__gt=entry.update.created_at)
        if record_version(action) != entry.version_after or later.exists():
            changed.append(action.reference)
    if changed:
        raise UndoRefused(
            f"{', '.join(sorted(changed))} changed after this step, so it was not undone. "
            "Change them one by one on their pages."
        )
    for entry in entries:
        action = locked[entry.action_id]
        was = action.due_display()
        for name, value in entry.before.items():
            setattr(action, name, value)
        action.full_clean()
        action._change_reason = "Bulk step at the review undone"
        action.save()
        if entry.update is not None:
            entry.update.delete()
        if batch.operation == BulkOperation.DUE_DATE:
            tell_due_date_changed(action, was=was)
    batch.undone_at = timezone.now()
    batch.undone_by = user
    batch.save(update_fields=["undone_at", "undone_by"])
    return batch
