"""The minutes of a meeting as plain data: dataclasses of strings, dates and safe HTML that
meetings/minutes.py builds and the minutes page and PDF render. An issue keeps them as JSON
(MeetingMinutes.as_dict) and shows them again as issued (MeetingMinutes.from_dict).
"""

import json
import types
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class AttendeeLine:
    """One row of the attendee table: "Morven Hunter (MHu) (on behalf of Donna Jamieson)"."""

    name: str
    initials: str
    role: str
    on_behalf_of: str
    part_meeting: bool
    person_url: str
    note: str = ""  # "Chair", printed "(Chair)" after the initials

    @property
    def label(self) -> str:
        parts = [self.name]
        if self.initials:
            parts.append(f"({self.initials})")
        if self.note:
            parts.append(f"({self.note})")
        if self.on_behalf_of:
            parts.append(f"(on behalf of {self.on_behalf_of})")
        if self.part_meeting:
            parts.append("(part meeting)")
        return " ".join(parts)


@dataclass(frozen=True)
class AttendeeSection:
    heading: str  # "Chair", "Industry Representatives", "MHHS", "Other Attendees", "Apologies"
    lines: list[AttendeeLine]


@dataclass(frozen=True)
class ActionRow:
    reference: str
    url: str
    text: str
    owner: str  # "Programme (Paul Pettitt & Lee Cox)"
    due: str  # "13/10/2023", "ASAP", "Next meeting"
    status: str  # ActionStatus value
    status_label: str  # "OPEN"
    agenda_item_id: int | None  # the item it was raised at
    closed: bool  # closed at this meeting


@dataclass(frozen=True)
class ActionGroup:
    """Rows under one Area of the actions table; the paper prints the area on the first row."""

    area: str
    rows: list[ActionRow]
    previous: bool = False  # the "Previous Meeting(s)" group, or the one closed after it


@dataclass(frozen=True)
class DecisionRow:
    area: str
    reference: str
    url: str
    wording: str
    proposed: bool  # not yet approved by the chair
    agenda_item_id: int | None


@dataclass(frozen=True)
class RaidDiscussed:
    reference: str
    url: str
    title: str
    raid_type: str  # "Risk"
    score: int | None
    band: str
    discussion: str
    conclusion: str
    # The other items the same text reviewed, and the actions raised from it (references);
    # minutes issued before these were kept have none.
    also_covers: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewedUpdate:
    """What the meeting said about a previous meeting's action: a dated update."""

    reference: str
    url: str
    date: date
    text: str
    status: str  # the ActionStatus value it set, or ""
    status_label: str  # "CLOSED", or ""


@dataclass(frozen=True)
class RecordLine:
    """An ACTION or DECISION line printed after an item's minutes, for a record raised at
    the item that the minutes text does not already state on a line of its own."""

    kind: str  # "ACTION" or "DECISION"
    reference: str
    url: str
    text: str


@dataclass(frozen=True)
class PresentedCR:
    """A change request listed against the item with the status the meeting was told."""

    reference: str
    url: str
    title: str  # "" for a CR known only by its reference
    status: str  # "Raised to Impact Assessment", or ""


@dataclass(frozen=True)
class MinutesItem:
    number: str
    title: str
    lead: str
    agenda_item_id: int
    html: SafeString  # sanitised; ACTION/DECISION paragraphs carry class="minutes-record"
    records: list[RecordLine]
    item_type: str = ""  # "Decision", as the agenda gives it
    duration: int | None = None  # minutes on the agenda; 0 and None print nothing
    paper_html: SafeString = SafeString("")  # the paper or slides presented, sanitised
    # The paper gave the agenda (a time, a lead as printed, the paper presented), so the
    # item prints its agenda line; minutes papers such as DAG029's print none.
    agenda_printed: bool = False

    # The item's objective as the papers give it ("Approval by correspondence of ...").
    objective: str = ""

    @property
    def agenda_line(self) -> str:
        """ "Justin Andrews · 5 mins · Decision", as the agenda prints the item; with its
        objective, "Decision: Approval by correspondence of Headline Reports", as the
        papers head it."""
        parts = [self.lead] if self.lead else []
        if self.duration:
            parts.append(f"{self.duration} mins")
        if self.item_type and self.objective:
            parts.append(f"{self.item_type}: {self.objective}")
        elif self.item_type or self.objective:
            parts.append(self.item_type or self.objective)
        return " · ".join(parts)

    # Minutes issued before CRs were listed against items have none.
    change_requests: list[PresentedCR] = field(default_factory=list)

    # "SC declared an interest (employed by a bidder) and left for item 5.": printed before
    # the item's minutes. Minutes issued before declarations were recorded have none.
    declarations: list[str] = field(default_factory=list)

    # Why the item is withheld from the public version ("commercially sensitive"), or "".
    members_only: str = ""
    # In a public version: what was withheld here ("commercially sensitive"), or "".
    withheld: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MinutesHeader:
    programme: str  # "MHHS", or "" when the group keeps the default label
    group_name: str  # "Design Advisory Group"
    group_code: str  # "DAG"
    meeting_code: str  # "DAG029"
    meeting_title: str
    venue: str  # "Virtual – MS Teams", "By correspondence"
    date: date
    date_and_time: str  # "11 October 2023 1000-1300"
    classification: str  # "Public"
    issue_date: date | None  # None while the minutes are a draft
    status: str  # "Minutes issued"
    paper_title: str = ""  # the title as printed, when it is not the usual one
    paper_reference: str = ""  # "MHHS-DEL1056"
    paper_version: str = ""  # "V1.0"

    @property
    def group_title(self) -> str:
        """ "MHHS Design Advisory Group (DAG)", as the paper's title and running header."""
        name = f"{self.group_name} ({self.group_code})"
        return f"{self.programme} {name}" if self.programme else name

    @property
    def title(self) -> str:
        """The paper's title: as printed, else "<group title> Minutes and Actions"."""
        return self.paper_title or f"{self.group_title} Minutes and Actions"

    @property
    def identity(self) -> str:
        """ "MHHS-DEL1056 V1.0": the paper's document reference and version."""
        return " ".join(part for part in (self.paper_reference, self.paper_version) if part)


@dataclass(frozen=True)
class MeetingMinutes:
    header: MinutesHeader
    attendee_sections: list[AttendeeSection]
    action_groups: list[ActionGroup]
    decisions: list[DecisionRow]
    raid_items: list[RaidDiscussed]
    review: list[ReviewedUpdate]
    items: list[MinutesItem]
    next_meeting: str  # "08 November 2023 10am", or ""
    references: list[str] = field(default_factory=list)  # every reference named, sorted
    # {reference: url} of the references named in the text of the tables and minutes, for
    # the templates' `linkrefs` filter (actions, decisions, CRs and RAID items that exist).
    links: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain JSON data (dates as ISO strings), as an issue of the minutes stores them."""
        return json.loads(json.dumps(asdict(self), cls=DjangoJSONEncoder))

    @classmethod
    def from_dict(cls, data: dict) -> "MeetingMinutes":
        """The minutes as_dict() stored, for the same templates to render."""
        return _load(cls, data)

    @property
    def new_actions(self) -> list[ActionRow]:
        return [row for group in self.action_groups if not group.previous for row in group.rows]

    @property
    def previous_actions(self) -> list[ActionRow]:
        """Still outstanding after the meeting (those it closed are not)."""
        return [
            row
            for group in self.action_groups
            if group.previous
            for row in group.rows
            if not row.closed
        ]


def _load(kind, value):
    """`value` (plain JSON data) as an instance of the type `kind` of a field above."""
    if is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        # An issue stored before a field was added keeps that field's default.
        return kind(
            **{f.name: _load(hints[f.name], value[f.name]) for f in fields(kind) if f.name in value}
        )
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is list:
        return [_load(args[0], item) for item in value]
    if origin in (typing.Union, types.UnionType):  # X | None
        return None if value is None else _load(next(a for a in args if a is not type(None)), value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is SafeString:
        # Stored from build_minutes' output, which sanitised it.
        return mark_safe(value)  # noqa: S308
    return value
