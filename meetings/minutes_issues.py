"""Issued minutes as shown: the issue a meeting's pages show, and what changed since.

Once issued, the minutes page shows the minutes as the latest issue stored them
(MinutesIssue.data, build_minutes' output as JSON), whatever happens to the records later;
what differs from a fresh build_minutes is listed field by field, e.g.
"DAG29-03 text: 'old' → 'new'". The issuing itself is meetings/minutes_workflow.py.
"""

from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.text import Truncator

from .minutes import build_minutes
from .minutes_data import MeetingMinutes
from .models import MinutesIssue

# Long texts (an item's minutes) are quoted this far in the list of changes.
QUOTE_CHARS = 120


@dataclass(frozen=True)
class IssueShown:
    issue: MinutesIssue
    minutes: MeetingMinutes  # as issued
    changes: list[str]  # what differs now, field by field; [] when nothing


def shown_issue(meeting) -> MinutesIssue | None:
    """The issue the meeting's pages show: the latest, while the minutes are issued or
    approved (reopened minutes are a draft again and show as they stand)."""
    if not meeting.minutes_locked:
        return None
    return meeting.minutes_issues.select_related("issued_by__person", "document").last()


def issue_shown(meeting) -> IssueShown | None:
    issue = shown_issue(meeting)
    if issue is None:
        return None
    return IssueShown(
        issue=issue,
        minutes=MeetingMinutes.from_dict(issue.data),
        changes=changes_since_issue(issue.data, build_minutes(meeting).as_dict()),
    )


def _quote(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "'" + Truncator(strip_tags(str(value or "")).strip()).chars(QUOTE_CHARS) + "'"


def _compare(changes, issued: dict, now: dict, labels: dict) -> None:
    """Append to `changes` what differs between two {key: row} of one table."""
    for key, old in issued.items():
        new = now.get(key)
        if new is None:
            changes.append(f"{key} removed")
            continue
        for name, label in labels.items():
            if old[name] != new[name]:
                changes.append(f"{key} {label}: {_quote(old[name])} → {_quote(new[name])}")
    changes.extend(f"{key} added" for key in now if key not in issued)


def _actions(data) -> dict:
    return {row["reference"]: row for group in data["action_groups"] for row in group["rows"]}


def _decisions(data) -> dict:
    return {
        row["reference"]: {**row, "status": "awaiting approval" if row["proposed"] else "approved"}
        for row in data["decisions"]
    }


def _attendees(data) -> dict:
    lines = {}
    for section in data["attendee_sections"]:
        for line in section["lines"]:
            lines[f"Attendee {line['name']}"] = {**line, "heading": section["heading"]}
    return lines


def changes_since_issue(issued: dict, now: dict) -> list[str]:
    """What differs between the minutes as issued and as they stand (both as_dict()),
    one line per field: "DAG29-03 text: 'old' → 'new'", "DAG-DEC76 wording: ...",
    "Item 3 minutes: ...", "DAG29-05 added". The header's status and issue date are the
    workflow's, not changes to the record."""
    changes = []
    header_fields = {
        "meeting_title": "Meeting title",
        "venue": "Venue",
        "date_and_time": "Date and time",
        "classification": "Classification",
    }
    for name, label in header_fields.items():
        old, new = issued["header"][name], now["header"][name]
        if old != new:
            changes.append(f"{label}: {_quote(old)} → {_quote(new)}")
    _compare(
        changes,
        _attendees(issued),
        _attendees(now),
        {"heading": "listed under", "role": "role", "initials": "initials"},
    )
    _compare(
        changes,
        _actions(issued),
        _actions(now),
        {"text": "text", "owner": "owner", "due": "due", "status_label": "status"},
    )
    _compare(
        changes,
        _decisions(issued),
        _decisions(now),
        {"wording": "wording", "area": "area", "status": "status"},
    )
    _compare(
        changes,
        {row["reference"]: row for row in issued["raid_items"]},
        {row["reference"]: row for row in now["raid_items"]},
        {"title": "title", "discussion": "discussion", "conclusion": "concluding comments"},
    )
    _compare(
        changes,
        {f"Update on {u['reference']} of {u['date']}": u for u in issued["review"]},
        {f"Update on {u['reference']} of {u['date']}": u for u in now["review"]},
        {"text": "text", "status_label": "status"},
    )
    _compare(
        changes,
        {f"Item {item['number']}": item for item in issued["items"]},
        {f"Item {item['number']}": item for item in now["items"]},
        {"title": "title", "lead": "lead", "html": "minutes"},
    )
    old, new = issued["next_meeting"], now["next_meeting"]
    if old != new:
        changes.append(f"Date of next meeting: {_quote(old)} → {_quote(new)}")
    return changes
