"""Calendar feeds (meetings/calendar_feeds.py, meetings/feed_views.py): the personal feed and a
group's, each at a secret address shown on the user's own page or the group's page, read by a
client with no login, parsed here with icalendar."""

import datetime
import re

import pytest
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from actions.models import ActionStatus
from core.models import Membership, Role
from meetings.calendar_feeds import feed_url, reset_feed
from meetings.models import Attendance, AttendanceCategory, CalendarFeed, MeetingStatus
from meetings.notices import calendar_text
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

SITE = "https://governance.example.org"
pytestmark = pytest.mark.usefixtures("site_url")


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE


def future(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


def past(days=7):
    """A meeting held: actions are raised there."""
    return timezone.localdate() - datetime.timedelta(days=days)


def create_feed(client, user, group=None):
    """Create (or reset) the user's feed on their page and return its address as the page
    shows it."""
    client.force_login(user)
    data = {"group": group.code} if group else {}
    response = client.post(reverse("meetings:calendar_feed_reset"), data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    (url,) = re.findall(r'id="calendar-feed-url"[^>]*value="([^"]+)"', page)
    assert url.startswith(f"{SITE}/calendar/")
    client.logout()
    return url


def fetch(url):
    """The feed as a calendar client reads it: no login, no session."""
    return Client().get(url.removeprefix(SITE))


def events(url):
    response = fetch(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_group_feed_shares_the_invitations_uid_and_sequence(client, dag, member):
    meeting = make_meeting(
        dag,
        29,
        date=future(),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        invitation_sequence=2,
    )
    calendar, feed_events = events(create_feed(client, member, dag))
    (invited,) = Calendar.from_ical(calendar_text(meeting, [], cancel=False)).walk("VEVENT")
    event = feed_events[str(invited["UID"])]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@governance.example.org"
    assert event["SEQUENCE"] == invited["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(calendar["METHOD"]) == "PUBLISH"
    # Europe/London with its VTIMEZONE: 10:00 in London whatever the season.
    start = event.decoded("DTSTART")
    assert (str(start.tzinfo), start.time()) == ("Europe/London", datetime.time(10, 0))
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Europe/London"


def test_a_cancelled_meeting_shows_as_cancelled(client, dag, observer):
    meeting = make_meeting(dag, 30, date=future(), status=MeetingStatus.CANCELLED)
    _, feed_events = events(create_feed(client, observer, dag))
    assert str(feed_events[f"meeting-{meeting.pk}@governance.example.org"]["STATUS"]) == (
        "CANCELLED"
    )


def test_personal_feed_holds_my_meetings_and_my_actions_due(client, dag, member, secretariat):
    other = make_group("TMAG")
    tmag_member = make_user(group=other, role=Role.MEMBER)
    Membership.objects.create(group=other, person=member.person, role=Role.MEMBER, active=False)
    attending = make_meeting(dag, 29, date=past())
    Attendance.objects.create(
        meeting=attending, person=member.person, category=AttendanceCategory.INDUSTRY
    )
    not_on_the_list = make_meeting(dag, 30, date=future(40))
    Attendance.objects.create(
        meeting=not_on_the_list, person=secretariat.person, category=AttendanceCategory.INDUSTRY
    )
    list_not_drawn_up = make_meeting(dag, 31, date=future(50))
    tmag_meeting = make_meeting(other, 5, date=past())
    Attendance.objects.create(
        meeting=tmag_meeting, person=member.person, category=AttendanceCategory.INDUSTRY
    )
    mine = make_action(attending, owners=[member.person], due_date=future(10))
    closed = make_action(
        attending, owners=[member.person], due_date=future(11), status=ActionStatus.CLOSED
    )
    theirs = make_action(attending, owners=[secretariat.person], due_date=future(12))
    tmag_action = make_action(tmag_meeting, owners=[member.person], due_date=future(13))
    make_action(tmag_meeting, owners=[tmag_member.person])

    _, feed_events = events(create_feed(client, member))

    host = "governance.example.org"
    assert set(feed_events) == {
        f"meeting-{attending.pk}@{host}",
        f"meeting-{list_not_drawn_up.pk}@{host}",
        f"action-{mine.pk}@{host}",
    }
    assert f"meeting-{not_on_the_list.pk}@{host}" not in feed_events
    # No record of a group the user cannot read (an inactive membership reads nothing).
    assert f"meeting-{tmag_meeting.pk}@{host}" not in feed_events
    assert f"action-{tmag_action.pk}@{host}" not in feed_events
    assert {closed.pk, theirs.pk}.isdisjoint(
        int(uid.split("-")[1].split("@")[0]) for uid in feed_events if uid.startswith("action-")
    )
    due = feed_events[f"action-{mine.pk}@{host}"]
    assert due.decoded("DTSTART") == future(10)
    assert str(due["SUMMARY"]) == f"Action {mine.reference} due"


def test_group_feed_holds_only_that_groups_meetings(client, dag, member):
    other = make_group("TMAG")
    Membership.objects.create(group=other, person=member.person, role=Role.MEMBER)
    dag_meeting = make_meeting(dag, 29, date=future())
    tmag_meeting = make_meeting(other, 5, date=future())
    _, feed_events = events(create_feed(client, member, dag))
    assert f"meeting-{dag_meeting.pk}@governance.example.org" in feed_events
    assert f"meeting-{tmag_meeting.pk}@governance.example.org" not in feed_events


def test_reset_invalidates_the_old_address(client, dag, member):
    make_meeting(dag, 29, date=future())
    old = create_feed(client, member, dag)
    assert fetch(old).status_code == 200
    new = create_feed(client, member, dag)
    assert new != old
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert CalendarFeed.objects.filter(user=member, group=dag).count() == 1


def test_a_wrong_token_or_another_feeds_id_is_404(client, dag, member, observer):
    url = create_feed(client, member, dag)
    other = create_feed(client, observer, dag)
    pk, token = re.search(r"/calendar/(\d+)/([0-9a-f]+)\.ics$", url).groups()
    other_pk = re.search(r"/calendar/(\d+)/", other).group(1)
    assert fetch(f"/calendar/{pk}/{'0' * len(token)}.ics").status_code == 404
    assert fetch(f"/calendar/{other_pk}/{token}.ics").status_code == 404


def test_odd_addresses_are_404_and_a_head_request_works(client, dag, member):
    url = create_feed(client, member, dag)
    assert Client().head(url.removeprefix(SITE)).status_code == 200
    for path in ("/calendar/99999999999999999999/abc.ics", "/calendar/1/.ics", "/calendar/1/x"):
        assert Client().get(path).status_code == 404


def test_a_feed_stops_when_its_user_loses_the_group(client, dag, member):
    make_meeting(dag, 29, date=future())
    url = create_feed(client, member, dag)
    Membership.objects.filter(person=member.person, group=dag).update(active=False)
    assert fetch(url).status_code == 404
    member.is_active = False
    member.save()
    assert fetch(create_personal_feed_directly(member)).status_code == 404


def create_personal_feed_directly(user):
    return feed_url(reset_feed(user=user))


def test_no_feed_of_a_group_one_cannot_see(client, dag, outsider):
    client.force_login(outsider)
    response = client.post(reverse("meetings:calendar_feed_reset"), {"group": dag.code})
    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_resetting_needs_a_login_and_a_post(client, dag, member):
    response = client.post(reverse("meetings:calendar_feed_reset"), {"group": dag.code})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member)
    assert client.get(reverse("meetings:calendar_feed_reset")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_address_shows_only_on_ones_own_pages(client, dag, member, secretariat):
    url = create_feed(client, member)
    group_url = create_feed(client, member, dag)
    client.force_login(secretariat)
    assert url not in client.get(member.person.get_absolute_url()).content.decode()
    assert group_url not in client.get(dag.get_absolute_url()).content.decode()
    client.force_login(member)
    assert url in client.get(member.person.get_absolute_url()).content.decode()
    assert group_url in client.get(dag.get_absolute_url()).content.decode()


@override_settings(SITE_URL=SITE)
class FeedQueryCountTests(TestCase):
    """A feed reads the feed (with its user and group), the user's roles, the meetings and,
    in a personal feed, the actions: the same queries however many there are."""

    def setUp(self):
        self.group = make_group("DAG")
        self.user = make_user(group=self.group, role=Role.MEMBER)
        self.number = 0

    def add(self, count):
        for _ in range(count):
            self.number += 1
            meeting = make_meeting(self.group, self.number, date=past(self.number))
            Attendance.objects.create(
                meeting=meeting, person=self.user.person, category=AttendanceCategory.INDUSTRY
            )
            make_action(meeting, owners=[self.user.person, make_person()], due_date=future())

    def assert_queries(self, group, events_expected, queries):
        path = feed_url(reset_feed(user=self.user, group=group)).removeprefix(SITE)
        with self.assertNumQueries(queries):
            response = Client().get(path)
        calendar = Calendar.from_ical(response.content)
        assert len(calendar.walk("VEVENT")) == events_expected

    def test_personal_feed(self):
        self.add(2)
        self.assert_queries(None, 4, 4)
        self.add(30)
        self.assert_queries(None, 64, 4)

    def test_group_feed(self):
        self.add(2)
        self.assert_queries(self.group, 2, 3)
        self.add(30)
        self.assert_queries(self.group, 32, 3)
