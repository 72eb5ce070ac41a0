"""The tables of a paper read from its lines, whatever their layout: columns found by their
headings in any order and wording ("Ref", "Ref.", "Action Ref"; "Due", "Due Date"), cells
separated by tabs (Word, a PDF's table) or not at all (text a PDF viewer copies, where a
row is the run of lines from one reference to the next), cells wrapped over two lines, a
table split over pages (its heading row printed again, page footers in between).

A line is a list of cells: one cell for a paragraph, several for a table row.
"""

import re

from .model import ActionRow, ChangeRequestRow, DecisionRow

# Heading as printed (lower case, no punctuation) -> column.
ACTION_COLUMNS = {
    "ref": "reference",
    "reference": "reference",
    "action ref": "reference",
    "action reference": "reference",
    "action no": "reference",
    "date": "date_raised",
    "date raised": "date_raised",
    "raised": "date_raised",
    "area": "area",
    "agenda item": "area",
    "topic": "area",
    "action": "text",
    "actions": "text",
    "action description": "text",
    "description": "text",
    "owner": "owner",
    "owners": "owner",
    "action owner": "owner",
    "owner s": "owner",
    "due": "due",
    "due date": "due",
    "target date": "due",
    "deadline": "due",
    "status": "status",
    "latest update": "update",
    "update": "update",
    "updates": "update",
    "comments": "update",
    "status update": "update",
}
DECISION_COLUMNS = {
    "area": "area",
    "agenda item": "area",
    "topic": "area",
    "dec ref": "reference",
    "decision ref": "reference",
    "ref": "reference",
    "reference": "reference",
    "decision": "wording",
    "decisions": "wording",
    "decision wording": "wording",
}
CR_COLUMNS = {
    "ref": "reference",
    "cr ref": "reference",
    "reference": "reference",
    "key detail": "title",
    "title": "title",
    "change raiser s": "raiser",
    "change raiser": "raiser",
    "raiser": "raiser",
    "change type": "change_type",
    "latest action": "latest_action",
    "approval status": "approval_status",
    "current stage in change control": "stage",
    "current stage": "stage",
    "stage": "stage",
}

ACTION_REF = re.compile(r"[A-Z][A-Z0-9]{1,11}(?:[ -]?\d+(?:\.\d+)?-\d{1,3}|-\d{2}-\d{2})")
DECISION_REF = re.compile(r"[A-Z][A-Z0-9]{1,11}-DEC-?\d+")
CR_REF = re.compile(r"CR\s?\d{3,4}")
DATE = re.compile(r"\b\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{2,4}\b|\b\d{1,2}/\d{5,6}\b")
UNDATED_DUE = re.compile(r"\b(ASAP|TBC|Ongoing|Next (?:meeting|[A-Z][a-z]+ [A-Z]{2,}))\b", re.I)
STATUS = re.compile(
    r"^(?P<status>RECOMMEND(?:ED)?\s+CLOS(?:ED|E|URE)|CLOSED|ONGOING|OPEN|NEW|COMPLETE[D]?)"
    r"\b\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4})?\s*(?:[:–—-]\s*)?",
    re.IGNORECASE,
)
# Lines a page break leaves in the middle of a table.
PAGE_FURNITURE = re.compile(
    r"^(page \d+( of \d+)?|\d{1,3}|document classification:?\s*\w*|.*\bdocument classification\b.*"
    r"|© .*)$",
    re.IGNORECASE,
)
PARTY_TAIL = {"representative", "representatives", "members", "team", "lead", "group"}


def key(text: str) -> str:
    """A heading compared: lower case, letters and digits only."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def clean(text: str) -> str:
    return " ".join(text.split())


def columns_of(cells, vocabulary) -> list | None:
    """The columns of a heading row (tabbed: one heading a cell), or None."""
    found = [vocabulary.get(key(cell)) for cell in cells]
    named = [name for name in found if name]
    if len(named) >= 2 and len(named) == len(set(named)) and len(named) >= len(cells) - 1:
        return found
    return None


def columns_in_line(text, vocabulary) -> list | None:
    """The columns of a heading row copied as one line ("Ref Action Owner Due Latest
    update"): the line read as a run of distinct headings, the reading with the most
    columns ("Action", "Owner" rather than "Action owner")."""
    words = tuple(key(text).split())
    if not words or len(words) > 30:
        return None
    headings = {tuple(h.split()): column for h, column in vocabulary.items()}
    best = {len(words): []}
    for start in range(len(words) - 1, -1, -1):
        options = []
        for heading, column in headings.items():
            end = start + len(heading)
            rest = best.get(end)
            if words[start:end] == heading and rest is not None and column not in rest:
                options.append([column, *rest])
        if options:
            best[start] = max(options, key=len)
    found = best.get(0)
    if found and len(found) >= 3:
        return found
    return None


def is_furniture(cells, running=()) -> bool:
    text = clean(" ".join(cells))
    return bool(PAGE_FURNITURE.match(text)) or text in running


# Tabbed tables -----------------------------------------------------------------------------


def read_tabbed(lines, start, columns, row_start, running=()):
    """Rows ({column: text}) of a tabbed table whose heading row is lines[start], and the
    index after its last line. A row begins where `row_start(cells)` says; a line that
    does not is the rest of the row before (a cell wrapped onto the next line)."""
    width = len(columns)
    rows, at, pending_blank = [], start + 1, 0
    while at < len(lines):
        cells = lines[at]
        text = clean(" ".join(cells))
        if not text:
            pending_blank += 1
            at += 1
            continue
        if columns_of(cells, _vocabulary_for(columns)) == columns or is_furniture(cells, running):
            at += 1  # the heading row again (a table split over pages), or a page footer
            continue
        tabbed = len(cells) > 1
        following = lines[at + 1] if at + 1 < len(lines) else []
        if tabbed and not row_start(cells) and len(following) > 1:
            # A row whose cell wrapped before its reference column: the two lines joined.
            joined = [*cells[:-1], f"{cells[-1]} {following[0]}", *following[1:]]
            if len(joined) <= width and row_start(joined):
                cells, at = joined, at + 1
        if tabbed and row_start(cells):
            rows.append(list(cells[:width]) + [""] * (width - len(cells)))
        elif rows and (tabbed or not pending_blank) and _continues(rows[-1], cells, width):
            _join(rows[-1], cells, width)
        else:
            break
        pending_blank = 0
        at += 1
    return [_as_dict(row, columns) for row in rows], at


def _vocabulary_for(columns):
    """The vocabulary whose columns these are (for recognising a repeated heading row)."""
    for vocabulary in (ACTION_COLUMNS, DECISION_COLUMNS, CR_COLUMNS):
        if set(filter(None, columns)) <= set(vocabulary.values()):
            return vocabulary
    return {}


def _continues(row, cells, width):
    return len(cells) <= width


def _join(row, cells, width):
    """The cells of a wrapped line added to the row: its first cell continues the row's
    last filled cell, the others fill the cells after it."""
    if len(cells) == width:
        # The rest of a row a page break cut: each cell goes on in its own column.
        for at, cell in enumerate(cells):
            row[at] = clean(f"{row[at]} {cell}")
        return
    filled = max((i for i, cell in enumerate(row) if cell.strip()), default=0)
    if len(cells) == 1 or filled + len(cells) > width:
        row[filled] = clean(f"{row[filled]} {' '.join(cells)}")
        return
    row[filled] = clean(f"{row[filled]} {cells[0]}")
    for offset, cell in enumerate(cells[1:], start=1):
        row[filled + offset] = clean(f"{row[filled + offset]} {cell}")


def _as_dict(row, columns):
    values = {}
    for name, cell in zip(columns, row, strict=False):
        if name:
            values[name] = clean(f"{values.get(name, '')} {cell}")
    return values


# Untabbed tables (a PDF viewer's copy) ------------------------------------------------------


def read_blocks(lines, start, row_pattern, stop, running=(), anywhere=False):
    """The rows of a table copied without tabs: each row the text from a line opening
    with `row_pattern` to the next; the table ends at a line `stop(text)` accepts. Returns
    ([(reference, text after it, text before it)], index after the table). With
    `anywhere`, a row's reference may follow a cell on its line (the area)."""
    blocks, at = [], start + 1
    while at < len(lines):
        text = clean(" ".join(lines[at]))
        if not blocks and at > start + 40:
            return [], start + 1  # no row under the heading: not a table after all
        if text and blocks and stop(text):
            break
        match = row_pattern.search(text) if anywhere else row_pattern.match(text)
        if match and anywhere and match.start() > 80:
            match = None
        if match:
            # What stands before the reference is a cell printed before it (the area).
            blocks.append([match[0], text[match.end() :], clean(text[: match.start()])])
        elif text and blocks and not is_furniture([text], running):
            # A word broken at a hyphen at the end of a line ("12-" "Apr-24") joins up.
            joint = "" if blocks[-1][1].endswith("-") else " "
            blocks[-1][1] += joint + text
        at += 1
    return [(clean(ref), clean(rest), before) for ref, rest, before in blocks], at


def split_action_block(reference, text, columns, before="") -> ActionRow:
    """One row of an untabbed actions table: the action's words, then its owner, its due
    date, its status and latest update, as its heading row orders them; `before`, the
    text before the reference (the area, when its column comes first)."""
    row = ActionRow(reference=normal_reference(reference), area=before)
    due = DATE.search(text) or UNDATED_DUE.search(text)
    before, after = (text[: due.start()], text[due.end() :]) if due else (text, "")
    if "date_raised" in columns and columns.index("date_raised") < columns.index("text"):
        raised = DATE.match(before.strip())
        if raised:
            row.date_raised = raised[0]
            before = before.strip()[raised.end() :]
            due = DATE.search(before) or due
    row.due = clean(due[0]) if due else ""
    row.text, row.owner = split_owner_tail(clean(before))
    row.status, row.status_date, row.update = split_status(clean(after))
    return row


def split_owner_tail(text):
    """ "Programme to ... BAU Programme (PMO)" -> (the action, "Programme (PMO)"): the
    owner is the bracketed part at the end with the party before it (one word, two for
    "NGESO Representative"), or the last two words when they read like a name."""
    match = re.search(r"\(([^()]*)\)\s*$", text)
    words = text[: match.start()].split() if match else text.split()
    if match:
        take = 1
        if words and words[-1].lower() in PARTY_TAIL and len(words) > 1:
            take = 2
        owner = " ".join([*words[-take:], match[0]])
        return clean(" ".join(words[:-take])), clean(owner)
    if len(words) > 2 and all(re.fullmatch(r"[A-Z][a-z'’-]+", w) for w in words[-2:]):
        return " ".join(words[:-2]), " ".join(words[-2:])
    return text, ""


def split_status(text):
    """ "CLOSED 18/01/22 – Seth Chapman ..." -> ("CLOSED", "18/01/22", "Seth Chapman ...")."""
    match = STATUS.match(text)
    if not match:
        return "", "", text
    status = " ".join(match["status"].upper().split())
    if status.startswith("RECOMMEND"):
        status = "RECOMMEND CLOSED"
    elif status == "NEW":
        status = "OPEN"
    elif status.startswith("COMPLETE"):
        status = "CLOSED"
    return status, match["date"] or "", text[match.end() :].strip()


def split_cr_block(reference, text, before="") -> ChangeRequestRow:
    """One row of an untabbed CR status table: title and raiser, change type, latest
    action, approval status and stage (the columns after are the plan if approved)."""
    row = ChangeRequestRow(reference=normal_reference(reference))
    kind = re.search(r"(Full\s+Impact\s+Assessment|Impact\s+Assessment|Fast\s+Track|Urgent)", text)
    if not kind:
        row.title = text
        return row
    row.change_type = clean(kind[0])
    head, tail = text[: kind.start()].strip(), text[kind.end() :].strip()
    raiser = re.search(r"\b[A-Z][a-z'’-]+\s+[A-Z][a-z'’-]+,\s", head)
    if raiser:
        row.title, row.raiser = clean(head[: raiser.start()]), clean(head[raiser.start() :])
    else:
        row.title = clean(head)
    status = re.search(
        r"\b(Approved|Rejected|Open|Withdrawn|Deferred|On hold)\s+"
        r"(Complete|Closed|Approval decision|Implementation|Impact Assessment|Withdrawn|"
        r"Initial Assessment|Raised|Deferred)\b",
        tail,
    )
    if status:
        row.latest_action = clean(tail[: status.start()])
        row.approval_status, row.stage = status[1], status[2]
    else:
        row.latest_action = clean(tail)
    return row


def action_from_cells(values) -> ActionRow:
    due = values.get("due", "")
    if match := re.match(r"^(.*?)\s+(OPEN|ONGOING|RECOMMEND CLOSED|CLOSED)$", due):
        # The tracker's own minutes print a closed action's status under its due date.
        values = {**values, "due": match[1], "status": values.get("status") or match[2]}
    status, status_date, update = split_status(values.get("status", ""))
    if values.get("update"):
        # A separate "Latest update" column: its own status word, if any, wins.
        own = split_status(values["update"])
        status, status_date, update = own if own[0] else (status, status_date, own[2])
        if not status:
            status = values.get("status", "").upper()
    return ActionRow(
        reference=normal_reference(values.get("reference", "")),
        text=values.get("text", ""),
        area=values.get("area", ""),
        owner=values.get("owner", ""),
        due=values.get("due", ""),
        date_raised=values.get("date_raised", ""),
        status=status,
        status_date=status_date,
        update=update,
    )


def decision_from_cells(values) -> DecisionRow:
    return DecisionRow(
        reference=normal_reference(values.get("reference", "")),
        wording=values.get("wording", ""),
        area=values.get("area", ""),
    )


def cr_from_cells(values) -> ChangeRequestRow:
    return ChangeRequestRow(
        reference=normal_reference(values.get("reference", "")),
        **{k: values.get(k, "") for k in ("title", "raiser", "change_type", "latest_action")},
        approval_status=values.get("approval_status", ""),
        stage=values.get("stage", ""),
    )


def normal_reference(text: str) -> str:
    """ "DES 01-05" and "cr 043" as the tracker keeps them: DES-01-05, CR043."""
    text = clean(text).upper()
    text = re.sub(r"^([A-Z]+)\s+(\d{2}-\d{2})$", r"\1-\2", text)
    return re.sub(r"\s+", "", text)
