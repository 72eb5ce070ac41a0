"""Emails of the meetings app (meetings/notices.py), through a real SMTP server on loopback:
the minutes issued or corrected, each owner's actions of the meeting, and the calendar
invitation of a meeting scheduled, moved or cancelled (.ics parsed with icalendar)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.models import Person
from core.versions import record_version
from meetings.minutes_workflow import minutes_issue
from meetings.models import MeetingStatus
from meetings.notices import send_invitations, tell_minutes_issued
from meetings.services import attendance_add, meeting_schedule
from notifications.models import EmailKind
from notifications.preferences import set_notice_opt_outs
from tests.factories import make_action, make_meeting

pytestmark = pytest.mark.django_db
SITE = "https://governance.example.org"


def plain(message):
    return message.get_body(("plain",)).get_content()


def html(message):
    return message.get_body(("html",)).get_content()


# Minutes issued and the actions assigned there -----------------------------------------------


@pytest.fixture
def held(dag, secretariat, chair, member, observer):
    meeting = make_meeting(dag, number=29, date=datetime.date(2024, 6, 12))
    first = make_action(meeting, owners=[member.person], text="Circulate the design paper")
    second = make_action(meeting, owners=[member.person, chair.person], text="Report back")
    return meeting, first, second


def test_issuing_tells_every_member_once_with_the_minutes_and_pdf_links(
    held, mailbox, secretariat, chair, member, observer
):
    meeting, _, _ = held
    minutes_issue(meeting=meeting, user=secretariat)
    mailbox.deliver()
    issued = [m for m in mailbox.messages if "Minutes of DAG029" in m["Subject"]]
    people = (secretariat, chair, member, observer)
    assert sorted(m["To"] for m in issued) == sorted(user.email for user in people)
    message = mailbox.to(member.email, "Minutes of DAG029")[0]
    assert message["Subject"] == "[DAG] Minutes of DAG029 issued"
    for body in (plain(message), html(message)):
        assert f"{SITE}/meetings/{meeting.pk}/minutes/" in body
        assert f"{SITE}/meetings/{meeting.pk}/documents/" in body
        assert f"{SITE}/email/preferences/" in body
    assert '"Minutes issued or corrected"' in plain(message)

    # A retried or repeated trigger plans nothing new.
    tell_minutes_issued(meeting=meeting, issue=1)
    mailbox.deliver()
    assert len([m for m in mailbox.messages if "Minutes of DAG029" in m["Subject"]]) == 4


def test_a_correction_names_its_issue_and_reason(held, mailbox, member):
    meeting, _, _ = held
    tell_minutes_issued(meeting=meeting, issue=2, reason="Attendance of Lee Cox corrected")
    mailbox.deliver()
    (message,) = mailbox.to(member.email, "Minutes of DAG029")
    assert message["Subject"] == "[DAG] Minutes of DAG029 corrected (Issue 2)"
    assert "Issue 2. Reason: Attendance of Lee Cox corrected" in plain(message)


def test_each_owner_gets_one_email_listing_their_actions_of_the_meeting(
    held, mailbox, client, secretariat, chair, member
):
    meeting, first, second = held
    minutes_issue(meeting=meeting, user=secretariat)
    tell_minutes_issued(meeting=meeting, issue=1)  # a second trigger
    mailbox.deliver()
    (message,) = mailbox.to(member.email, "assigned")
    assert message["Subject"] == "[DAG] 2 actions assigned to you at DAG029"
    text = plain(message)
    for action in (first, second):
        assert action.reference in text and action.text in text
        assert f"{SITE}/actions/{action.reference}/" in text
    (chairs,) = mailbox.to(chair.email, "assigned")
    assert chairs["Subject"] == "[DAG] 1 action assigned to you at DAG029"
    assert first.reference not in plain(chairs)
    assert not mailbox.to(secretariat.email, "assigned")
    # The update link works without an account, for this owner and this action.
    links = re.findall(rf"{SITE}(/email/update/[^/\s]+/)", text)
    assert len(links) == 2
    response = client.get(links[0])
    assert response.status_code == 200 and first.text in response.content.decode()


def test_opting_out_of_one_kind_leaves_the_others(held, mailbox, secretariat, chair):
    meeting, _, _ = held
    set_notice_opt_outs(person=chair.person, kinds=[EmailKind.MINUTES_ISSUED])
    minutes_issue(meeting=meeting, user=secretariat)
    mailbox.deliver()
    assert not mailbox.to(chair.email, "Minutes of")
    assert len(mailbox.to(chair.email, "assigned")) == 1
    assert len(mailbox.to(secretariat.email, "Minutes of")) == 1


# Calendar invitations -----------------------------------------------------------------------


def invitation(message):
    """The .ics of a message, parsed, with its MIME part."""
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_content())


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.fixture
def future():
    return timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def pmo_client(client, secretariat):
    client.force_login(secretariat)
    return client


def edit(client, meeting, **changes):
    data = {
        "title": meeting.title,
        "date": meeting.date.strftime("%d/%m/%Y"),
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M"),
        "venue": meeting.venue,
        "classification": meeting.classification,
        "status": meeting.status,
        "version": record_version(meeting),
        **changes,
    }
    response = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302, response.content.decode()
    meeting.refresh_from_db()


def test_scheduled_moved_and_cancelled_meetings_send_invitations(
    dag, secretariat, chair, member, observer, mailbox, pmo_client, future
):
    set_notice_opt_outs(person=observer.person, kinds=[EmailKind.MEETING_INVITATION])
    meeting = meeting_schedule(
        group=dag,
        number=30,
        date=future,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        venue="Virtual – MS Teams",
    )
    mailbox.deliver()
    invited = (secretariat, chair, member)
    assert sorted(m["To"] for m in mailbox.messages) == sorted(u.email for u in invited)
    message = mailbox.to(member.email)[0]
    assert message["Subject"] == f"Invitation: DAG030 on {future:%d/%m/%Y} 10:00"
    assert f"{SITE}/meetings/{meeting.pk}/" in plain(message)
    part, calendar = invitation(message)
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    uid = str(event["UID"])
    assert uid == f"meeting-{meeting.pk}@governance.example.org"
    assert event["SEQUENCE"] == 0
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt == datetime.datetime.combine(future, datetime.time(10, 0)).replace(
        tzinfo=start.dt.tzinfo
    )
    assert str(start.dt.tzinfo) == "Europe/London"
    assert event["DTEND"].dt.hour == 12
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    assert str(event["ORGANIZER"]) == "mailto:pmo@governance.localhost"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == sorted(f"mailto:{u.email}" for u in (*invited, observer))

    # Moved: the same UID, SEQUENCE 1, the new time.
    edit(pmo_client, meeting, start_time="14:00", end_time="15:30")
    mailbox.deliver()
    moved = mailbox.to(member.email, "Updated invitation")
    assert [m["Subject"] for m in moved] == [
        f"Updated invitation: DAG030 on {future:%d/%m/%Y} 14:00"
    ]
    _, calendar = invitation(moved[0])
    event = event_of(calendar)
    assert (str(event["UID"]), event["SEQUENCE"], calendar["METHOD"]) == (uid, 1, "REQUEST")
    assert event["DTSTART"].dt.hour == 14 and event["DTSTART"].params["TZID"] == "Europe/London"

    # A change the invitation does not carry sends nothing; a retry sends nothing again.
    edit(pmo_client, meeting, title="Design Advisory Group")
    send_invitations(meeting)
    mailbox.deliver()
    assert len(mailbox.to(member.email)) == 2

    # Cancelled: METHOD:CANCEL at SEQUENCE 2.
    edit(pmo_client, meeting, status=MeetingStatus.CANCELLED)
    mailbox.deliver()
    (cancelled,) = mailbox.to(member.email, "Cancelled")
    part, calendar = invitation(cancelled)
    event = event_of(calendar)
    assert part.get_param("method") == "CANCEL" and calendar["METHOD"] == "CANCEL"
    assert (str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (uid, 2, "CANCELLED")
    assert len(mailbox.messages) == 9 and not mailbox.to(observer.email)


def test_the_expected_attendees_are_invited_once_the_list_is_drawn_up(
    dag, member, chair, mailbox, future
):
    meeting = make_meeting(dag, number=31, date=future, start_time=datetime.time(9, 30))
    meeting.attendances.create(person=member.person, category="industry", status="expected")
    send_invitations(meeting)
    mailbox.deliver()
    (message,) = mailbox.messages
    assert message["To"] == member.email
    event = event_of(invitation(message)[1])
    assert str(event["ATTENDEE"]) == f"mailto:{member.email}"
    # Two hours when no end time is given.
    assert event["DTEND"].dt - event["DTSTART"].dt == datetime.timedelta(hours=2)


def test_someone_added_after_the_invitation_is_invited_and_nobody_twice(
    dag, secretariat, chair, member, mailbox, pmo_client, future
):
    meeting = meeting_schedule(
        group=dag,
        number=30,
        date=future,
        start_time=datetime.time(10),
        end_time=datetime.time(11),
    )
    edit(pmo_client, meeting, start_time="11:00", end_time="12:00")  # now at SEQUENCE 1
    mailbox.deliver()
    before = len(mailbox.messages)
    guest = Person.objects.create(name="Ian Smith", email="ian.smith@ofgem.example")

    pmo_client.post(reverse("meetings:attendance_add_members", args=[meeting.pk]))
    pmo_client.post(
        reverse("meetings:attendance_add_person", args=[meeting.pk]), {"person": guest.pk}
    )
    mailbox.deliver()

    # The members were invited when it was scheduled; only the newcomer is told, once, with
    # the meeting's current SEQUENCE (not "Updated": it is their first invitation).
    (message,) = mailbox.messages[before:]
    assert message["To"] == guest.email
    assert message["Subject"] == f"Invitation: DAG030 on {future:%d/%m/%Y} 11:00"
    event = event_of(invitation(message)[1])
    assert event["SEQUENCE"] == 1 and event["DTSTART"].dt.hour == 11


def test_nobody_added_to_a_cancelled_meeting_is_invited(dag, member, mailbox, future):
    meeting = make_meeting(dag, number=33, date=future, status=MeetingStatus.CANCELLED)
    attendance_add(meeting=meeting, person=member.person)
    mailbox.deliver()
    assert mailbox.messages == []


def test_no_invitation_for_a_meeting_in_the_past(dag, member, mailbox):
    send_invitations(make_meeting(dag, number=32, date=datetime.date(2024, 6, 12)))
    mailbox.deliver()
    assert mailbox.messages == []
