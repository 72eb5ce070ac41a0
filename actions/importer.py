"""Import of an existing action log (CSV or XLSX): read, preview, then commit all or nothing.

An upload is read into a Plan: one PlannedRow per line of the file (read by
actions/import_file.py) with what it will become and its problems. The plan is kept in the
uploader's session under a random token until they confirm it; nothing is written before
then, not even the new people. Confirming imports every row that is not already in the
tracker and updates the status, due and latest update of those that are
(actions/import_updates.py, shown field by field in the preview), or does none of it: any
problem, or a change in the database since the preview (ImportConflict), rolls the whole
import back.

The columns are those of the papers' action tables and of the register's export (Ref,
Date raised, Area, Action, Owner, Due, Status, Latest update, Latest update date); dates are
dd/mm/yyyy (or real dates in Excel); Due may be "ASAP" or "Next meeting"; the owner is
written as the papers do: "Programme (Paul Pettitt & Lee Cox)", "Ofgem", "Lee Cox".
"""

import datetime
import re
import secrets
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from core.models import GovernanceGroup, Person
from core.nul import nul_position

from .import_file import (
    MAX_LENGTHS,
    PlannedRow,
    cell_text,
    name_candidates,
    parse_row,
    read_columns,
    read_table,
    split_owner,
)
from .import_updates import apply_update, diff_existing
from .models import Action, ActionStatus, UpdateSource
from .services import action_add_update, action_create

MAX_ROWS = 5000
SESSION_PREFIX = "action_import:"


class ImportConflict(Exception):
    """The database changed between preview and confirmation; `plan` has the new problems."""

    def __init__(self, plan):
        super().__init__("The actions changed since the preview.")
        self.plan = plan


@dataclass
class Plan:
    group_id: int
    filename: str
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    new_people: list = field(default_factory=list)

    @property
    def group(self):
        if not hasattr(self, "_group"):
            self._group = GovernanceGroup.objects.get(pk=self.group_id)
        return self._group

    @property
    def has_errors(self):
        return bool(self.file_errors) or any(row.problems for row in self.rows)

    @property
    def problem_rows(self):
        return [row for row in self.rows if row.problems]

    @property
    def to_import(self):
        return [row for row in self.rows if not row.exists]

    @property
    def existing(self):
        return [row for row in self.rows if row.exists]

    @property
    def to_update(self):
        """Rows of actions the tracker holds whose status, due or latest update differ."""
        return [row for row in self.rows if row.exists and row.changes]

    @property
    def unchanged(self):
        return [row for row in self.rows if row.exists and not row.changes and not row.problems]


# Planning the import -----------------------------------------------------------------------


def get_column_letter(index: int) -> str:
    """A spreadsheet's column letters, 1 -> "A", 28 -> "AB" (what openpyxl's function
    gives, without importing openpyxl into every process that loads this module)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_upload(content: bytes, filename: str, *, group) -> Plan:
    """The plan for an uploaded file: file-level errors (not a spreadsheet, columns
    missing) or one planned row per line with its problems."""
    plan = Plan(group_id=group.pk, filename=filename)
    plan._group = group
    try:
        table = read_table(content, max_actions=MAX_ROWS)
    except ValueError as error:
        plan.file_errors.append(str(error))
        return plan
    nul_cells = _replace_nul_characters(table)
    table = [(number, cells) for number, cells in table if any(cell_text(c) for c in cells)]
    if not table:
        plan.file_errors.append("The file is empty.")
        return plan
    header, *lines = table
    if nul_cells.get(header[0]):
        plan.file_errors.append(
            f"The header row (line {header[0]}) contains a NUL character in column "
            f"{get_column_letter(nul_cells[header[0]][0][0] + 1)}: remove it and upload the "
            "file again."
        )
        return plan
    columns = read_columns(header, plan)
    if plan.file_errors:
        return plan
    if not lines:
        plan.file_errors.append("The file has a header row but no actions.")
        return plan
    plan.rows = [parse_row(number, cells, columns) for number, cells in lines]
    for row in plan.rows:
        for index, position in nul_cells.get(row.line, []):
            name = cell_text(header[1][index]) if index < len(header[1]) else ""
            row.problems.append(
                f"Column {get_column_letter(index + 1)}{f' ({name})' if name else ''} has a NUL "
                f"character at character {position} (shown as ␀, an invisible control "
                "character often pasted from another program): remove it."
            )
    _check_references(plan)
    _resolve_people(plan)
    _link_meetings(plan)
    diff_existing(plan)
    return plan


def _replace_nul_characters(table):
    """{line: [(column index, position)]} of the cells holding a NUL character, which the
    database cannot store; each is replaced by "␀" so the preview shows where it was."""
    found = {}
    for number, cells in table:
        for index, cell in enumerate(cells):
            position = nul_position(cell)
            if position:
                cells[index] = cell.replace("\x00", "\u2400")
                found.setdefault(number, []).append((index, position))
    return found


def _check_references(plan):
    seen = {}
    for row in plan.rows:
        if not row.reference:
            continue
        if row.reference in seen:
            row.problems.append(f"Ref {row.reference} is also on line {seen[row.reference]}.")
        else:
            seen[row.reference] = row.line
    existing = set(
        Action.objects.filter(reference__in=list(seen)).values_list("reference", flat=True)
    )
    for row in plan.rows:
        row.exists = row.reference in existing


def _resolve_people(plan):
    """Owners' names matched to existing people (case-insensitively, in one query); names
    matching several people are a problem; the others are planned as new people.
    Returns {lower-cased name: [people so called]}."""
    candidates = set()
    for row in plan.rows:
        candidates |= name_candidates(row.owner)
    found = {}
    people = Person.objects.annotate(lower_name=Lower("name")).filter(
        lower_name__in=list(candidates)
    )
    for person in people:
        found.setdefault(person.lower_name, []).append(person)
    new = {}
    for row in plan.rows:
        row.party, row.people = split_owner(row.owner, found)
        if len(row.party) > MAX_LENGTHS["party"]:
            row.problems.append(f"Owner is longer than {MAX_LENGTHS['party']} characters.")
        for name in row.people:
            matches = found.get(name.lower(), [])
            if len(matches) > 1:
                row.problems.append(
                    f"{len(matches)} people are called {name}: import the action without "
                    "this owner and set it on the action's page."
                )
            elif len(name) > MAX_LENGTHS["name"]:
                row.problems.append(
                    f"An owner name is longer than {MAX_LENGTHS['name']} characters."
                )
            elif not matches:
                new.setdefault(name.lower(), name)
    plan.new_people = sorted(new.values())
    return found


def _link_meetings(plan):
    """DAG29-01 was raised at DAG029: link the meeting when the group has it."""
    group = plan.group
    pattern = re.compile(rf"^{re.escape(group.code)}(\d+)(?:\.(\d+))?-\d+$", re.ASCII)
    rows = group.meetings.values_list("pk", "number", "point")
    meetings = {(number, point): pk for pk, number, point in rows}
    for row in plan.rows:
        match = pattern.match(row.reference)
        if match:
            row.meeting_id = meetings.get((int(match[1]), int(match[2] or 0)))


# Keeping the plan between preview and confirmation -----------------------------------------


def store_plan(session, plan, token=None):
    token = token or secrets.token_urlsafe(16)
    session[SESSION_PREFIX + token] = asdict(plan)
    return token


def load_plan(session, token):
    data = session.get(SESSION_PREFIX + token)
    if data is None:
        return None
    rows = [PlannedRow(**row) for row in data.pop("rows")]
    return Plan(rows=rows, **data)


def drop_plan(session, token):
    session.pop(SESSION_PREFIX + token, None)


# Committing ---------------------------------------------------------------------------------


@transaction.atomic
def import_plan(*, plan, user):
    """Create the new people and every action of the plan not already in the tracker, with
    its latest update, and update the actions it holds whose status, due or latest update
    differ (actions/import_updates.py): all or nothing. Raises ImportConflict, with nothing
    written, when the tracker changed since the preview in a way that changes the plan (a
    reference or a person added meanwhile, an action's differences no longer those shown);
    the caller shows the new plan for confirmation. Returns (created, updated) actions."""
    if plan.has_errors:
        raise ValueError("A plan with problems cannot be imported.")
    existing, new_people = [row.line for row in plan.existing], list(plan.new_people)
    shown = [row.changes for row in plan.rows]
    # The preview had no problems, so any found now come from changes since.
    _check_references(plan)
    people = _resolve_people(plan)
    actions = diff_existing(plan, lock=True)
    if plan.has_errors or existing != [row.line for row in plan.existing]:
        raise ImportConflict(plan)
    if new_people != plan.new_people or shown != [row.changes for row in plan.rows]:
        raise ImportConflict(plan)
    for name in plan.new_people:
        people[name.lower()] = [Person.objects.create(name=name)]
    group = plan.group
    try:
        created = [_create(row, group, people, user) for row in plan.to_import]
        updated = [
            apply_update(row, actions[row.reference], user=user, filename=plan.filename)
            for row in plan.to_update
        ]
    except (ValidationError, IntegrityError) as error:
        # Another import or edit took a reference between the check above and now.
        raise ImportConflict(plan) from error
    return created, updated


def _create(row, group, people, user):
    has_update = bool(row.update_text)
    action = action_create(
        group=group,
        reference=row.reference,
        text=row.text,
        date_raised=datetime.date.fromisoformat(row.date_raised),
        meeting_id=row.meeting_id,
        area=row.area,
        owner_party=row.party,
        owners=[people[name.lower()][0] for name in row.people],
        due_kind=row.due_kind,
        due_date=datetime.date.fromisoformat(row.due_date) if row.due_date else None,
        status=ActionStatus.OPEN if has_update else row.status,
    )
    if has_update:
        action_add_update(
            action=action,
            text=row.update_text,
            date=datetime.date.fromisoformat(row.update_date),
            status=row.status,
            user=user,
            source=UpdateSource.IMPORT,
        )
    return action
