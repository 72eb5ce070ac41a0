"""The registers (actions, decisions, change requests, RAID) as they stood at a moment: the
start of a meeting, or the end of a day. Read from the records' history (simple-history's
`as_of`: each record's latest version saved by then), so a record edited since shows the
values it had then, and one created since is absent.

A record typed in later from a past paper (an old minutes pack) has no version before it
was typed in, so it cannot be shown as it stood; `entered_later` counts those (raised by
then, recorded after), and the page says so rather than guessing. The actions register lists
them too (`actions_as_at`), as they are now and marked so, because the minutes' table of
outstanding actions is this register as at the meeting's start and must not lose an action
the paper listed.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from actions.models import (
    REGISTER_OWNERS,
    Action,
    ActionOwner,
    ActionStatus,
    HistoricalActionOwner,
    natural_sort_key,
)
from changerequests.models import ApprovalStatus, ChangeRequest
from core.permissions import filter_visible
from decisions.models import Decision, DecisionStatus
from raid.models import RaidItem, RaidStatus

from .models import Meeting

PAGE_SIZE = 50  # rows a page of a register as at a moment


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
            # Owners and due as the minutes print them (owner_display, due_display).
            ("reference", "area", "text", "owners", "due_date", "status", "closed_date"),
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


def versions_as_of(model, at):
    """The latest version of each of `model`'s records saved by `at`, deleted ones left
    out: simple-history's `as_of` as a queryset of versions. Its own conversion to
    instances reads each record's fields left out of the history (the search vector, the
    sort key) with a query per record; `as_instances` needs none."""
    return model.history.filter(history_date__lte=at).latest_of_each().exclude(history_type="-")


def as_instances(versions) -> list:
    """Each version as an instance of its model with the values it had (fields left out of
    the history at their defaults: such an instance is for reading, never saving), its
    version in `_history` as simple-history sets it."""
    rows = []
    for version in versions:
        row = version.instance_type(
            **{field.attname: getattr(version, field.attname) for field in version.tracked_fields}
        )
        row._history = version
        rows.append(row)
    return rows


def rows_as_at(register: Register, *, user, at, groups=None, only_open=False) -> list:
    """The register's records (model instances with the values they had at `at`) that the
    user may read, of `groups` (a queryset or list of groups; None: every group visible),
    ordered by reference. One query. `user` None: every record (a document the group's
    readers share, such as the minutes)."""
    versions = _versions(register, user=user, at=at, groups=groups, only_open=only_open)
    return as_instances(versions.order_by("reference"))


def _versions(register: Register, *, user, at, groups, only_open):
    rows = versions_as_of(register.model, at)
    if user is not None:
        rows = filter_visible(user, rows)
    if groups is not None:
        rows = rows.filter(group__in=groups)
    if only_open:
        rows = rows.filter(register.open_filter)
    return rows


def page_as_at(register: Register, *, user, at, groups=None, only_open=False, number=1):
    """One page (PAGE_SIZE rows) of the register as at `at`, in the order `rows_as_at` and
    `actions_as_at` give: (the Page, its rows as they give them). A register of a
    programme's size holds tens of thousands of rows then: every row's reference and key
    are read (one small query a source), then only the page's rows in full."""
    versions = _versions(register, user=user, at=at, groups=groups, only_open=only_open)
    keys = [
        (reference, pk, False)
        for reference, pk in versions.order_by("reference").values_list("reference", "history_id")
    ]
    later = None
    if register.key == "actions":
        later = _actions_entered_later(user=user, at=at, groups=groups, only_open=only_open)
        keys += [(reference, pk, True) for reference, pk in later.values_list("reference", "pk")]
        keys.sort(key=lambda key: natural_sort_key(key[0]))
    page = Paginator(keys, PAGE_SIZE).get_page(number)
    shown = versions.filter(history_id__in=[pk for _, pk, typed_in in page if not typed_in])
    if later is None:
        return page, as_instances(shown.order_by("reference"))
    later = later.filter(pk__in=[pk for _, pk, typed_in in page if typed_in])
    return page, _action_rows(shown, later)


def entered_later(register: Register, *, user, at, groups=None) -> int:
    """Records raised before `at` whose first version was saved after it: typed in from
    past papers, so not known as they stood."""
    if register.raised_field == "created_at":
        return 0  # raised when recorded: never entered later than it was raised
    return _entered_later(register, user=user, at=at, groups=groups).count()


def _entered_later(register: Register, *, user, at, groups):
    raised = timezone.localtime(at).date() if isinstance(at, datetime.datetime) else at
    records = register.model.objects.all()
    if user is not None:
        records = filter_visible(user, records)
    if groups is not None:
        records = records.filter(group__in=groups)
    first_saved = (
        register.model.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    # Raised on a day before `at`'s (the end of a day is midnight of the next): one raised
    # on the meeting's own day may have been raised there, after it started.
    return (
        records.filter(**{f"{register.raised_field}__lt": raised})
        .annotate(first_saved=Subquery(first_saved))
        .filter(first_saved__gt=at)
    )


def with_owners_then(actions):
    """`actions` (instances read from their history) with the owners each version was
    saved with (simple-history keeps them per version), for `owner_display()`: one query."""
    owners_then = {}
    for owner in (
        HistoricalActionOwner.objects.filter(
            history_id__in=[action._history.history_id for action in actions]
        )
        .select_related("person")
        .order_by("order", "pk")
    ):
        owners_then.setdefault(owner.history_id, []).append(owner)
    for action in actions:
        setattr(action, REGISTER_OWNERS, owners_then.get(action._history.history_id, []))
    return actions


def actions_as_at(*, at, user=None, groups=None, only_open=False) -> list[Action]:
    """The actions register as at `at`, as its page and the minutes of a meeting starting
    then both show it, in reference order: each action with the values and owners it had
    then; and, marked `typed_in_later` and as they are now, those raised before `at`'s day
    whose first version was saved after it (typed in from past papers), open then by
    their dates (not closed, or closed on that day or later, or at a meeting then or
    later). Each row's meeting, owners
    and "Next DAG" date are read with the rows, so `owner_display()`, `due_display()` and
    `row.meeting` need no query of their own: six queries whatever the number of rows."""
    register = REGISTERS["actions"]
    return _action_rows(
        _versions(register, user=user, at=at, groups=groups, only_open=only_open),
        _actions_entered_later(user=user, at=at, groups=groups, only_open=only_open),
    )


def _actions_entered_later(*, user, at, groups, only_open):
    later = _entered_later(REGISTERS["actions"], user=user, at=at, groups=groups)
    if only_open:
        day = timezone.localtime(at).date()
        # Closed at a meeting on that day or later: open then, whatever date its review
        # gave the closure (a review may date it earlier, when the owner said it was done).
        later = later.filter(
            Q(closed_date__isnull=True) | Q(closed_date__gte=day) | Q(closed_meeting__date__gte=day)
        )
    return later


def _action_rows(versions, later) -> list[Action]:
    """The action rows of `versions` (as they were) and of `later` (typed in later, as they
    are now), in reference order, with their owners, meetings and "Next DAG" dates."""
    rows = with_owners_then(as_instances(versions.order_by("reference")))
    for row in rows:
        row.typed_in_later = False
    later = list(
        later.prefetch_related(
            Prefetch(
                "ownerships",
                queryset=ActionOwner.objects.select_related("person"),
                to_attr=REGISTER_OWNERS,
            )
        )
    )
    for row in later:
        row.typed_in_later = True
    rows = sorted(rows + later, key=lambda row: natural_sort_key(row.reference))
    # The "Next DAG" date and the group's code from the group's meetings as they are
    # scheduled now; and each row's meeting.
    resolved = {
        pk: (next_date, code)
        for pk, next_date, code in Action.objects.filter(pk__in=[row.pk for row in rows])
        .with_next_meeting_date()
        .values_list("pk", "next_meeting_date", "due_group_code")
    }
    meetings = Meeting.objects.select_related("group").in_bulk(
        {row.meeting_id for row in rows if row.meeting_id}
    )
    for row in rows:
        row.next_meeting_date, row.due_group_code = resolved.get(row.pk, (None, ""))
        row.meeting = meetings.get(row.meeting_id)
    return rows


@dataclass(frozen=True)
class Difference:
    label: str
    then: str
    now: str

    @property
    def changed(self) -> bool:
        return self.then != self.now


# Columns shown as the papers write them rather than as stored.
PRINTED = {(Action, "owners"): Action.owner_display, (Action, "due_date"): Action.due_display}


def shown(record, name) -> str:
    """A field's value as the page shows it: an action's owners and due date as the
    minutes print them; choices by label, dates dd/mm/yyyy."""
    printed = PRINTED.get((type(record), name))
    if printed is not None:
        return printed(record) or "—"
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
