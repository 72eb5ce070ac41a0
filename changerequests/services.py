"""Writes to change requests: raising them (with the next reference), moving them through
change control, editing their details and linking the records that concern them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.references import TYPED_REASON, allocate, claim_reference
from core.versions import lock_unchanged
from core.workdays import add_working_days

from .models import (
    ALL_MOVES,
    STAGE_APPROVAL_STATUS,
    ChangeRequest,
    ChangeRequestTransition,
    Stage,
)

MOVES_BY_NAME = {move.name: move for move in ALL_MOVES}


def next_cr_reference() -> str:
    """CR<max+1>, three digits at least (call inside a transaction that saves the CR)."""
    in_use = ChangeRequest.objects.filter(reference__istartswith="CR").values_list(
        "reference", flat=True
    )
    return f"CR{allocate(kind='change_request', scope='CR', in_use=in_use, prefix='CR'):03d}"


@transaction.atomic
def change_request_create(*, title, reference="", **fields) -> ChangeRequest:
    """Save a CR as given (imports keep their stage); the approval status follows the stage
    unless given."""
    stage = fields.get("stage", Stage.RAISED)
    if stage in STAGE_APPROVAL_STATUS:
        fields.setdefault("approval_status", STAGE_APPROVAL_STATUS[stage])
    typed = bool(reference)
    if typed:
        claim_reference(model=ChangeRequest, reference=reference)
    else:
        reference = next_cr_reference()
    change_request = ChangeRequest(reference=reference, title=title, **fields)
    change_request.full_clean()
    if typed:
        change_request._change_reason = TYPED_REASON  # the history keeps who typed it
    change_request.save()
    return change_request


@transaction.atomic
def change_request_raise(*, by, date_raised, **fields) -> ChangeRequest:
    """A new CR at stage Raised, with the raising as the first move of its history."""
    fields.pop("stage", None)
    fields.pop("approval_status", None)
    change_request = change_request_create(
        date_raised=date_raised,
        latest_action=f"Raised ({date_raised:%d/%m/%Y})",
        status_updated=date_raised,
        **fields,
    )
    ChangeRequestTransition.objects.create(
        change_request=change_request,
        to_stage=Stage.RAISED,
        date=date_raised,
        by=by,
        reason="Change request raised.",
    )
    return change_request


@transaction.atomic
def change_request_move(
    *,
    change_request,
    move,
    date,
    by,
    reason,
    from_stage="",
    latest_action="",
    ia_working_days=None,
    today=None,
) -> ChangeRequestTransition:
    """Move a CR one allowed step, record who moved it, when and why, and keep its latest
    action, approval status and impact-assessment deadline in step.

    Raises ValidationError (changing nothing) for a move not allowed from the CR's stage,
    a stale page (`from_stage` no longer the CR's stage) or a date out of order.
    """
    today = today or timezone.localdate()
    # Lock the row so two people moving the same CR at once cannot both succeed.
    cr = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    move = MOVES_BY_NAME.get(move, move)
    if from_stage and from_stage != cr.stage:
        raise ValidationError(
            f"{cr.reference} has moved to {cr.get_stage_display()} since the page was opened; "
            "nothing was changed."
        )
    if move not in cr.allowed_moves():
        label = getattr(move, "label", str(move))
        raise ValidationError(
            f'"{label}" is not an allowed move from stage {cr.get_stage_display()}.',
            code="illegal_move",
        )
    last = cr.transitions.order_by("-date").values_list("date", flat=True).first()
    errors = {}
    if date > today:
        errors["date"] = "A move cannot be recorded for a future date."
    elif last and date < last:
        errors["date"] = f"The previous move was on {last:%d/%m/%Y}; a move cannot come before it."
    elif cr.date_raised and date < cr.date_raised:
        errors["date"] = f"{cr.reference} was raised on {cr.date_raised:%d/%m/%Y}."
    if not reason.strip():
        errors["reason"] = "Say why the change request moves."
    if errors:
        raise ValidationError(errors)

    transition = ChangeRequestTransition.objects.create(
        change_request=cr,
        from_stage=cr.stage,
        to_stage=move.to_stage,
        date=date,
        by=by,
        reason=reason,
    )
    cr.stage = move.to_stage
    cr.approval_status = STAGE_APPROVAL_STATUS[move.to_stage]
    if move.to_stage == Stage.IMPACT_ASSESSMENT:
        cr.ia_working_days = ia_working_days or cr.ia_working_days
        cr.ia_deadline = add_working_days(date, cr.ia_working_days)
    body = f" {cr.get_decision_body_display()}" if cr.decision_body else ""
    standard = move.done.format(by=f" by{body}" if body else "", body=body, date=f"{date:%d/%m/%Y}")
    cr.latest_action = latest_action.strip() or standard
    if move.to_stage == Stage.IMPACT_ASSESSMENT and not latest_action.strip():
        cr.latest_action += f"; responses due {cr.ia_deadline:%d/%m/%Y}"
    cr.status_updated = date
    cr.full_clean()
    cr.save()
    change_request.refresh_from_db()
    return transition


@transaction.atomic
def change_request_update(*, change_request, today=None, version=None, **fields) -> ChangeRequest:
    """Edit a CR's details. Its stage and approval status change only through moves; a new
    latest action dates the status, and new impact-assessment days during an assessment
    move its deadline (counted from the day it started) unless a deadline is given.

    Raises ValidationError (changing nothing) for a date raised after the CR's first move,
    and, given the `version` its edit form was opened at, core.versions.StaleRecord
    (changing nothing) if the CR was saved since.
    """
    if {"stage", "approval_status"} & fields.keys():
        raise ValueError("Stage and approval status change through change_request_move().")
    if not fields:  # saving an untouched form adds no version to the CR's history
        return change_request
    if version is not None:
        change_request = lock_unchanged(change_request, version)
    saved = ChangeRequest.objects.values_list("latest_action", flat=True).get(pk=change_request.pk)
    if fields.get("latest_action", saved) != saved:
        fields.setdefault("status_updated", today or timezone.localdate())
    moves = change_request.transitions.exclude(from_stage="")
    if fields.get("date_raised"):
        first = moves.order_by("date").values_list("date", flat=True).first()
        if first and fields["date_raised"] > first:
            raise ValidationError(
                {
                    "date_raised": f"{change_request.reference} first moved on {first:%d/%m/%Y}; "
                    "it cannot have been raised after that."
                }
            )
    if (
        "ia_working_days" in fields
        and "ia_deadline" not in fields
        and change_request.stage == Stage.IMPACT_ASSESSMENT
    ):
        started = (
            moves.filter(to_stage=Stage.IMPACT_ASSESSMENT)
            .order_by("-date", "-created_at")
            .values_list("date", flat=True)
            .first()
        )
        if started:
            fields["ia_deadline"] = add_working_days(started, fields["ia_working_days"])
    for name, value in fields.items():
        setattr(change_request, name, value)
    change_request.full_clean()
    change_request.save()
    return change_request


def linkable_record(reference):
    """The action, decision or RAID item with this reference, or None: the records that link
    to change requests, found through their relations to ChangeRequest."""
    for relation in ChangeRequest._meta.related_objects:
        if relation.many_to_many and relation.field.name == "change_requests":
            record = relation.related_model.objects.filter(reference=reference).first()
            if record is not None:
                return record
    return None


@transaction.atomic
def change_request_link(*, change_request, record):
    """Link an action, decision or RAID item to the CR (its change_requests list)."""
    record.change_requests.add(change_request)


@transaction.atomic
def change_request_unlink(*, change_request, record):
    record.change_requests.remove(change_request)
