"""Retention: a group keeps its closed records `retention_years` years; those past it are
listed for the secretariat to review, who archive each (its values kept in the retention
log, read-only, and the record taken out of its register) or delete it (only its reference
kept), always with a reason. Nothing is archived or deleted without that review.

A record something still depends on (a RAID item another supersedes, say) cannot be taken
out; the secretariat is told which.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q

from actions.models import ActionStatus
from changerequests.models import ApprovalStatus
from decisions.models import DecisionStatus
from raid.models import RaidStatus

from .as_at import REGISTERS, shown
from .public_models import RetentionLog, RetentionOutcome

# What "closed" means per register, and the date its retention runs from.
CLOSED = {
    "actions": (Q(status=ActionStatus.CLOSED), "closed_date"),
    "decisions": (~Q(status=DecisionStatus.PROPOSED), "decided_at"),
    "changerequests": (~Q(approval_status=ApprovalStatus.OPEN), "status_updated"),
    "raid": (~Q(status=RaidStatus.OPEN), "created_at"),
}


def cutoff(group, today) -> datetime.date | None:
    """Records closed before this date are past retention (None: the group keeps all)."""
    if not group.retention_years:
        return None
    try:
        return today.replace(year=today.year - group.retention_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - group.retention_years, day=28)


def past_retention(group, today) -> dict[str, list]:
    """{register key: records of the group past retention}, oldest first."""
    before = cutoff(group, today)
    if before is None:
        return {}
    found = {}
    for key, (closed, since) in CLOSED.items():
        model = REGISTERS[key].model
        field = model._meta.get_field(since)
        is_moment = field.get_internal_type() == "DateTimeField"
        lookup = f"{since}__date__lt" if is_moment else f"{since}__lt"
        found[key] = list(
            model.objects.filter(closed, group=group, **{lookup: before}).order_by(since, "pk")
        )
    return found


def snapshot_of(register, record) -> list[list[str]]:
    """What an archived record keeps: [label, value as shown] of each of its register's
    columns."""
    return [
        [str(record._meta.get_field(name).verbose_name).capitalize(), shown(record, name)]
        for name in register.columns
    ]


@transaction.atomic
def retention_apply(*, group, kind, pk, outcome, reason, user, today) -> RetentionLog:
    """Archive or delete one record past retention, logging the reason. Refused if the
    record is not past retention (or no longer there) or something still depends on it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason: it is kept in the retention log."})
    register = REGISTERS[kind]
    record = next((r for r in past_retention(group, today).get(kind, []) if r.pk == pk), None)
    if record is None:
        raise ValidationError("That record is not past its retention.")
    entry = RetentionLog(
        group=group,
        kind=kind,
        reference=record.reference,
        outcome=outcome,
        reason=reason,
        by=user,
        snapshot=snapshot_of(register, record) if outcome == RetentionOutcome.ARCHIVED else [],
    )
    entry.full_clean()
    try:
        with transaction.atomic():
            record.delete()
    except ProtectedError as exc:
        names = ", ".join(sorted({str(obj) for obj in exc.protected_objects})[:5])
        raise ValidationError(
            f"{record.reference} cannot be taken out: {names} refer to it."
        ) from exc
    entry.save()
    return entry
