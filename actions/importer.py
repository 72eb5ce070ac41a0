"""Import of an existing action log (CSV or XLSX): read, preview, then commit all or nothing.

An upload is read into a Plan: one PlannedRow per line of the file with what it will become
and its problems. The plan is kept in the uploader's session under a random token until
they confirm it; nothing is written before then, not even the new people. Confirming
imports every row that is not already in the tracker, or none of them: any problem, or a
change in the database since the preview (ImportConflict), rolls the whole import back.

The columns are those of the papers' action tables and of the register's export (Ref,
Date raised, Area, Action, Owner, Due, Status, Latest update, Latest update date); dates are
dd/mm/yyyy (or real dates in Excel); Due may be "ASAP" or "Next meeting"; the owner is
written as the papers do: "Programme (Paul Pettitt & Lee Cox)", "Ofgem", "Lee Cox".
"""

import csv
import datetime
import io
import re
import secrets
import zipfile
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from openpyxl import load_workbook

from core.models import GovernanceGroup, Person

from .models import Action, ActionStatus, DueKind, UpdateSource
from .services import action_add_update, action_create

MAX_ROWS = 5000
SESSION_PREFIX = "action_import:"
# Header as written (lower case, single spaces) -> column.
COLUMNS = {
    "ref": "reference",
    "ref.": "reference",
    "reference": "reference",
    "action ref": "reference",
    "date raised": "date_raised",
    "raised": "date_raised",
    "date": "date_raised",
    "area": "area",
    "action": "text",
    "owner": "owner",
    "owners": "owner",
    "due": "due",
    "due date": "due",
    "status": "status",
    "latest update": "update_text",
    "update": "update_text",
    "latest update date": "update_date",
    "update date": "update_date",
}
REQUIRED = {
    "reference": "Ref",
    "date_raised": "Date raised",
    "text": "Action",
    "owner": "Owner",
    "due": "Due",
    "status": "Status",
}
STATUSES = {
    "OPEN": ActionStatus.OPEN,
    "NEW": ActionStatus.OPEN,
    "ONGOING": ActionStatus.ONGOING,
    "RECOMMEND CLOSED": ActionStatus.RECOMMEND_CLOSED,
    "RECOMMEND CLOSE": ActionStatus.RECOMMEND_CLOSED,
    "RECOMMEND CLOSURE": ActionStatus.RECOMMEND_CLOSED,
    "RECOMMENDED CLOSED": ActionStatus.RECOMMEND_CLOSED,
    "CLOSED": ActionStatus.CLOSED,
}
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%b-%y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y")
NEXT_MEETING = re.compile(r"^next\s+(meeting|[a-z]{2,12})$", re.IGNORECASE)
PARTY_WITH_NAMES = re.compile(r"^(?P<party>[^()]+?)\s*\((?P<names>[^()]+)\)$")
NAME_SEPARATORS = re.compile(r"\s*(?:&|/|;|,|\band\b)\s*")
# A personal name: two to four capitalised words with a lower-case letter each, so "PMO",
# "NGESO" or "DAG members" are not taken for people...
NAME_WORD = re.compile(r"^[A-Z][A-Za-z'’-]*[a-z][A-Za-z'’-]*$")
# ...nor bodies written like names ("Design Team", "NGESO Representative").
NOT_NAME_WORDS = {
    "team", "group", "groups", "representative", "representatives", "member", "members",
    "programme", "board", "chair", "secretariat", "office", "lead", "leads", "industry",
    "participants", "party", "parties", "panel", "forum", "workstream", "management",
    "authority", "design", "testing", "all",
}  # fmt: skip
FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@\t\r])")
MAX_LENGTHS = {"reference": 40, "area": 300, "party": 200, "name": 200}


class ImportConflict(Exception):
    """The database changed between preview and confirmation; `plan` has the new problems."""

    def __init__(self, plan):
        super().__init__("The actions changed since the preview.")
        self.plan = plan


@dataclass
class PlannedRow:
    line: int
    reference: str = ""
    date_raised: str = ""  # ISO dates: the plan is stored as JSON
    area: str = ""
    text: str = ""
    owner: str = ""
    party: str = ""
    people: list = field(default_factory=list)  # names, existing or new
    due_kind: str = DueKind.DATE
    due_date: str = ""
    status: str = ActionStatus.OPEN
    update_text: str = ""
    update_date: str = ""
    meeting_id: int | None = None
    exists: bool = False  # already in the tracker: reported, left alone
    problems: list = field(default_factory=list)

    # For the preview, which shows dates the UK way and statuses as the papers write them.
    @property
    def raised_on(self):
        return datetime.date.fromisoformat(self.date_raised) if self.date_raised else None

    @property
    def due_on(self):
        return datetime.date.fromisoformat(self.due_date) if self.due_date else None

    @property
    def updated_on(self):
        return datetime.date.fromisoformat(self.update_date) if self.update_date else None

    @property
    def status_label(self):
        return ActionStatus(self.status).label


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


# Reading the file ----------------------------------------------------------------------------


def read_upload(content: bytes, filename: str, *, group) -> Plan:
    """The plan for an uploaded file: file-level errors (not a spreadsheet, columns
    missing) or one planned row per line with its problems."""
    plan = Plan(group_id=group.pk, filename=filename)
    plan._group = group
    try:
        table = _read_table(content)
    except ValueError as error:
        plan.file_errors.append(str(error))
        return plan
    table = [(number, cells) for number, cells in table if any(_text(c) for c in cells)]
    if not table:
        plan.file_errors.append("The file is empty.")
        return plan
    header, *lines = table
    columns = _columns(header, plan)
    if plan.file_errors:
        return plan
    if not lines:
        plan.file_errors.append("The file has a header row but no actions.")
        return plan
    if len(lines) > MAX_ROWS:
        plan.file_errors.append(f"The file has {len(lines)} actions; import at most {MAX_ROWS}.")
        return plan
    plan.rows = [_parse_row(number, cells, columns) for number, cells in lines]
    _check_references(plan)
    _resolve_people(plan)
    _link_meetings(plan)
    return plan


def _read_table(content):
    """[(line number, [cells])]: a header line then the data lines."""
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValueError("This is an old Excel (.xls) file: save it as .xlsx or CSV.")
    if b"\x00" in content[:8192]:
        raise ValueError("This is not a CSV or Excel (.xlsx) file.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes all but five bytes; those land here
        raise ValueError("The file's text encoding is unknown: save it as UTF-8 CSV.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise ValueError(f"The CSV file cannot be read: {error}.") from error


def _read_xlsx(content):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ValueError("This is not a readable Excel (.xlsx) file.") from error
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, list(row))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as error:
        raise ValueError("This is not a readable Excel (.xlsx) file.") from error
    finally:
        workbook.close()


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, datetime.date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return FORMULA_ESCAPE.sub("", str(cell).strip())


def _columns(header, plan):
    """{column: index} from the header line; missing columns are file errors."""
    _, cells = header
    columns = {}
    for index, cell in enumerate(cells):
        name = " ".join(_text(cell).lower().replace("*", "").split())
        if not name:
            continue
        column = COLUMNS.get(name)
        if column is None:
            plan.ignored_columns.append(_text(cell))
        elif column in columns:
            plan.file_errors.append(f"The column “{_text(cell)}” appears twice.")
        else:
            columns[column] = index
    missing = [label for column, label in REQUIRED.items() if column not in columns]
    if missing:
        plan.file_errors.append(
            "Missing column"
            + ("s" if len(missing) > 1 else "")
            + ": "
            + ", ".join(missing)
            + ". The first row must name the columns Ref, Date raised, Area, Action, Owner, "
            "Due, Status, Latest update, Latest update date."
        )
    return columns


def _parse_row(number, cells, columns):
    def cell(column):
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    row = PlannedRow(line=number)
    problems = row.problems
    row.reference = _text(cell("reference"))
    if not row.reference:
        problems.append("No Ref.")
    elif len(row.reference) > MAX_LENGTHS["reference"]:
        problems.append(f"Ref is longer than {MAX_LENGTHS['reference']} characters.")
    elif "/" in row.reference or any(not ch.isprintable() for ch in row.reference):
        problems.append("Ref cannot contain “/” or control characters.")
    raised = _date(cell("date_raised"), "Date raised", problems, required=True)
    row.date_raised = raised.isoformat() if raised else ""
    row.area = _text(cell("area"))
    if len(row.area) > MAX_LENGTHS["area"]:
        problems.append(f"Area is longer than {MAX_LENGTHS['area']} characters.")
    row.text = _text(cell("text"))
    if not row.text:
        problems.append("No Action text.")
    row.owner = _text(cell("owner"))
    _parse_due(row, cell("due"))
    status = " ".join(_text(cell("status")).upper().replace("_", " ").split())
    if status:
        if status in STATUSES:
            row.status = STATUSES[status]
        else:
            problems.append(
                f"Status “{_text(cell('status'))}” is not one of OPEN, ONGOING, "
                "RECOMMEND CLOSED, CLOSED."
            )
    row.update_text = _text(cell("update_text"))
    update_date = _date(cell("update_date"), "Latest update date", problems)
    row.update_date = update_date.isoformat() if update_date else ""
    if row.update_text and not update_date and "Latest update date" not in " ".join(problems):
        problems.append("The latest update has no Latest update date.")
    if update_date and not row.update_text:
        problems.append("Latest update date is given but the Latest update is empty.")
    if update_date and raised and update_date < raised:
        problems.append("The latest update is dated before the action was raised.")
    return row


def _date(value, label, problems, required=False):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        if required:
            problems.append(f"No {label}.")
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    problems.append(f"{label} “{text}” is not a date: write it as dd/mm/yyyy.")
    return None


def _parse_due(row, value):
    text = _text(value)
    if text.upper() == "ASAP":
        row.due_kind = DueKind.ASAP
    elif NEXT_MEETING.match(text):
        row.due_kind = DueKind.NEXT_MEETING
    elif not text:
        row.problems.append("No Due: give a date, ASAP or Next meeting.")
    else:
        due = _date(value, "Due", row.problems)
        row.due_date = due.isoformat() if due else ""


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


def split_owner(written, known):
    """The Owner cell -> (party, [names]). `known` holds the lower-cased names of people
    already in the tracker; other names count as people only if they read like one."""

    def people(text):
        names = [name.strip() for name in NAME_SEPARATORS.split(text) if name.strip()]
        if names and all(name.lower() in known or _looks_like_name(name) for name in names):
            return names
        return None

    if not written:
        return "", []
    match = PARTY_WITH_NAMES.match(written)
    if match:
        names = people(match["names"])
        if names:
            return match["party"].strip(), names
        return written, []
    names = people(written)
    if names:
        return "", names
    return written, []


def _looks_like_name(name):
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(NAME_WORD.match(word) for word in words)
        and not any(word.lower() in NOT_NAME_WORDS for word in words)
    )


def _name_candidates(written):
    match = PARTY_WITH_NAMES.match(written)
    text = match["names"] if match else written
    return {name.strip().lower() for name in NAME_SEPARATORS.split(text) if name.strip()}


def _resolve_people(plan):
    """Owners' names matched to existing people (case-insensitively, in one query); names
    matching several people are a problem; the others are planned as new people.
    Returns {lower-cased name: [people so called]}."""
    candidates = set()
    for row in plan.rows:
        candidates |= _name_candidates(row.owner)
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
    its latest update: all or nothing. Raises ImportConflict, with nothing written, when the
    tracker changed since the preview in a way that changes the plan (a reference or a
    person added meanwhile); the caller shows the new plan for confirmation."""
    if plan.has_errors:
        raise ValueError("A plan with problems cannot be imported.")
    existing, new_people = [row.line for row in plan.existing], list(plan.new_people)
    # The preview had no problems, so any found now come from changes since.
    _check_references(plan)
    people = _resolve_people(plan)
    if plan.has_errors or existing != [row.line for row in plan.existing]:
        raise ImportConflict(plan)
    if new_people != plan.new_people:
        raise ImportConflict(plan)
    for name in plan.new_people:
        people[name.lower()] = [Person.objects.create(name=name)]
    group = plan.group
    try:
        return [_create(row, group, people, user) for row in plan.to_import]
    except (ValidationError, IntegrityError) as error:
        # Another import or edit took a reference between the check above and now.
        raise ImportConflict(plan) from error


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
