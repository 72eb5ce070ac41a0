"""The preview of a pending import: the whole meeting the paper holds, row by row, each
saying whether it is new or changes a record the tracker holds (with the fields that
differ), with its problems beside it. Problems stop the commit until corrected; warnings
(text-extraction artefacts) are shown but do not. Reads the database, writes nothing."""

from dataclasses import dataclass, field

from actions.models import Action
from actions.owners import read_owner
from changerequests.models import ChangeRequest
from core.references import describe_holder, reference_holders
from decisions.models import Decision
from raid.models import RaidItem

from .interpret import (
    STATUSES,
    artefacts,
    printed_names,
    read_date,
    read_due,
    read_time,
    resolve,
)
from .model import Paper


@dataclass
class Row:
    section: str
    index: int
    values: dict  # field -> value as the paper prints it (the cells the secretariat edits)
    state: str = "new"  # "new", "updates", "unchanged"
    differences: list = field(default_factory=list)  # (field, held, paper)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    people: list = field(default_factory=list)  # Who, for the names this row prints


@dataclass
class Preview:
    paper: Paper
    meeting: object  # the group's meeting of that number, if the tracker holds it
    rows: dict  # section -> [Row]
    people: dict  # name -> Who

    @property
    def problems(self):
        return [
            (row, problem)
            for rows in self.rows.values()
            for row in rows
            for problem in row.problems
        ]

    @property
    def can_commit(self):
        return not self.problems

    def summary(self) -> dict:
        """The preview as plain data (manage.py import_papers --json)."""
        return {
            section: [
                {
                    "values": row.values,
                    "state": row.state,
                    "differences": row.differences,
                    "problems": row.problems,
                    "warnings": row.warnings,
                }
                for row in rows
            ]
            for section, rows in self.rows.items()
        }


def build_preview(*, group, paper: Paper, people: dict) -> Preview:
    names = resolve(printed_names(paper), people)
    header = paper.header
    meeting = None
    if header.number is not None:
        meeting = group.meetings.filter(number=header.number, point=header.point).first()
    rows = {
        "meeting": [_meeting_row(group, header, meeting)],
        "attendance": [_attendance_row(i, line, names) for i, line in enumerate(paper.attendance)],
        "agenda": [_agenda_row(i, entry, names) for i, entry in enumerate(paper.agenda)],
        "actions": _action_rows(group, header, paper.actions, names),
        "decisions": _rows(_decision_row, Decision, paper.decisions),
        "change_requests": _rows(_cr_row, ChangeRequest, paper.change_requests),
        "raid": _rows(_raid_row, RaidItem, paper.raid),
    }
    for section in rows.values():
        for row in section:
            for value in row.values.values():
                if isinstance(value, str):
                    row.warnings += artefacts(value)
    return Preview(paper=paper, meeting=meeting, rows=rows, people=names)


def _values(obj, names):
    return {name: getattr(obj, name) for name in names}


MEETING_FIELDS = (
    "number",
    "point",
    "date",
    "start_time",
    "end_time",
    "venue",
    "classification",
    "issue_date",
    "paper_title",
    "paper_reference",
    "paper_version",
    "held_by_correspondence",
)


def _meeting_row(group, header, meeting):
    values = _values(header, MEETING_FIELDS)
    values["next_meetings"] = ", ".join(header.next_meetings)
    row = Row("meeting", 0, values)
    if header.group_code and header.group_code.upper() != group.code:
        row.problems.append(
            f"This paper is of {header.group_code}, not {group.code}: import it into its group."
        )
    if header.number is None:
        row.problems.append("The paper gives no meeting number: type it (29 for DAG029).")
    day = read_date(header.date)
    if day is None:
        row.problems.append(f"Unreadable date “{header.date}”: type it as dd/mm/yyyy.")
    if header.issue_date and read_date(header.issue_date) is None:
        row.problems.append(f"Unreadable issue date “{header.issue_date}”.")
    for printed in header.next_meetings:
        following = read_date(printed)
        if following is None:
            row.problems.append(f"Unreadable next meeting date “{printed}”.")
        elif day and following <= day:
            row.problems.append(f"The next meeting ({printed}) is not after this one.")
    for name in ("start_time", "end_time"):
        try:
            read_time(getattr(header, name))
        except ValueError:
            row.problems.append(f"Unreadable time “{getattr(header, name)}”: type it as hh:mm.")
    if meeting is not None:
        row.state = "updates"
        held = {"date": f"{meeting.date:%d/%m/%Y}", "venue": meeting.venue}
        for name, value in held.items():
            if day and name == "date" and meeting.date != day:
                row.differences.append(("date", value, header.date))
            elif name != "date" and value != getattr(header, name):
                row.differences.append((name, value, getattr(header, name)))
        if (
            meeting.attendances.exists()
            or meeting.agenda_items.exists()
            or meeting.actions.exists()
        ):
            row.problems.append(
                f"{meeting.code} is already in the tracker with its records: the import only "
                "fills a meeting that is scheduled and empty."
            )
    return row


def _person_problems(row, names, printed):
    for name in printed:
        who = names.get(name)
        if who is None:
            continue
        row.people.append(who)
        if who.resolved:
            continue
        if who.several:
            row.problems.append(f"Several people are called {name}: choose one.")
        else:
            row.problems.append(f"{name} is not in the tracker: choose who it is, or add them.")


def _attendance_row(index, line, names):
    row = Row(
        "attendance",
        index,
        _values(
            line, ("section", "name", "initials", "role", "on_behalf_of", "part_meeting", "note")
        ),
    )
    _person_problems(row, names, [line.name] + ([line.on_behalf_of] if line.on_behalf_of else []))
    return row


def _agenda_row(index, entry, names):
    row = Row(
        "agenda",
        index,
        _values(
            entry,
            (
                "number",
                "title",
                "lead",
                "duration_minutes",
                "item_type",
                "objective",
                "minutes",
                "paper_text",
            ),
        ),
    )
    if entry.lead in names:
        row.people.append(names[entry.lead])  # a lead not in the tracker is kept as printed
    return row


def _action_rows(group, header, actions, names):
    prefix = f"{group.code}{header.number}" + (f".{header.point}" if header.point else "")
    rows = []
    references = [row.reference for row in actions]
    # With their owners: an action already held is compared by its owners as printed.
    held = {
        a.reference.upper(): a
        for a in Action.objects.filter(reference__in=references).prefetch_related(
            "ownerships__person"
        )
    }
    seen = set()
    for index, action in enumerate(actions):
        row = Row(
            "actions",
            index,
            _values(
                action,
                (
                    "reference",
                    "item",
                    "area",
                    "text",
                    "owner",
                    "due",
                    "date_raised",
                    "status",
                    "status_date",
                    "update",
                ),
            ),
        )
        if action.reference in seen:
            row.problems.append(f"{action.reference} is on the paper twice.")
        seen.add(action.reference)
        raised_here = header.number is not None and action.reference.upper().startswith(
            f"{prefix.upper()}-"
        )
        existing = held.get(action.reference.upper())
        if existing is not None and raised_here:
            row.problems.append(
                f"{action.reference} is already the reference of {describe_holder(existing)}."
            )
        elif existing is not None:
            row.state = "updates"
            for name, mine, theirs in (
                ("text", existing.text, action.text),
                ("owner", existing.owner_display(), action.owner),
                ("due", existing.due_display(), action.due),
                ("status", existing.get_status_display(), action.status),
            ):
                if theirs and mine != theirs:
                    row.differences.append((name, mine, theirs))
        elif not raised_here and not action.text:
            row.warnings.append(
                f"{action.reference} is not in the tracker: it will be held by its reference "
                "with what this paper says of it."
            )
        if action.due and read_due(action.due) is None:
            row.problems.append(f"Unreadable due date “{action.due}”.")
        for name in ("date_raised", "status_date"):
            value = getattr(action, name)
            if value and read_date(value) is None:
                row.problems.append(f"Unreadable date “{value}”.")
        if action.status and action.status not in STATUSES:
            row.problems.append(
                f"Unknown status “{action.status}”: OPEN, ONGOING, RECOMMEND CLOSED or CLOSED."
            )
        if existing is None and (action.text or raised_here):
            _person_problems(row, names, read_owner(action.owner).names)
        rows.append(row)
    return rows


def _rows(make_row, model, paper_rows):
    """Each row of the paper's section, with the record of `model` holding its reference
    (read together: one query for the section, not one a row)."""
    held = reference_holders(model, [row.reference for row in paper_rows])
    return [
        make_row(index, row, held.get(row.reference.upper()))
        for index, row in enumerate(paper_rows)
    ]


def _decision_row(index, decision, holder):
    row = Row("decisions", index, _values(decision, ("reference", "item", "area", "wording")))
    if holder is not None:
        row.problems.append(
            f"{decision.reference} is already the reference of {describe_holder(holder)}."
        )
    if not decision.wording.strip():
        row.problems.append("The decision has no wording.")
    return row


def _cr_row(index, cr, holder):
    row = Row(
        "change_requests",
        index,
        _values(
            cr,
            (
                "reference",
                "item",
                "title",
                "raiser",
                "change_type",
                "latest_action",
                "approval_status",
                "stage",
            ),
        ),
    )
    if holder is not None:
        row.state = "unchanged"  # presented under its item; the CR itself is left alone
    return row


def _raid_row(index, raid, holder):
    row = Row("raid", index, _values(raid, ("reference", "item", "description")))
    if holder is not None:
        row.state = "unchanged"  # reviewed at the meeting; the item itself is left alone
    return row
