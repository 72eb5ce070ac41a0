"""What a meeting's Minutes and Actions say, built once for both the PDF and the web page.

    minutes = build_minutes(meeting)

returns a MeetingMinutes: the header box, the attendee table in the paper's order (Chair;
Industry Representatives; the group's programme label, e.g. "MHHS"; Other Attendees;
Apologies), the new/outstanding actions table grouped by area with the previous meetings'
open actions last under "Previous Meeting(s)" and those this meeting closed after them,
marked closed, the decisions table, the RAID items discussed, the review of previous
actions (the dated updates recorded at the meeting that the minutes do not already
give), the numbered minutes as sanitised HTML with ACTION/DECISION lines, and the date
of the next meeting, laid out as the DAG029 paper. HTML typed into the minutes is shown
as the characters typed (render_markdown), never interpreted.

It is the one source of the minutes: the minutes page (templates/meetings/
minutes_document.html) and the PDF (templates/documents/minutes.html) render this data
and nothing else, so they agree row for row.

Everything is plain data (meetings/minutes_data.py: dataclasses of strings, dates and
safe HTML), so templates need
no queries and the content can be hashed to tell whether a stored PDF is still current.
The builder runs a fixed number of queries whatever the size of the meeting (see
QUERY_COUNT). URLs are site-relative ("/actions/DAG29-01/"); the PDF resolves them
against SITE_URL.
"""

import re
from datetime import time

from django.db.models import Prefetch
from django.utils.safestring import SafeString, mark_safe

from actions.models import Action, ActionStatus, ActionUpdate
from core.dates import long_date
from core.markup import REFERENCE_RE, find_references, reference_urls, render_markdown
from core.models import GovernanceGroup
from core.references import reference_sort_key
from decisions.models import DecisionStatus

from .as_at import actions_as_at
from .interests import declaration_text
from .minutes_data import (
    ActionGroup,
    ActionRow,
    AttendeeLine,
    AttendeeSection,
    DecisionRow,
    MeetingMinutes,
    MinutesHeader,
    MinutesItem,
    PresentedCR,
    RaidDiscussed,
    RecordLine,
    ReviewedUpdate,
)
from .models import (
    AttendanceStatus,
    ChangeRequestPresented,
    InterestDeclaration,
    Meeting,
    attendance_sections,
)
from .services import summarised

PREVIOUS_MEETINGS = "Previous Meeting(s)"
CLOSED_HERE = "Closed at this meeting"
# The builder's most queries: meeting, attendances, the meeting's attendance headings,
# agenda items, the meeting's actions and their owners with their people (two), the
# outstanding actions as at its start (meetings/as_at.actions_as_at: seven, the six there
# and those the meeting closed), decisions, RAID reviews with the other items each covers
# and the actions raised from it (three), the change requests presented at its items,
# updates recorded at the meeting, the interests declared at its items, and
# reference_urls() (one per record type: four).
QUERY_COUNT = 24

# A paragraph of minutes that records an action or decision: "ACTION DAG29-01: ...",
# also when the writer made it bold.
_RECORD_PARAGRAPH = re.compile(r"<p>(?=(?:<strong>|<b>)?(?:ACTION|DECISION)\b)")
_RECORD_LINE = re.compile(r"^\W*(ACTION|DECISION)\W+(" + REFERENCE_RE.pattern + ")", re.MULTILINE)


def clock_time(value: time) -> str:
    """ "10am", "2:30pm", as the papers write the time of the next meeting."""
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def _date_and_time(meeting: Meeting) -> str:
    text = long_date(meeting.date)
    if meeting.start_time:
        text += f" {meeting.start_time:%H%M}"
        if meeting.end_time:
            text += f"-{meeting.end_time:%H%M}"
    return text


def _programme_prefix(group: GovernanceGroup) -> str:
    default = GovernanceGroup._meta.get_field("programme_label").default
    return "" if group.programme_label == default else group.programme_label


def _header(meeting: Meeting) -> MinutesHeader:
    group = meeting.group
    return MinutesHeader(
        programme=_programme_prefix(group),
        group_name=group.name,
        group_code=group.code,
        meeting_code=meeting.code,
        meeting_title=meeting.title,
        venue="By correspondence" if meeting.held_by_correspondence else meeting.venue,
        date=meeting.date,
        date_and_time=_date_and_time(meeting),
        classification=meeting.get_classification_display(),
        issue_date=meeting.minutes_issue_date,
        status=meeting.get_status_display(),
        paper_title=meeting.paper_title,
        paper_reference=meeting.paper_reference,
        paper_version=meeting.paper_version,
    )


def _attendee_sections(meeting: Meeting, attendances, headings) -> list[AttendeeSection]:
    def initials(a):
        # Most papers list apologies by name only; some print their initials too.
        if a.status == AttendanceStatus.APOLOGIES and not meeting.apologies_initials:
            return ""
        return a.initials

    return [
        AttendeeSection(
            heading=heading,
            lines=[
                AttendeeLine(
                    name=a.name_as_printed,
                    initials=initials(a),
                    role=a.role,
                    on_behalf_of=a.on_behalf_of.name if a.on_behalf_of else "",
                    part_meeting=a.part_meeting,
                    person_url=a.person.get_absolute_url(),
                    note=a.note,
                )
                for a in rows
            ],
        )
        for heading, rows in attendance_sections(meeting, attendances, headings)
    ]


def action_row(action: Action, meeting: Meeting, closed: bool | None = None) -> ActionRow:
    """The action as the minutes of `meeting` list it; `closed`: whether the meeting closed
    it, when `action` holds the values it had before (else read from `action`)."""
    if closed is None:
        closed = action.closed_meeting_id == meeting.pk
    return ActionRow(
        reference=action.reference,
        url=action.get_absolute_url(),
        text=action.text,
        owner=action.owner_display(),
        due=action.due_display(),
        status=ActionStatus.CLOSED if closed else action.status,
        status_label=ActionStatus.CLOSED.label if closed else action.get_status_display(),
        agenda_item_id=action.agenda_item_id,
        closed=closed,
    )


def _actions(meeting: Meeting):
    """(this meeting's actions as they are now, the outstanding actions, the pks of those
    the meeting closed). The outstanding actions are the group's register of actions as at
    the meeting's start, open then (meetings/as_at.py, the "as at" page's rows): each with
    the values and owners it had when the meeting started, so editing an action later
    changes neither the minutes nor their issues' "changed since"; what the meeting said of
    them is its review of previous actions."""
    new = list(
        Action.objects.filter(meeting=meeting)
        .select_related("agenda_item", "meeting")
        .with_next_meeting_date()
        .with_owners()
        .defer("search_vector")
    )
    outstanding = [
        action
        for action in actions_as_at(
            at=meeting.records_open_at, groups=[meeting.group_id], only_open=True
        )
        if action.meeting_id != meeting.pk
    ]
    closed_here = set(meeting.closed_actions.values_list("pk", flat=True))
    return new, outstanding, closed_here


def _action_groups(meeting: Meeting, new, outstanding, closed_here) -> list[ActionGroup]:
    """New actions grouped by area in reference order (an area first seen later comes
    later), then the previous meetings' outstanding actions, newest meeting first, then
    those this meeting closed."""
    new = sorted(new, key=lambda a: reference_sort_key(a.reference))
    by_area: dict[str, list[ActionRow]] = {}
    for action in new:
        area = action.area or (action.agenda_item.title if action.agenda_item else "")
        by_area.setdefault(area, []).append(action_row(action, meeting))
    groups = [ActionGroup(area=area, rows=rows) for area, rows in by_area.items()]
    previous = sorted(
        outstanding,
        key=lambda a: (
            -(a.meeting.date if a.meeting else a.date_raised).toordinal(),
            reference_sort_key(a.reference),
        ),
    )
    previous_rows = [action_row(a, meeting, closed=a.pk in closed_here) for a in previous]
    for area, closed in ((PREVIOUS_MEETINGS, False), (CLOSED_HERE, True)):
        rows = [row for row in previous_rows if row.closed == closed]
        if rows:
            groups.append(ActionGroup(area=area, rows=rows, previous=True))
    return groups


def reviewed_updates(meeting: Meeting, minutes_texts) -> list[ReviewedUpdate]:
    """The updates recorded at the meeting on earlier meetings' actions (the paper's
    "summary of key updates"), by reference, leaving out those whose summary the typed
    minutes already give: one query whatever the number of actions. The minutes document
    and the meeting page both show these."""
    updates = (
        ActionUpdate.objects.filter(meeting=meeting)
        .exclude(action__meeting=meeting)
        .select_related("action")
    )
    return [
        ReviewedUpdate(
            reference=update.action.reference,
            url=update.action.get_absolute_url(),
            date=update.date,
            text=update.text,
            status=update.status_set,
            status_label=update.get_status_set_display() if update.status_set else "",
        )
        for update in sorted(
            updates, key=lambda u: (reference_sort_key(u.action.reference), u.created_at)
        )
        if not summarised(update.action.reference, minutes_texts)
    ]


def _emphasise_records(html: str) -> SafeString:
    # A constant attribute added to already sanitised HTML keeps it safe.
    return mark_safe(_RECORD_PARAGRAPH.sub('<p class="minutes-record">', html))  # noqa: S308


def declarations_by_item(meeting, attendances) -> dict[int, list[str]]:
    """{agenda item id: the declarations of interest printed under it}, each naming the
    declarer by their initials at the meeting (else their name): one query. The minutes
    and the meeting page (before the minutes are issued) both print these."""
    initials = {a.person_id: a.initials for a in attendances}
    declared = {}
    for declaration in InterestDeclaration.objects.filter(
        agenda_item__meeting=meeting
    ).select_related("person", "agenda_item"):
        declared.setdefault(declaration.agenda_item_id, []).append(
            declaration_text(declaration, initials.get(declaration.person_id, ""))
        )
    return declared


def _items(agenda_items, actions, decisions, urls, declared) -> list[MinutesItem]:
    items = []
    for item in agenda_items:
        stated = {(kind, ref) for kind, ref in _RECORD_LINE.findall(item.minutes)}
        records = [
            RecordLine("DECISION", d.reference, d.get_absolute_url(), d.wording)
            for d in decisions
            if d.agenda_item_id == item.pk and ("DECISION", d.reference) not in stated
        ] + [
            RecordLine("ACTION", a.reference, a.get_absolute_url(), a.text)
            for a in actions
            if a.agenda_item_id == item.pk and ("ACTION", a.reference) not in stated
        ]
        items.append(
            MinutesItem(
                number=item.number,
                title=item.title,
                lead=item.lead_as_printed,
                agenda_item_id=item.pk,
                html=_emphasise_records(render_markdown(item.minutes, urls)),
                records=records,
                item_type=item.get_item_type_display(),
                duration=item.duration_minutes,
                paper_html=render_markdown(item.paper_text, urls),
                objective=item.objective,
                agenda_printed=item.duration_minutes is not None
                or bool(item.lead_text or item.paper_text),
                change_requests=[
                    PresentedCR(
                        reference=p.change_request.reference,
                        url=p.change_request.get_absolute_url(),
                        title=p.change_request.title,
                        status=p.status_presented,
                    )
                    for p in item.change_requests_presented.all()
                ],
                declarations=declared.get(item.pk, []),
                members_only=item.get_members_only_display() if item.members_only else "",
            )
        )
    return items


def next_meeting_text(meeting: Meeting) -> str:
    """ "08 November 2023 10am"; with a second date, "10 August, 14 September 2022 10am"
    (the first without its year when both fall in one year)."""
    first, then = meeting.next_meeting_date, meeting.following_meeting_date
    if not first:
        return ""
    if then:
        text = (f"{first:%d %B}" if first.year == then.year else long_date(first)) + ", "
        text += long_date(then)
    else:
        text = long_date(first)
    if meeting.next_meeting_time:
        text += " " + clock_time(meeting.next_meeting_time)
    return text


def build_minutes(meeting: Meeting | int) -> MeetingMinutes:
    """The Minutes and Actions of a meeting (a Meeting or its pk) in QUERY_COUNT queries.

    The meeting is read again with its group, so a stale instance never leaks into a
    document.
    """
    pk = meeting.pk if isinstance(meeting, Meeting) else meeting
    meeting = Meeting.objects.select_related("group").get(pk=pk)
    attendances = list(meeting.attendances.select_related("person", "on_behalf_of"))
    headings = list(meeting.attendance_headings.all())
    agenda_items = list(
        meeting.agenda_items.select_related("lead").prefetch_related(
            Prefetch(
                "change_requests_presented",
                queryset=ChangeRequestPresented.objects.select_related("change_request"),
            )
        )
    )
    new_actions, outstanding, closed_here = _actions(meeting)
    new_actions.sort(key=lambda a: reference_sort_key(a.reference))
    actions = new_actions + outstanding
    decisions = sorted(
        meeting.decisions.exclude(status=DecisionStatus.REJECTED).select_related("agenda_item"),
        key=lambda d: reference_sort_key(d.reference),
    )
    reviews = list(
        meeting.raid_reviews.select_related("raid_item").prefetch_related("also_covers", "actions")
    )
    for r in reviews:
        r.covered = sorted((i.reference for i in r.also_covers.all()), key=reference_sort_key)
        r.raised = sorted((a.reference for a in r.actions.all()), key=reference_sort_key)
    review = reviewed_updates(meeting, [item.minutes for item in agenda_items])
    # One lookup for every reference the document names: in the minutes, and in the
    # text of the actions, decisions and RAID discussions printed in its tables.
    named = find_references(
        *(item.minutes for item in agenda_items),
        *(item.paper_text for item in agenda_items),
        *(action.text for action in actions),
        *(decision.wording for decision in decisions),
        *(text for r in reviews for text in (r.raid_item.title, r.discussion, r.conclusion)),
        *(update.text for update in review),
    )
    urls = reference_urls(named)
    return MeetingMinutes(
        header=_header(meeting),
        attendee_sections=_attendee_sections(meeting, attendances, headings),
        action_groups=_action_groups(meeting, new_actions, outstanding, closed_here),
        decisions=[
            DecisionRow(
                area=d.area or (d.agenda_item.title if d.agenda_item_id else ""),
                reference=d.reference,
                url=d.get_absolute_url(),
                wording=d.wording,
                proposed=d.status == DecisionStatus.PROPOSED,
                agenda_item_id=d.agenda_item_id,
            )
            for d in decisions
        ],
        raid_items=[
            RaidDiscussed(
                reference=r.raid_item.reference,
                url=r.raid_item.get_absolute_url(),
                title=r.raid_item.title,
                raid_type=r.raid_item.get_raid_type_display(),
                score=r.raid_item.score,
                band=r.raid_item.band,
                discussion=r.discussion,
                conclusion=r.conclusion,
                also_covers=r.covered,
                actions=r.raised,
            )
            for r in sorted(reviews, key=lambda r: reference_sort_key(r.raid_item.reference))
        ],
        review=review,
        items=_items(
            agenda_items, new_actions, decisions, urls, declarations_by_item(meeting, attendances)
        ),
        next_meeting=next_meeting_text(meeting),
        references=sorted(
            named
            | {a.reference for a in actions}
            | {d.reference for d in decisions}
            | {ref for r in reviews for ref in (r.raid_item.reference, *r.covered, *r.raised)}
            | {
                p.change_request.reference
                for item in agenda_items
                for p in item.change_requests_presented.all()
            }
            | {update.reference for update in review},
            key=reference_sort_key,
        ),
        links=urls,
    )
