"""Writes of the secretariat's meeting workday: scheduling, attendance, agenda, minutes,
the review of open actions and of RAID items. Issuing, correcting and reopening the
minutes is meetings/minutes_workflow.py.

Issued or approved minutes lock the meeting: its minutes, attendance and the records
raised inline are read-only until the secretariat reopens them with a reason. Views
check that through meetings.views.meeting_edit_view; the services that write the
minutes check it again under the meeting's row lock, so a save racing an issue loses.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from actions.models import Action, ActionStatus
from actions.services import action_add_update
from changerequests.models import NOT_KNOWN
from changerequests.services import change_request_create
from core.bulk import create_checked
from core.models import Organisation, Person, Role
from core.versions import StaleRecord, StaleRecords, check_unchanged
from core.workdays import add_working_days, working_days_between
from decisions.models import Decision
from raid.models import RaidItem, RaidReview
from raid.services import raid_review_record

from .models import (
    AgendaItem,
    Attendance,
    AttendanceCategory,
    AttendanceHeading,
    AttendanceStatus,
    ChangeRequestPresented,
    Meeting,
    MeetingStatus,
)
from .notices import send_invitations

# The papers publish minutes within 10 UK working days of the meeting.
# A person holding several roles in a group is listed once, under the first of these.
ROLE_PRIORITY = [Role.CHAIR, Role.SECRETARIAT, Role.MEMBER, Role.OBSERVER]
CATEGORY_ORDER = list(AttendanceCategory)


class MeetingLocked(ValidationError):
    """The meeting's minutes are issued: reopen them before changing anything."""

    def __init__(self, meeting, *, can_reopen=True):
        # Only the secretariat is told to reopen: no message suggests what its reader
        # may not do.
        then = (
            "Reopen them (with a reason) to make changes."
            if can_reopen
            else "The group's secretariat can reopen them for a correction."
        )
        super().__init__(
            f"The minutes of {meeting.code} have been issued, so they are read-only. {then}"
        )


class MeetingNotStarted(ValidationError):
    """The meeting has not started: its minutes, records, reviews and issuing wait for it."""


class StaleMinutes(Exception):
    """Someone saved the item's minutes after this editor loaded them."""

    def __init__(self, item):
        super().__init__(f"The minutes of item {item.number} changed since they were loaded.")
        self.item = item


def lock_for_edit(meeting) -> Meeting:
    """Lock the meeting's row until the transaction ends and refuse if its minutes are issued.

    Every write to a meeting's minutes, attendance and inline records goes through here
    (views via meeting_edit_view), so an edit and "issue minutes" never interleave.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_edit() must be called inside transaction.atomic().")
    current = Meeting.objects.lock_row(meeting.pk)
    if current.minutes_locked:
        raise MeetingLocked(current)
    return current


def require_started(meeting, now=None) -> None:
    """Refuse (MeetingNotStarted, with Meeting.records_closed_reason) before the meeting starts."""
    reason = meeting.records_closed_reason(now)
    if reason:
        raise MeetingNotStarted(reason)


def lock_for_records(meeting) -> Meeting:
    """lock_for_edit, and refused before the meeting starts: every write of the minutes,
    the reviews and issuing goes through here (the agenda and expected attendance do not)."""
    current = lock_for_edit(meeting)
    require_started(current)
    return current


def publication_deadline(meeting):
    """The group's own rule (publication_working_days UK working days from the meeting)."""
    return add_working_days(meeting.date, meeting.group.publication_working_days)


def suggested_number(group) -> int:
    """The number after the group's highest ordinary meeting: 30 after DAG029."""
    highest = group.meetings.filter(point=0).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def meeting_schedule(*, group, invite=True, **fields) -> Meeting:
    """Create the group's next meeting, and make it the "date of next meeting" of the
    latest earlier meeting that does not name one yet. `invite=False` leaves the
    invitations to the caller (meetings/prepare.py sends them once the expected attendance
    is copied)."""
    meeting = Meeting(group=group, **fields)
    meeting.full_clean()
    meeting.save()
    # The meeting just before it: an older one never takes the date, even when the one
    # before names its own; issued minutes keep what they printed (their page notes it).
    previous = (
        group.meetings.filter(date__lt=meeting.date)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-date", "-point")
        .first()
    )
    if previous is not None and previous.next_meeting_date is None and not previous.minutes_locked:
        previous.next_meeting_date = meeting.date
        previous.next_meeting_time = meeting.start_time
        previous.save(update_fields=["next_meeting_date", "next_meeting_time"])
    if invite:
        send_invitations(meeting)
    return meeting


@transaction.atomic
def actions_follow_meeting_date(*, meeting, old_date) -> int:
    """After the meeting's date is corrected from `old_date`: the actions raised at it on
    that date take its new date as their date raised (an action closed before the new
    date keeps its own). Returns how many moved."""
    if meeting.date == old_date:
        return 0
    moved = 0
    for action in meeting.actions.filter(date_raised=old_date):
        if action.closed_date and action.closed_date < meeting.date:
            continue
        action.date_raised = meeting.date
        action.save(update_fields=["date_raised"])
        moved += 1
    return moved


def category_for(membership) -> str:
    """Where a member is listed in the minutes' attendee table.

    The chair heads the table; the secretariat and members employed by the programme are
    programme staff (the group's programme label, e.g. "MHHS"); observers (Ofgem, the
    IPA) are other attendees; every other member represents industry.
    """
    if membership.role == Role.CHAIR:
        return AttendanceCategory.CHAIR
    if membership.role == Role.SECRETARIAT:
        return AttendanceCategory.PROGRAMME
    if membership.role == Role.OBSERVER:
        return AttendanceCategory.OTHER
    organisation = membership.person.organisation
    label = membership.group.programme_label.casefold()
    if organisation and label in {organisation.name.casefold(), organisation.short_name.casefold()}:
        return AttendanceCategory.PROGRAMME
    return AttendanceCategory.INDUSTRY


@transaction.atomic
def attendance_add_members(*, meeting) -> list[Attendance]:
    """Add the group's active members not yet on the meeting as expected attendees, in the
    minutes' order: chair, industry, programme, others; by name within each."""
    meeting = lock_for_edit(meeting)
    present = set(meeting.attendances.values_list("person_id", flat=True))
    chosen = {}
    memberships = meeting.group.memberships.filter(active=True, person__active=True)
    for membership in memberships.select_related("person__organisation", "group"):
        if membership.person_id in present:
            continue
        held = chosen.get(membership.person_id)
        if held is None or ROLE_PRIORITY.index(membership.role) < ROLE_PRIORITY.index(held.role):
            chosen[membership.person_id] = membership
    rows = sorted(
        chosen.values(),
        key=lambda m: (CATEGORY_ORDER.index(category_for(m)), m.person.name),
    )
    start = (meeting.attendances.aggregate(last=Max("order"))["last"] or 0) + 1
    used = initials_in_use(meeting)
    lines = [
        Attendance(
            meeting=meeting,
            person=membership.person,
            category=category_for(membership),
            status=AttendanceStatus.EXPECTED,
            role=membership.constituency or membership.get_role_display(),
            initials=unique_initials(membership.person, used),
            order=start + position,
        )
        for position, membership in enumerate(rows)
    ]
    # One at a time rather than bulk_create, so the audit history records each line.
    for line in lines:
        line.save()
    send_invitations(meeting, added=[line.person for line in lines])
    return lines


@transaction.atomic
def attendance_add(*, meeting, person, category="", role="", initials="", **printed) -> Attendance:
    """Add one person at the end of the attendee list, present (expected before the meeting
    starts). With no section or role given they come from the person's membership of the
    group (Other Attendees for someone outside it); with no initials, suggested ones.
    `printed` may give the line's on_behalf_of_id, note and part_meeting."""
    meeting = lock_for_edit(meeting)
    memberships = sorted(
        meeting.group.memberships.filter(person=person, active=True).select_related(
            "person__organisation", "group"
        ),
        key=lambda m: ROLE_PRIORITY.index(m.role),
    )
    membership = memberships[0] if memberships else None
    if not category:
        category = category_for(membership) if membership else AttendanceCategory.OTHER
    if not role and membership:
        role = membership.constituency or membership.get_role_display()
    last = meeting.attendances.aggregate(last=Max("order"))["last"] or 0
    line = Attendance(
        meeting=meeting,
        person=person,
        category=category,
        status=AttendanceStatus.EXPECTED
        if meeting.records_closed_reason()
        else AttendanceStatus.PRESENT,
        role=role,
        initials=initials or unique_initials(person, initials_in_use(meeting)),
        order=last + 1,
        **printed,
    )
    line.full_clean()
    line.save()
    send_invitations(meeting, added=[person])
    return line


@transaction.atomic
def attendance_create_bulk(*, meeting, lines) -> list[Attendance]:
    """Add many attendee lines at the end of the list (a past paper's attendee table), as
    attendance_add would one at a time, in a few queries: `lines` are dicts of
    attendance_add's keywords (person, category, role, initials, and the printed
    on_behalf_of, note and part_meeting), with a status where one is printed (apologies).

    Kept from attendance_add: the meeting's lock, the section and role from the person's
    membership where the paper gives none, present (expected before the meeting starts),
    the order, the model's validation and history (core.bulk.create_checked) and the
    invitations. The initials are as printed: none where the paper prints none.
    """
    meeting = lock_for_edit(meeting)
    last = meeting.attendances.aggregate(last=Max("order"))["last"] or 0
    status = (
        AttendanceStatus.EXPECTED if meeting.records_closed_reason() else AttendanceStatus.PRESENT
    )
    built = [
        Attendance(meeting=meeting, order=last + position, **{"status": status, **spec})
        for position, spec in enumerate(lines, start=1)
    ]
    people = [line.person_id for line in built]
    if twice := {pk for pk in people if people.count(pk) > 1}:
        # The unique constraint would refuse it with the database's words.
        names = sorted(str(line.person) for line in built if line.person_id in twice)
        raise ValidationError(
            f"Listed twice among the attendees: {', '.join(dict.fromkeys(names))}."
        )
    memberships = {}
    held = meeting.group.memberships.filter(person__in=people, active=True).select_related(
        "person__organisation", "group"
    )
    for membership in sorted(held, key=lambda m: ROLE_PRIORITY.index(m.role)):
        memberships.setdefault(membership.person_id, membership)
    for line in built:
        membership = memberships.get(line.person_id)
        if not line.category:
            line.category = category_for(membership) if membership else AttendanceCategory.OTHER
        if not line.role and membership:
            line.role = membership.constituency or membership.get_role_display()
    create_checked(model=Attendance, records=built, reason="")
    send_invitations(meeting, added=[line.person for line in built])
    return built


@transaction.atomic
def agenda_items_create_bulk(*, meeting, items) -> list[AgendaItem]:
    """Add many agenda items (a past paper's agenda, its minutes and slides) in a few
    queries: `items` are dicts of AgendaItem's fields. The meeting is locked as for any
    edit of its minutes; each item validated, with its history and its minutes' mentions
    (core.bulk.create_checked)."""
    meeting = lock_for_edit(meeting)
    built = [AgendaItem(meeting=meeting, **spec) for spec in items]
    return create_checked(model=AgendaItem, records=built, reason="")


@transaction.atomic
def person_create(*, name, organisation="", email="", initials="") -> Person:
    """Record someone new to the tracker (their history says who added them and when);
    the organisation is found by name, or recorded."""
    org = None
    if organisation:
        org = Organisation.objects.filter(name__iexact=organisation).first()
        if org is None:
            org = Organisation.objects.create(name=organisation)
    person = Person(name=name, email=email, organisation=org, initials=initials)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def attendance_add_guest(
    *, meeting, name, category, organisation="", email="", role="", **line
) -> Attendance:
    """Record someone new to the tracker (a guest presenter, a deputy) and add them; `line`
    gives what the paper prints on their line (initials, on_behalf_of_id, note,
    part_meeting)."""
    person = person_create(name=name, organisation=organisation, email=email)
    return attendance_add(meeting=meeting, person=person, category=category, role=role, **line)


@transaction.atomic
def attendance_headings_set(*, meeting, headings, apologies_initials) -> None:
    """Keep how this meeting's paper heads its attendee sections ({section: heading}; a
    section left out takes its usual heading again) and whether it prints initials for
    apologies."""
    meeting = lock_for_edit(meeting)
    kept = meeting.attendance_headings.all()
    for row in kept:
        if row.section not in headings:
            row.delete()
        elif row.heading != headings[row.section]:
            row.heading = headings[row.section]
            row.save()
    held = {row.section for row in kept}
    for section, heading in headings.items():
        if section not in held:
            row = AttendanceHeading(meeting=meeting, section=section, heading=heading)
            row.full_clean()
            row.save()
    if meeting.apologies_initials != apologies_initials:
        meeting.apologies_initials = apologies_initials
        meeting.save(update_fields=["apologies_initials"])


def initials_in_use(meeting) -> set[str]:
    """The initials of the meeting's attendee lines, casefolded."""
    used = meeting.attendances.values_list("initials", flat=True)
    return {initials.casefold() for initials in used}


def unique_initials(person, used: set[str]) -> str:
    """Initials for a new attendee line that no other line of the meeting uses: "SC" for
    Seth Chapman, then "SCo" for Sean Cooper (more of the surname), else "SC2". The chosen
    initials are added to `used`. The secretariat may still type a clash, as DAG029 has."""
    base = person.suggested_initials()[:10]
    if not base:
        return ""
    surname = person.name.split()[-1]
    candidates = [base] + [base + surname[1:n].lower() for n in range(2, len(surname) + 1)]
    candidates += [f"{base}{n}" for n in range(2, 100)]
    for candidate in candidates:
        candidate = candidate[:10]
        if candidate.casefold() not in used:
            used.add(candidate.casefold())
            return candidate
    return base


def initials_clashes(lines) -> dict[str, list]:
    """{initials: [lines]} for initials used by more than one attendee, as "SC" is in
    DAG029 (Seth Chapman and Sean Cooper)."""
    by_initials = {}
    for line in lines:
        if line.initials:
            by_initials.setdefault(line.initials.casefold(), []).append(line)
    return {group[0].initials: group for group in by_initials.values() if len(group) > 1}


@transaction.atomic
def agenda_item_move(*, item, step) -> None:
    """Move an item one place up (step -1) or down (+1) and renumber the orders 1..n."""
    lock_for_edit(item.meeting)
    items = list(item.meeting.agenda_items.select_for_update().order_by("order", "number", "pk"))
    position = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = position + step
    if 0 <= target < len(items):
        items[position], items[target] = items[target], items[position]
    for order, other in enumerate(items, start=1):
        if other.order != order:
            other.order = order
            other.save(update_fields=["order"])


def next_item_number(meeting) -> str:
    """One more than the highest plain number on the agenda: "14" after "13"."""
    numbers = [
        int(number)
        for number in meeting.agenda_items.values_list("number", flat=True)
        if number.isdigit()
    ]
    return str(max(numbers, default=0) + 1)


@transaction.atomic
def minutes_save(*, item, text, version) -> AgendaItem:
    """Save an agenda item's minutes if nobody saved them since `version` was read.

    The item's row is locked while the version is compared, so of two saves made from the
    same version exactly one wins; the other raises StaleMinutes carrying the current
    text, and the caller shows both. Saving the text unchanged changes nothing.
    """
    meeting = lock_for_records(item.meeting)
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    current.meeting = meeting
    if current.minutes_version != version:
        raise StaleMinutes(current)
    if current.minutes == text:
        return current
    current.minutes = text
    current.minutes_version += 1
    current.save(update_fields=["minutes", "minutes_version"])
    if meeting.status in {MeetingStatus.PLANNED, MeetingStatus.HELD}:
        meeting.status = MeetingStatus.MINUTES_DRAFT
        meeting.save(update_fields=["status"])
    return current


@dataclass(frozen=True)
class Publication:
    """Where a meeting's minutes stand against the publication deadline (the group's rule,
    10 UK working days unless it says otherwise).

    state: "upcoming" (not held yet), "cancelled", "due" (working_days_left to go),
    "late" (deadline passed, not issued), "met"/"missed" (issued on published_on), or
    "published" for minutes approved before the tracker kept issue dates.
    """

    deadline: datetime.date
    state: str
    published_on: datetime.date | None = None
    working_days_left: int | None = None


def publication(meeting, today) -> Publication:
    """Needs `first_issued_at` (Meeting.objects.with_first_issue()) for minutes issued in
    the tracker; the recorded issue date stands in for older ones."""
    deadline = publication_deadline(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        return Publication(deadline, "cancelled")
    first_issued = getattr(meeting, "first_issued_at", None)
    published_on = timezone.localdate(first_issued) if first_issued else meeting.minutes_issue_date
    if published_on:
        return Publication(deadline, "met" if published_on <= deadline else "missed", published_on)
    if meeting.minutes_locked:
        return Publication(deadline, "published")
    if meeting.date > today:
        return Publication(deadline, "upcoming")
    left = working_days_between(today, deadline)
    return Publication(deadline, "due" if left >= 0 else "late", working_days_left=left)


def actions_for_review(meeting):
    """Every action of the group that was open when the meeting started: raised before it
    (or on its day elsewhere) and not closed before its date. Previous meetings' actions
    come first, oldest meeting first; then those raised outside meetings, oldest first."""
    return (
        Action.objects.filter(group_id=meeting.group_id, date_raised__lte=meeting.date)
        .exclude(meeting=meeting)
        .filter(~Q(status=ActionStatus.CLOSED) | Q(closed_date__gte=meeting.date))
        .select_related("meeting__group")
        .order_by(F("meeting__date").asc(nulls_last=True), "date_raised", "reference")
    )


class ReviewRefused(Exception):
    """Some updates of a review could not be recorded: {action pk: [messages]}."""

    def __init__(self, errors):
        super().__init__("Some updates could not be recorded.")
        self.errors = errors


@transaction.atomic
def actions_review_record(*, meeting, user, date, rows) -> int:
    """Record what the meeting said about each action: rows of (action, status, text),
    where status "" keeps the current one. All rows are saved or none (ReviewRefused
    says which failed and why). Returns the number of updates recorded."""
    lock_for_records(meeting)
    errors = {}
    for action, status, text in rows:
        try:
            with transaction.atomic():
                action_add_update(
                    action=action,
                    text=text,
                    date=date,
                    status=status,
                    user=user,
                    meeting=meeting,
                    source="meeting",
                )
        except ValidationError as exc:
            errors[action.pk] = exc.messages
    if errors:
        raise ReviewRefused(errors)
    return len(rows)


def mentioned(kind, reference, text) -> bool:
    """Whether the typed minutes already state the record on a line of its own ("ACTION
    DAG29-01: ..."), as the minutes imported from the papers do."""
    line = rf"^\W*{kind}\W+{re.escape(reference)}\b"
    return re.search(line, text, re.MULTILINE) is not None


def summarised(reference, texts) -> bool:
    """Whether the typed minutes already say what was said about an action, in a line that
    opens with its reference ("DAG28-02: The Chair advised ..."), as the paper's item 2
    does for every action reviewed."""
    line = rf"^\W*{re.escape(reference)}\b"
    return any(re.search(line, text, re.MULTILINE) for text in texts)


def attach_record_lines(meeting, items):
    """Give each agenda item `record_lines`, (kind, record, text) for the actions and
    decisions raised under it in the order raised, leaving out those whose line the typed
    text already carries; and its RAID reviews as `raid_discussed`. Three queries whatever
    the number of items and records."""
    lines, reviews = {}, {}
    for action in meeting.actions.filter(agenda_item__isnull=False):
        lines.setdefault(action.agenda_item_id, []).append(
            (action.created_at, "ACTION", action, action.text)
        )
    for decision in Decision.objects.filter(meeting=meeting, agenda_item__isnull=False):
        lines.setdefault(decision.agenda_item_id, []).append(
            (decision.created_at, "DECISION", decision, decision.wording)
        )
    raid_reviews = RaidReview.objects.filter(meeting=meeting, agenda_item__isnull=False)
    for review in raid_reviews.select_related("raid_item"):
        reviews.setdefault(review.agenda_item_id, []).append(review)
    for item in items:
        item.record_lines = [
            (kind, record, text)
            for _, kind, record, text in sorted(lines.get(item.pk, []), key=lambda line: line[0])
            if not mentioned(kind, record.reference, item.minutes)
        ]
        item.raid_discussed = reviews.get(item.pk, [])
    return items


@dataclass(frozen=True)
class ReviewEntry:
    """What the review page says about one RAID item: the text, the other items the same
    text covers, the actions raised from it, and the review's version when the page was
    opened (0: it had none)."""

    item: RaidItem
    discussion: str = ""
    conclusion: str = ""
    also_covers: tuple = ()
    actions: tuple = ()
    version: int | None = None

    @property
    def said(self):
        return bool(self.discussion.strip() or self.conclusion.strip())

    def differs(self, review, agenda_item):
        """Whether saving this entry would change the stored review (or lack of one)."""
        if review is None:
            return self.said
        return (
            not self.said
            or (review.discussion, review.conclusion)
            != (self.discussion.strip(), self.conclusion.strip())
            or review.agenda_item_id != (agenda_item.pk if agenda_item else None)
            or {i.pk for i in review.also_covers.all()} != {i.pk for i in self.also_covers}
            or {a.pk for a in review.actions.all()} != {a.pk for a in self.actions}
        )


@transaction.atomic
def raid_reviews_record(*, meeting, entries, agenda_item=None) -> int:
    """Save what a meeting said about each RAID item (entries are ReviewEntry). An item
    with nothing said gets no review (and loses one it had); an unchanged one is not
    saved again. Returns how many reviews the meeting now has from these entries.

    Refused (MeetingLocked) once the meeting's minutes are issued: the reviews are part of
    them. Refused (core.versions.StaleRecords, keyed by RAID item id, nothing saved) if a
    review an entry changes was saved, added or removed since its version was read."""
    meeting = lock_for_records(meeting)
    reviews = {
        review.raid_item_id: review
        for review in meeting.raid_reviews.prefetch_related("also_covers", "actions")
    }
    changing = [e for e in entries if e.differs(reviews.get(e.item.pk), agenda_item)]
    stale = {}
    for entry in changing:
        if entry.version is None:
            continue
        review = reviews.get(entry.item.pk) or RaidReview(raid_item=entry.item, meeting=meeting)
        try:
            check_unchanged(review, entry.version)
        except StaleRecord as refused:
            stale[entry.item.pk] = refused
    if stale:
        raise StaleRecords(stale)
    for entry in changing:
        if entry.said:
            review = raid_review_record(
                raid_item=entry.item,
                meeting=meeting,
                discussion=entry.discussion.strip(),
                conclusion=entry.conclusion.strip(),
                agenda_item=agenda_item,
            )
            review.also_covers.set(entry.also_covers)
            review.actions.set(entry.actions)
        else:
            RaidReview.objects.filter(raid_item=entry.item, meeting=meeting).delete()
    return sum(entry.said for entry in entries)


@transaction.atomic
def change_request_present(*, agenda_item, reference, change_request=None, status_presented=""):
    """List a CR against an agenda item with the status the meeting was told. A reference
    not in the tracker (`change_request` None) becomes a CR known only by it: no title,
    stage or approval status, handled by the meeting's group. Returns the new line."""
    if change_request is None:
        change_request = change_request_create(
            title="",
            reference=reference,
            group=agenda_item.meeting.group,
            stage=NOT_KNOWN,
            approval_status=NOT_KNOWN,
        )
    order = agenda_item.change_requests_presented.aggregate(last=Max("order"))["last"] or 0
    line = ChangeRequestPresented(
        agenda_item=agenda_item,
        change_request=change_request,
        status_presented=status_presented.strip(),
        order=order + 1,
    )
    line.full_clean()
    line.save()
    return line
