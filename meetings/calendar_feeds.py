"""Calendar feeds: a secret address per user (personal) and per user and group, that a
calendar client subscribes to without logging in.

The personal feed holds the meetings the user is invited to (on the attendance list or,
before it is drawn up, a member of the group: as meetings.notices.invitees() decides) and
the due dates of the open actions they own; a group's feed holds the group's meetings.
Either shows only what the user may see now (core.permissions), and a meeting's VEVENT is
the one of its invitations (meetings.notices.meeting_event: the same UID and SEQUENCE,
Europe/London with its VTIMEZONE, STATUS:CANCELLED once cancelled).

The address is /calendar/<feed id>/<token>.ics, the token an HMAC of the feed's random key
under SECRET_KEY: the database alone does not give it away, the page can show it again,
and a reset (a new key) makes the old address answer 404.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Event

from actions.models import Action, DueKind
from core.models import Membership
from core.permissions import filter_visible, person_of
from notifications.notices import absolute

from .models import Attendance, CalendarFeed, Meeting
from .notices import calendar_host, meeting_event, new_calendar

# How far back a feed reaches: a calendar needs last year's meetings, not the programme's.
HISTORY = datetime.timedelta(days=366)


def feed_token(feed) -> str:
    return salted_hmac(
        "meetings.calendar_feed", f"{feed.pk}:{feed.key}", algorithm="sha256"
    ).hexdigest()


def feed_url(feed) -> str:
    """The feed's full secret address, to show to its user alone."""
    return absolute(reverse("meetings:calendar_feed", args=[feed.pk, feed_token(feed)]))


def token_matches(feed, token) -> bool:
    return constant_time_compare(feed_token(feed), token)


def reset_feed(*, user, group=None) -> CalendarFeed:
    """Give the user's personal feed (or their feed of `group`) a new secret, creating the
    feed the first time: the old address stops working at once."""
    key = secrets.token_hex(32)
    feed = CalendarFeed.objects.filter(user=user, group=group).first()
    if feed is None:
        try:
            with transaction.atomic():
                return CalendarFeed.objects.create(user=user, group=group, key=key)
        except IntegrityError:  # created meanwhile by a second click: reset that one
            feed = CalendarFeed.objects.get(user=user, group=group)
    feed.key = key
    feed.save(update_fields=["key", "reset_at"])
    return feed


def invited_meetings(person):
    """The meetings `person` is invited to: on the attendance list, or a member of the
    group of a meeting whose list is not drawn up yet."""
    return Meeting.objects.alias(
        has_list=Exists(Attendance.objects.filter(meeting=OuterRef("pk")))
    ).filter(
        Q(pk__in=Attendance.objects.filter(person=person).values("meeting"))
        | Q(
            group__in=Membership.objects.filter(person=person, active=True).values("group"),
            has_list=False,
        )
    )


def feed_meetings(feed, today):
    """The feed's meetings the user may see, from a year back, with their groups."""
    user = feed.user
    if feed.group_id is not None:
        meetings = Meeting.objects.filter(group=feed.group_id)
    else:
        person = person_of(user)
        meetings = invited_meetings(person) if person else Meeting.objects.none()
    return (
        filter_visible(user, meetings)
        .filter(date__gte=today - HISTORY)
        .select_related("group")
        .order_by("date", "start_time", "pk")
    )


def feed_actions(feed):
    """The due dates in a personal feed: open actions the user owns with a date due."""
    if feed.group_id is not None or (person := person_of(feed.user)) is None:
        return Action.objects.none()
    return (
        filter_visible(feed.user, Action.objects.owned_by(person).open())
        .filter(due_kind=DueKind.DATE, due_date__isnull=False)
        .defer("search_vector")
        .order_by("due_date", "pk")
    )


def action_event(action) -> Event:
    """An action's due date as an all-day VEVENT."""
    event = Event()
    event.add("uid", f"action-{action.pk}@{calendar_host()}")
    event.add("dtstamp", timezone.now())
    event.add("summary", f"Action {action.reference} due")
    event.add("description", action.text)
    event.add("dtstart", action.due_date)
    event.add("dtend", action.due_date + datetime.timedelta(days=1))
    event.add("url", absolute(action.get_absolute_url()))
    event.add("transp", "TRANSPARENT")
    return event


def feed_text(feed) -> str:
    """The feed as iCalendar text (METHOD:PUBLISH): with the feed read with its user, their
    person and group, a query of the user's roles, one of meetings and, for a personal
    feed, one of actions."""
    calendar = new_calendar("PUBLISH")
    name = f"{feed.group.code} meetings" if feed.group_id else "My meetings and actions"
    calendar.add("x-wr-calname", f"MHHS governance: {name}")
    calendar.add("x-wr-timezone", "Europe/London")
    for meeting in feed_meetings(feed, timezone.localdate()):
        calendar.add_component(meeting_event(meeting, cancel=meeting.is_cancelled))
    for action in feed_actions(feed):
        calendar.add_component(action_event(action))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def feed_url_for(user, group=None) -> str:
    """The address of the user's personal feed (or their feed of `group`), "" before they
    create it: for their own pages only."""
    feed = CalendarFeed.objects.filter(user=user, group=group).first()
    return feed_url(feed) if feed else ""
