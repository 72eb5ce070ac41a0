"""Preparing a group's next meeting in one go, from its latest meeting: the next number,
the date its usual pattern gives, the same times and venue, the standing agenda items
(the ones the secretariat keeps ticked) and the expected attendance; the invitations go
once the list is drawn up. The group's actions due "Next DAG" then resolve to the new
meeting's date (ActionQuerySet.with_next_meeting_date), and the result lists them.

The date: the "date of next meeting" the latest meeting's minutes give, when it is still
ahead of it; else the latest meeting's date plus the group's usual gap, read from its
recent ordinary meetings (the gap most of them share, e.g. 28 days for the same weekday
every four weeks; the shortest of the most common gaps on a tie).
"""

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from actions.models import Action, DueKind

from .models import AgendaItem, Attendance, AttendanceStatus, Meeting
from .notices import send_invitations
from .services import meeting_schedule

# Recent ordinary meetings read for the group's usual gap between meetings.
PATTERN_MEETINGS = 6
# A gap counts as a pattern when at least this many of the recent gaps share it.
PATTERN_MIN_COUNT = 2


def latest_meeting(group):
    """The group's latest meeting (not cancelled), the one to prepare from, or None."""
    return (
        group.meetings.open_for_records()
        .select_related("group")
        .order_by("-date", "-point")
        .first()
    )


def usual_gap(group) -> datetime.timedelta | None:
    """The days between the group's ordinary meetings that most of its recent ones share,
    or None without a pattern (fewer than PATTERN_MIN_COUNT alike)."""
    dates = list(
        group.meetings.open_for_records()
        .filter(point=0)
        .order_by("-date")
        .values_list("date", flat=True)[:PATTERN_MEETINGS]
    )
    gaps = Counter((later - earlier).days for later, earlier in itertools.pairwise(dates))
    if not gaps:
        return None
    most = max(gaps.values())
    if most < PATTERN_MIN_COUNT:
        return None
    return datetime.timedelta(days=min(days for days, count in gaps.items() if count == most))


def suggested_date(group, previous, today) -> datetime.date | None:
    """The next meeting's date: the one the latest minutes name, else the usual gap on
    from the latest meeting (stepping on by it until after today); None when neither."""
    if previous is None:
        return None
    if previous.next_meeting_date and previous.next_meeting_date > previous.date:
        return previous.next_meeting_date
    gap = usual_gap(group)
    if gap is None:
        return None
    day = previous.date + gap
    while day <= today:
        day += gap
    return day


@dataclass
class Prepared:
    meeting: Meeting
    items: list
    attendees: list
    due_here: list  # actions due "Next DAG" that now resolve to this meeting's date


def copy_item(item, meeting) -> AgendaItem:
    """A standing item as the next agenda has it: its number, title, lead, objective, type
    and time; not what was minuted or presented."""
    return AgendaItem(
        meeting=meeting,
        number=item.number,
        order=item.order,
        title=item.title,
        lead_id=item.lead_id,
        lead_text=item.lead_text,
        objective=item.objective,
        item_type=item.item_type,
        duration_minutes=item.duration_minutes,
    )


def copy_attendance(line, meeting) -> Attendance:
    """An attendee line as expected at the next meeting: the person, their section, role
    and initials; not this meeting's deputising, part attendance or printed spelling."""
    return Attendance(
        meeting=meeting,
        person_id=line.person_id,
        category=line.category,
        status=AttendanceStatus.EXPECTED,
        role=line.role,
        initials=line.initials,
        order=line.order,
    )


@transaction.atomic
def prepare_next_meeting(*, group, previous, items=(), with_attendance=True, **fields) -> Prepared:
    """Schedule the group's next meeting (fields as for meetings.services.meeting_schedule)
    with copies of `items` (agenda items of `previous`) and, if `with_attendance`, of the
    expected attendance of `previous` (people still active); then invite them. Returns
    what was made and the actions due "Next DAG" that now fall due at it."""
    meeting = meeting_schedule(group=group, invite=False, **fields)
    copies = []
    if previous is not None:
        for item in items:
            if item.meeting_id != previous.pk:
                raise ValueError("Agenda items are copied from the previous meeting only.")
            copy = copy_item(item, meeting)
            copy.full_clean()
            copy.save()
            copies.append(copy)
    attendees = []
    if previous is not None and with_attendance:
        lines = previous.attendances.filter(person__active=True).order_by("order", "pk")
        for line in lines:
            copy = copy_attendance(line, meeting)
            copy.save()  # one at a time, so the audit history records each line
            attendees.append(copy)
    send_invitations(meeting)
    due_here = [
        action
        for action in Action.objects.open()
        .filter(group=group, due_kind=DueKind.NEXT_MEETING, date_raised__lt=meeting.date)
        .with_next_meeting_date()
        .order_by("sort_key")
        if action.next_meeting_date == meeting.date
    ]
    return Prepared(meeting, copies, attendees, due_here)
