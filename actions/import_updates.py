"""An action log's rows whose reference the tracker already holds update that action: its
status, its due date and its latest update, each shown in the preview as a field-by-field
difference (what the tracker has, what the file says) before anything is written.

Other columns of such a row (the action's words, owner, area) are the record as raised and
are left alone: they are corrected on the action's page, with a reason. A status changes
only through a dated update, as everywhere else: the file's latest update carries it, or,
with none new, an update saying the import set it. A blank Status cell leaves the status.
"""

import datetime

from django.utils import timezone

from .models import Action, ActionStatus, DueKind, UpdateSource
from .notices import tell_due_date_changed
from .services import action_add_update

STATUS, DUE, UPDATE = "Status", "Due", "Latest update"


def _due_label(kind, date):
    if kind == DueKind.DATE:
        return f"{date:%d/%m/%Y}" if date else "—"
    if kind == DueKind.WEEK_COMMENCING:
        return f"w/c {date:%d/%m/%Y}" if date else "—"
    return DueKind(kind).label


def _update_label(date, text):
    return f"{date:%d/%m/%Y}: {text}" if text else "—"


def existing_actions(references, *, lock=False):
    """{reference: action} with its latest update (Action.objects.for_list)."""
    actions = Action.objects.filter(reference__in=list(references)).select_related("group")
    if lock:
        actions = actions.select_for_update(of=("self",))
    return {action.reference: action for action in actions.for_list().prefetch_related(None)}


def row_changes(row, action):
    """[[field, as the tracker has it, as the file says]] for each difference."""
    changes = []
    if row.status_given and row.status != action.status:
        changes.append([STATUS, action.get_status_display(), ActionStatus(row.status).label])
    due_date = datetime.date.fromisoformat(row.due_date) if row.due_date else None
    if (row.due_kind, due_date) != (action.due_kind, action.due_date):
        changes.append(
            [DUE, _due_label(action.due_kind, action.due_date), _due_label(row.due_kind, due_date)]
        )
    if row.update_text:
        update_date = datetime.date.fromisoformat(row.update_date)
        latest = (action.latest_update_date, action.latest_update_text or "")
        if (update_date, row.update_text) != latest:
            changes.append(
                [UPDATE, _update_label(*latest), _update_label(update_date, row.update_text)]
            )
    return changes


def diff_existing(plan, *, lock=False):
    """Mark each existing row with its changes; a row naming another group's action is a
    problem (this import may only change the group it is made for). Returns the actions."""
    actions = existing_actions([row.reference for row in plan.rows if row.exists], lock=lock)
    for row in plan.rows:
        action = actions.get(row.reference) if row.exists else None
        if action is None:
            row.changes = []
            continue
        if action.group_id != plan.group_id:
            row.problems.append(
                f"{row.reference} is an action of {action.group.code}: it cannot be updated "
                f"from {plan.group.code}'s log."
            )
            row.changes = []
            continue
        row.changes = row_changes(row, action)
    return actions


def apply_update(row, action, *, user, filename):
    """Write one row's changes to its action: the due date (with the owners told), then
    the latest update carrying the status, or an update saying the import set the status."""
    changed = {change[0] for change in row.changes}
    if DUE in changed:
        was = action.due_display()
        action.due_kind = row.due_kind
        action.due_date = datetime.date.fromisoformat(row.due_date) if row.due_date else None
        action.full_clean()
        action._change_reason = f"Import of {filename}"[:100]
        action.save()
        tell_due_date_changed(action, was=was)
    status = row.status if STATUS in changed else ""
    if UPDATE in changed:
        action_add_update(
            action=action,
            text=row.update_text,
            date=datetime.date.fromisoformat(row.update_date),
            status=status,
            user=user,
            source=UpdateSource.IMPORT,
        )
    elif status:
        action_add_update(
            action=action,
            text=f"Status set to {ActionStatus(status).label} by the import of {filename}.",
            date=timezone.localdate(),
            status=status,
            user=user,
            source=UpdateSource.IMPORT,
        )
    return action
