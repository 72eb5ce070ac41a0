"""The meeting's documents: its Minutes and Actions and its Headline Report (registered
with documents/registry.py by MeetingsConfig.ready()); and the classification form the
group reports share.

The Minutes and Actions print the data of meetings/minutes.py, the same the minutes page
shows. The Headline Report takes from them the decisions taken, the actions raised and
closed, and the key updates of each agenda item.
"""

import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from actions.models import Action
from core.dates import uk_date
from core.references import reference_sort_key
from documents.registry import (
    MEETING,
    Source,
    reference_links,
    register_kind,
    register_meeting_page,
)

from .minutes import action_row, build_minutes
from .minutes_data import ActionRow, DecisionRow, MeetingMinutes, MinutesHeader, RecordLine
from .trends import Trend, group_trends
from .views import meeting_header

MINUTES = "minutes"
HEADLINE = "headline"

_PARAGRAPH = re.compile(r"<p(?: [^>]*)?>(.*?)</p>", re.DOTALL)
_BLOCK_START = re.compile(r"<(p|ul|ol|blockquote|pre|table|h[1-6])\b[^>]*>")
_ACTION_UPDATE = re.compile(r"^(?:<a [^>]*>)?[A-Z][\w.-]*\d(?:</a>)?:")


@dataclass(frozen=True)
class ClosedActionRow:
    row: ActionRow
    update: str  # the update that closed it, as minuted


@dataclass(frozen=True)
class HeadlineItem:
    number: str
    title: str
    updates: list[SafeString]  # sanitised paragraphs of the item's minutes
    records: list[RecordLine]


@dataclass(frozen=True)
class Headline:
    header: MinutesHeader
    decisions: list[DecisionRow]
    actions_raised: list[ActionRow]
    actions_closed: list[ClosedActionRow]
    items: list[HeadlineItem]
    next_meeting: str
    links: dict[str, str]  # references named in the text, for the `linkrefs` filter
    # The group's trends up to this meeting (meetings/trends.py), each chart with its table.
    trends: list[Trend] = field(default_factory=list)


def minutes_source(document) -> Source:
    """The minutes as they stand, or, given {"issue": n}, as Issue n stored them (labelled
    "Issue n" instead of the document's version)."""
    number = document.parameters.get("issue")
    if number:
        issue = document.meeting.minutes_issues.get(number=number)
        minutes = MeetingMinutes.from_dict(issue.data)
    else:
        minutes = build_minutes(document.meeting)
    header = minutes.header
    return Source(
        template="documents/minutes.html",
        title=f"Minutes and Actions – {header.meeting_code}",
        group_title=header.group_title,
        classification=header.classification,
        issue_date=uk_date(header.issue_date) if header.issue_date else "Draft – not yet issued",
        landscape=False,
        data=minutes,
        label=f"Issue {number}" if number else "",
    )


def _blocks(html: str) -> list[str]:
    """The top-level blocks of sanitised minutes HTML (paragraphs, lists, quotes, tables...),
    each whole with its tags; a list nested in a list stays inside its parent."""
    blocks, position = [], 0
    for start in _BLOCK_START.finditer(html):
        if start.start() < position:
            continue
        tag, depth = start[1], 0
        for mark in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start.start() :]):
            depth += -1 if mark[1] else 1
            if depth == 0:
                position = start.start() + mark.end()
                blocks.append(html[start.start() : position].strip())
                break
        else:  # unclosed: the rest is the block
            position = len(html)
            blocks.append(html[start.start() :].strip())
    return blocks


def _key_updates(html: str) -> list[SafeString]:
    """Every paragraph, list and other block of the item's minutes, leaving out the
    ACTION/DECISION lines (listed as records) and the per-action updates (listed under
    actions closed)."""
    kept = []
    for block in _blocks(html):
        body = _PARAGRAPH.fullmatch(block)
        text = body[1].strip() if body else ""
        if body and (
            re.match(r"^(?:<strong>|<b>)?(?:ACTION|DECISION)\b", text) or _ACTION_UPDATE.match(text)
        ):
            continue
        kept.append(block)
    # Blocks of sanitised HTML stay sanitised.
    return [mark_safe(block) for block in kept]  # noqa: S308


def headline_source(document) -> Source:
    meeting = document.meeting
    minutes = build_minutes(meeting)
    header = minutes.header
    closed = sorted(
        Action.objects.filter(closed_meeting_id=meeting.pk)
        .prefetch_related("ownerships__person", "updates")
        .select_related("meeting"),
        key=lambda a: reference_sort_key(a.reference),
    )
    closed_rows = [
        ClosedActionRow(
            row=action_row(action, meeting),
            update=next((u.text for u in action.updates.all() if u.meeting_id == meeting.pk), ""),
        )
        for action in closed
    ]
    # The minutes' links, plus any reference named only in a closing update.
    links = minutes.links | reference_links(*(row.update for row in closed_rows))
    items = [
        HeadlineItem(
            number=item.number,
            title=item.title,
            updates=_key_updates(item.html),
            records=[
                RecordLine("DECISION", d.reference, d.url, d.wording)
                for d in minutes.decisions
                if d.agenda_item_id == item.agenda_item_id
            ]
            + [
                RecordLine("ACTION", a.reference, a.url, a.text)
                for a in minutes.new_actions
                if a.agenda_item_id == item.agenda_item_id
            ],
        )
        for item in minutes.items
    ]
    return Source(
        template="documents/headline.html",
        title=f"Headline Report – {header.meeting_code}",
        group_title=header.group_title,
        classification=header.classification,
        # Issued soon after the meeting, ahead of the minutes: dated the day it is
        # rendered until the minutes are issued, then with them.
        issue_date=uk_date(header.issue_date) if header.issue_date else "",
        landscape=False,
        data=Headline(
            header=header,
            decisions=minutes.decisions,
            actions_raised=minutes.new_actions,
            actions_closed=closed_rows,
            items=items,
            next_meeting=minutes.next_meeting,
            links=links,
            trends=group_trends(meeting.group, meeting.date),
        ),
    )


def register() -> None:
    register_kind(MINUTES, "Minutes and Actions", scope=MEETING, source=minutes_source)
    register_kind(HEADLINE, "Headline Report", scope=MEETING, source=headline_source)
    register_meeting_page(lambda request, meeting: meeting_header(request, meeting, "documents"))
