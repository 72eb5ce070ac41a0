"""What the meetings app tells people by email (through notifications.notices): the
minutes issued or corrected, with each owner's actions of the meeting, and the calendar
invitation of a meeting scheduled, moved or cancelled.

An invitation is an iCalendar (.ics) request Outlook and Google Calendar accept: one UID
per meeting for good, a SEQUENCE one higher on each change (Meeting.invitation_sequence),
METHOD:REQUEST or, once cancelled, METHOD:CANCEL; times in Europe/London with its
VTIMEZONE; the PMO as organiser and the expected attendees as attendees.
"""

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from actions.notices import tell_owners_of_meeting
from core.models import Person
from notifications.models import EmailKind
from notifications.notices import Attachment, absolute, tell

from .models import MeetingStatus

LONDON = ZoneInfo("Europe/London")
# A meeting with a start but no end time is booked for this long.
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def group_members(group):
    """The group's active members (any role), each once."""
    return (
        Person.objects.filter(memberships__group=group, memberships__active=True, active=True)
        .distinct()
        .order_by("name")
    )


def tell_minutes_issued(*, meeting, issue, reason="") -> None:
    """Tell the group's active members the minutes are issued, or corrected when `issue`
    is a later issue (with its `reason`), with links to the minutes and their PDF; and tell
    each owner the meeting's actions they own. Call inside the issuing transaction: the
    emails leave after it commits, once per issue and person."""
    group = meeting.group
    corrected = issue > 1
    subject = f"[{group.code}] Minutes of {meeting.code} " + (
        f"corrected (Issue {issue})" if corrected else "issued"
    )
    intro = (
        f"The minutes of {meeting.code} ({meeting.date:%d/%m/%Y}) have been corrected: "
        f"Issue {issue}." + (f" Reason: {reason}" if reason else "")
        if corrected
        else f"The minutes of {meeting.code} ({meeting.date:%d/%m/%Y}) have been issued."
    )
    links = [
        ("Read the minutes", absolute(reverse("meetings:minutes_document", args=[meeting.pk]))),
        (
            "Download the minutes PDF",
            absolute(reverse("meetings:meeting_documents", args=[meeting.pk])),
        ),
    ]
    for person in group_members(group):
        tell(
            key=f"minutes:{meeting.pk}:{issue}:{person.pk}",
            kind=EmailKind.MINUTES_ISSUED,
            person=person,
            group=group,
            subject=subject,
            intro=intro,
            links=links,
        )
    tell_owners_of_meeting(meeting)


# Calendar invitations ----------------------------------------------------------------------


def invitation_state(meeting) -> tuple:
    """What an invitation says: a change in any of it sends the invitation again."""
    return (meeting.date, meeting.start_time, meeting.end_time, meeting.venue, meeting.is_cancelled)


def invitees(meeting) -> list[Person]:
    """The meeting's expected attendees or, before the list is drawn up, the group's active
    members."""
    people = {}
    for line in meeting.attendances.select_related("person").order_by("order", "pk"):
        people.setdefault(line.person.pk, line.person)
    return list(people.values()) or list(group_members(meeting.group))


def calendar_host() -> str:
    """The host name every UID of ours ends with (the site's)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting) -> str:
    """The meeting's one UID for good: its invitations and the calendar feeds share it, so
    a calendar holding both shows the meeting once."""
    return f"meeting-{meeting.pk}@{calendar_host()}"


def new_calendar(method) -> Calendar:
    """An empty iCalendar object of ours with its METHOD (REQUEST, CANCEL or PUBLISH)."""
    calendar = Calendar()
    calendar.add("prodid", "-//MHHS governance tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def meeting_event(meeting, people=(), *, cancel) -> Event:
    """The meeting's VEVENT, as its invitations and the calendar feeds show it: the UID and
    SEQUENCE of its invitations, times in Europe/London, STATUS:CANCELLED once `cancel`,
    the PMO as organiser and `people` (with an email address) as attendees. Reads
    meeting.group."""
    pmo_name, pmo_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.invitation_sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{meeting.code} {meeting.title or meeting.group.name}")
    if meeting.start_time:
        start = datetime.datetime.combine(meeting.date, meeting.start_time, LONDON)
        end = (
            datetime.datetime.combine(meeting.date, meeting.end_time, LONDON)
            if meeting.end_time
            else start + DEFAULT_LENGTH
        )
    else:  # a whole day
        start, end = meeting.date, meeting.date + datetime.timedelta(days=1)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("location", meeting.venue)
    event.add("url", absolute(meeting.get_absolute_url()))
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{pmo_address}")
    organizer.params["cn"] = vText(pmo_name or pmo_address)
    event.add("organizer", organizer)
    for person in people:
        if person.email:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params.update(
                {"cn": vText(person.name), "role": "REQ-PARTICIPANT", "rsvp": "TRUE"}
            )
            event.add("attendee", attendee)
    return event


def calendar_text(meeting, people, *, cancel) -> str:
    """The meeting as an iCalendar request (or cancellation) to `people`."""
    calendar = new_calendar("CANCEL" if cancel else "REQUEST")
    calendar.add_component(meeting_event(meeting, people, cancel=cancel))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def send_invitations(meeting, *, added=None) -> None:
    """Send the meeting's invitation at its current SEQUENCE to each invitee (once per
    sequence and person), or only to the people just `added` to its attendance; none for a
    meeting already past, and no invitation to a cancelled meeting for someone added."""
    if meeting.date < timezone.localdate():
        return
    cancel = meeting.status == MeetingStatus.CANCELLED
    if cancel and added is not None:
        return
    people = invitees(meeting)
    method = "CANCEL" if cancel else "REQUEST"
    text = calendar_text(meeting, people, cancel=cancel)
    when = f"{meeting.date:%d/%m/%Y}" + (
        f" {meeting.start_time:%H:%M}" if meeting.start_time else ""
    )
    if cancel:
        subject, intro = f"Cancelled: {meeting.code} on {when}", f"{meeting.code} is cancelled."
    elif meeting.invitation_sequence and added is None:
        subject = f"Updated invitation: {meeting.code} on {when}"
        intro = f"{meeting.code} has moved or changed: it is now on {when}, {meeting.venue}."
    else:
        subject = f"Invitation: {meeting.code} on {when}"
        intro = f"You are invited to {meeting.code} on {when}, {meeting.venue}."
    added_pks = None if added is None else {person.pk for person in added}
    for person in people:
        if added_pks is not None and person.pk not in added_pks:
            continue
        tell(
            key=f"ics:{meeting.pk}:{meeting.invitation_sequence}:{person.pk}",
            kind=EmailKind.MEETING_INVITATION,
            person=person,
            group=meeting.group,
            subject=subject,
            intro=intro + " The calendar invitation is attached.",
            links=[("View the meeting", absolute(meeting.get_absolute_url()))],
            attachment=Attachment(
                "invite.ics" if not cancel else "cancel.ics",
                f"text/calendar; method={method}",
                text,
            ),
        )


def tell_meeting_changed(meeting, *, before) -> None:
    """After the meeting was saved: if its date, times, venue or status changed from
    `before` (invitation_state() read before the change), raise its SEQUENCE and send the
    invitation again (a cancellation once cancelled)."""
    if invitation_state(meeting) == before:
        return
    if before[-1] and meeting.is_cancelled:  # a cancelled meeting edited: nothing to say
        return
    meeting.invitation_sequence += 1
    meeting.save(update_fields=["invitation_sequence"])
    send_invitations(meeting)
