"""The registers (actions, decisions, change requests, RAID) as they stood at a moment: the
start of a meeting, or the end of a day. Read from the records' history (simple-history's
`as_of`: each record's latest version saved by then), so a record edited since shows the
values it had then, and one created since is absent.

A record typed in later from a past paper (an old minutes pack) has no version before it
was typed in, so it cannot be shown as it stood; `entered_later` counts those (raised by
then, recorded after), and the page says so rather than guessing.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from actions.models import Action, ActionStatus
from changerequests.models import ApprovalStatus, ChangeRequest
from core.permissions import filter_visible
from decisions.models import Decision, DecisionStatus
from raid.models import RaidItem, RaidStatus


@dataclass(frozen=True)
class Register:
    key: str
    label: str
    model: type
    columns: tuple[str, ...]  # the model's fields shown, in order
    # What "open" meant then (filtered on the values then).
    open_filter: Q
    raised_field: str  # the date a record was raised, for `entered_later`


REGISTERS = {
    register.key: register
    for register in (
        Register(
            "actions",
            "Actions",
            Action,
            ("reference", "area", "text", "owner_printed", "due_date", "status", "closed_date"),
            ~Q(status=ActionStatus.CLOSED),
            "date_raised",
        ),
        Register(
            "decisions",
            "Decisions",
            Decision,
            ("reference", "area", "wording", "status", "decided_at"),
            Q(status=DecisionStatus.PROPOSED),
            "created_at",
        ),
        Register(
            "changerequests",
            "Change requests",
            ChangeRequest,
            ("reference", "title", "approval_status", "stage", "latest_action", "next_action"),
            Q(approval_status=ApprovalStatus.OPEN),
            "date_raised",
        ),
        Register(
            "raid",
            "RAID items",
            RaidItem,
            ("reference", "raid_type", "title", "probability", "impact", "status", "mitigation"),
            Q(status=RaidStatus.OPEN),
            "date_raised",
        ),
    )
}


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The moment a day ends in the UK: "as at 11/10/2023" includes that day's changes."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def rows_as_at(register: Register, *, user, at, groups=None, only_open=False):
    """The register's records (model instances with the values they had at `at`) that the
    user may read, of `groups` (a queryset or list of groups; None: every group visible),
    ordered by reference. One query."""
    rows = register.model.history.as_of(at)
    rows = filter_visible(user, rows)
    if groups is not None:
        rows = rows.filter(group__in=groups)
    if only_open:
        rows = rows.filter(register.open_filter)
    return rows.order_by("reference")


def entered_later(register: Register, *, user, at, groups=None) -> int:
    """Records raised before `at` whose first version was saved after it: typed in from
    past papers, so not known as they stood."""
    raised = timezone.localtime(at).date() if isinstance(at, datetime.datetime) else at
    records = filter_visible(user, register.model.objects.all())
    if groups is not None:
        records = records.filter(group__in=groups)
    if register.raised_field == "created_at":
        return 0  # raised when recorded: never entered later than it was raised
    first_saved = (
        register.model.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return (
        # Raised on a day before `at`'s (the end of a day is midnight of the next): one
        # raised on the meeting's own day may have been raised there, after it started.
        records.filter(**{f"{register.raised_field}__lt": raised})
        .annotate(first_saved=Subquery(first_saved))
        .filter(first_saved__gt=at)
        .count()
    )


@dataclass(frozen=True)
class Difference:
    label: str
    then: str
    now: str

    @property
    def changed(self) -> bool:
        return self.then != self.now


def shown(record, name) -> str:
    """A field's value as the page shows it: choices by label, dates dd/mm/yyyy."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def compare(register: Register, then, now) -> list[Difference]:
    """Each column of the register: its value at the time beside today's."""
    return [
        Difference(
            label=str(register.model._meta.get_field(name).verbose_name).capitalize(),
            then=shown(then, name),
            now=shown(now, name),
        )
        for name in register.columns
    ]
