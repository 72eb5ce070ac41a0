"""What a paper holds, as printed: the one structure every reader (plain text, Word, PDF)
fills and the preview and commit read. Values are kept as the paper prints them (dates
"13/10/2023", owners "Programme (Paul Pettitt & Lee Cox)"), so a preview shows what was
read and the secretariat corrects the printed text; the preview interprets them.

The structure is plain data (dataclasses of strings, numbers, booleans and lists), so it is
stored as JSON on the pending import and returned from the bounded child process.
"""

from dataclasses import asdict, dataclass, field, fields

# The sections of an attendee table, in the order the minutes print them.
SECTIONS = ("chair", "industry", "programme", "other", "apologies")


class PaperUnreadable(ValueError):
    """The file or text is not a paper the importer can read; the message says why."""


NOT_WORD = "This is not a Word document (.docx): the file is damaged or of another kind."
NOT_PDF = "This is not a PDF: the file is damaged or of another kind."


@dataclass
class Header:
    kind: str = ""  # "minutes", "slides" or "papers"
    group_code: str = ""  # "DAG"
    group_name: str = ""  # "Design Advisory Group"
    number: int | None = None  # 29 for DAG029
    point: int = 0  # 1 for DAG 10.1
    paper_title: str = ""  # "Design Advisory Group #4"
    date: str = ""  # as printed: "11 October 2023", "09/02/2022"
    start_time: str = ""  # "10:00"
    end_time: str = ""  # "13:00"
    venue: str = ""
    classification: str = ""  # "Public"
    issue_date: str = ""  # "18/10/2023"
    paper_reference: str = ""  # "MHHS-DEL160"
    paper_version: str = ""  # "Version 1.0"
    next_meetings: list = field(default_factory=list)  # dates as printed, next first
    next_meeting_time: str = ""  # "10:00"
    held_by_correspondence: bool = False


@dataclass
class AttendanceLine:
    section: str  # one of SECTIONS
    name: str
    heading: str = ""  # the section's heading as printed ("MHHS")
    initials: str = ""
    role: str = ""
    on_behalf_of: str = ""
    part_meeting: bool = False
    note: str = ""  # "Chair"


@dataclass
class AgendaEntry:
    number: str  # "6A"
    title: str
    lead: str = ""
    duration_minutes: int | None = None
    item_type: str = ""  # "decision", "information", "discussion" or "" (not given)
    objective: str = ""
    minutes: str = ""
    paper_text: str = ""


@dataclass
class ActionRow:
    reference: str
    text: str = ""
    area: str = ""
    owner: str = ""
    due: str = ""  # "13/10/2023", "ASAP"
    date_raised: str = ""  # the "Date" column of a review table
    status: str = ""  # "OPEN", "ONGOING", "RECOMMEND CLOSED", "CLOSED"
    status_date: str = ""  # "CLOSED 18/01/22"
    update: str = ""  # the latest update, without its status
    item: str = ""  # the agenda item it was raised or reviewed at
    previous: bool = False  # raised at an earlier meeting (reviewed here)


@dataclass
class DecisionRow:
    reference: str
    wording: str = ""
    area: str = ""
    item: str = ""


@dataclass
class ChangeRequestRow:
    reference: str
    title: str = ""
    raiser: str = ""
    change_type: str = ""
    latest_action: str = ""
    approval_status: str = ""
    stage: str = ""
    item: str = ""

    @property
    def status_presented(self) -> str:
        """ "Approved by DAG (13-Mar-24); Approved; Complete", as the papers' table gives it."""
        return "; ".join(p for p in (self.latest_action, self.approval_status, self.stage) if p)


@dataclass
class RaidRow:
    reference: str  # "R432"
    description: str = ""
    item: str = ""


@dataclass
class Paper:
    header: Header = field(default_factory=Header)
    attendance: list = field(default_factory=list)  # AttendanceLine
    agenda: list = field(default_factory=list)  # AgendaEntry
    actions: list = field(default_factory=list)  # ActionRow
    decisions: list = field(default_factory=list)  # DecisionRow
    change_requests: list = field(default_factory=list)  # ChangeRequestRow
    raid: list = field(default_factory=list)  # RaidRow
    notes: list = field(default_factory=list)  # what the reader skipped or doubted

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Paper":
        def rows(kind, key):
            return [_build(kind, row) for row in data.get(key, [])]

        return cls(
            header=_build(Header, data.get("header", {})),
            attendance=rows(AttendanceLine, "attendance"),
            agenda=rows(AgendaEntry, "agenda"),
            actions=rows(ActionRow, "actions"),
            decisions=rows(DecisionRow, "decisions"),
            change_requests=rows(ChangeRequestRow, "change_requests"),
            raid=rows(RaidRow, "raid"),
            notes=list(data.get("notes", [])),
        )


def _build(kind, values):
    """kind(**values) keeping only its fields: a stored import from an older version of
    this module still loads."""
    names = {f.name for f in fields(kind)}
    return kind(**{key: value for key, value in values.items() if key in names})
