"""Reading an uploaded action log (CSV or XLSX) into planned rows, one per line of the
file with its problems: the cells, the columns, dates, due and status as the papers write
them, and owners split into a party and people's names. Nothing here reads the database;
actions/importer.py checks the rows against the tracker and imports them.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from core.uploads import MAX_CELL_CHARS, read_xlsx

from .models import ActionStatus, DueKind

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
UNDATED_DUES = {"ASAP": DueKind.ASAP, "TBC": DueKind.TBC, "ONGOING": DueKind.ONGOING}
WEEK_COMMENCING = re.compile(r"^w/?c\.?\s*(?P<date>\S+)$", re.IGNORECASE)
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
MAX_COLUMNS = 60  # columns read from a file; the log has 9
MAX_LENGTHS = {"reference": 40, "area": 300, "party": 200, "name": 200}


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
    exists: bool = False  # already in the tracker: its status, due and update are compared
    status_given: bool = False  # a blank Status cell leaves an existing action's status
    # [field, as the tracker has it, as the file has it] for an existing action
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    # For the preview, which shows dates the UK way and statuses as the papers write them.
    @property
    def raised_on(self):
        return datetime.date.fromisoformat(self.date_raised) if self.date_raised else None

    @property
    def due_on(self):
        return datetime.date.fromisoformat(self.due_date) if self.due_date else None

    @property
    def due_label(self):
        """As the preview shows it: "11/10/2023", "w/c 08/08/2022", "ASAP", "Next meeting"."""
        if self.due_kind == DueKind.DATE:
            return f"{self.due_on:%d/%m/%Y}" if self.due_on else "—"
        if self.due_kind == DueKind.WEEK_COMMENCING:
            return f"w/c {self.due_on:%d/%m/%Y}" if self.due_on else "—"
        return DueKind(self.due_kind).label

    @property
    def updated_on(self):
        return datetime.date.fromisoformat(self.update_date) if self.update_date else None

    @property
    def status_label(self):
        return ActionStatus(self.status).label


def read_table(content, *, max_actions):
    """[(line number, [cells])]: a header line then the data lines, at most `max_actions`
    of them holding something. An .xlsx is read through core.uploads (checked before it is
    opened, parsed in a bounded child process); a CSV is at most UPLOAD_MAX_BYTES of text,
    read line by line. Raises ValueError with the message for the form."""
    too_many = f"The file has more than {max_actions} actions; import at most {max_actions}."
    if content.startswith(b"PK\x03\x04"):
        return read_xlsx(
            content, max_rows=max_actions + 1, max_columns=MAX_COLUMNS, too_many=too_many
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValueError("This is an old Excel (.xls) file: save it as .xlsx or CSV.")
    if b"\x00" in content[:8192] and not _is_utf8(content):
        # A binary file or UTF-16 text; a NUL in UTF-8 text is shown at its row later.
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
    lines, filled = [], 0
    try:
        for row in reader:
            filled += any(cell.strip() for cell in row)
            if filled > max_actions + 1:  # and the header
                raise ValueError(too_many)
            if any(len(cell) > MAX_CELL_CHARS for cell in row):
                raise ValueError(
                    f"Line {reader.line_num} has a cell of more than {MAX_CELL_CHARS:,} characters."
                )
            lines.append((reader.line_num, row[:MAX_COLUMNS]))
    except csv.Error as error:
        raise ValueError(f"The CSV file cannot be read: {error}.") from error
    return lines


def _is_utf8(content):
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cell_text(cell):
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, datetime.date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return FORMULA_ESCAPE.sub("", str(cell).strip())


def read_columns(header, plan):
    """{column: index} from the header line; missing columns are file errors."""
    _, cells = header
    columns = {}
    for index, cell in enumerate(cells):
        name = " ".join(cell_text(cell).lower().replace("*", "").split())
        if not name:
            continue
        column = COLUMNS.get(name)
        if column is None:
            plan.ignored_columns.append(cell_text(cell))
        elif column in columns:
            plan.file_errors.append(f"The column “{cell_text(cell)}” appears twice.")
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


def parse_row(number, cells, columns):
    def cell(column):
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    row = PlannedRow(line=number)
    problems = row.problems
    row.reference = cell_text(cell("reference"))
    if not row.reference:
        problems.append("No Ref.")
    elif len(row.reference) > MAX_LENGTHS["reference"]:
        problems.append(f"Ref is longer than {MAX_LENGTHS['reference']} characters.")
    elif "/" in row.reference or any(not ch.isprintable() for ch in row.reference):
        problems.append("Ref cannot contain “/” or control characters.")
    raised = _date(cell("date_raised"), "Date raised", problems, required=True)
    row.date_raised = raised.isoformat() if raised else ""
    row.area = cell_text(cell("area"))
    if len(row.area) > MAX_LENGTHS["area"]:
        problems.append(f"Area is longer than {MAX_LENGTHS['area']} characters.")
    row.text = cell_text(cell("text"))
    if not row.text:
        problems.append("No Action text.")
    row.owner = cell_text(cell("owner"))
    _parse_due(row, cell("due"))
    status = " ".join(cell_text(cell("status")).upper().replace("_", " ").split())
    if status:
        if status in STATUSES:
            row.status = STATUSES[status]
            row.status_given = True
        else:
            problems.append(
                f"Status “{cell_text(cell('status'))}” is not one of OPEN, ONGOING, "
                "RECOMMEND CLOSED, CLOSED."
            )
    row.update_text = cell_text(cell("update_text"))
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
    text = cell_text(value)
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
    text = cell_text(value)
    week = WEEK_COMMENCING.match(text)
    if text.upper() in UNDATED_DUES:
        row.due_kind = UNDATED_DUES[text.upper()]
    elif week:
        due = _date(week["date"], "Due", row.problems)
        if due and due.weekday() != 0:
            row.problems.append(
                f"Due “{text}”: w/c is week commencing, and {due:%d/%m/%Y} is a {due:%A}."
            )
        elif due:
            row.due_kind = DueKind.WEEK_COMMENCING
            row.due_date = due.isoformat()
    elif NEXT_MEETING.match(text):
        row.due_kind = DueKind.NEXT_MEETING
    elif not text:
        row.problems.append("No Due: give a date, ASAP or Next meeting.")
    else:
        due = _date(value, "Due", row.problems)
        row.due_date = due.isoformat() if due else ""


def split_owner(written, known):
    """The Owner cell -> (party, [names]). `known` holds the lower-cased names of people
    already in the tracker; other names count as people only if they read like one."""

    def people(text):
        names = [name.strip() for name in NAME_SEPARATORS.split(text) if name.strip()]
        if names and all(name.lower() in known or looks_like_name(name) for name in names):
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


def looks_like_name(name):
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(NAME_WORD.match(word) for word in words)
        and not any(word.lower() in NOT_NAME_WORDS for word in words)
    )


def name_candidates(written):
    match = PARTY_WITH_NAMES.match(written)
    text = match["names"] if match else written
    return {name.strip().lower() for name in NAME_SEPARATORS.split(text) if name.strip()}
