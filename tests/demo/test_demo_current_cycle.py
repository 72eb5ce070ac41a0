"""python manage.py load_demo: the demo is alive on the day it is loaded (issue 24, item 1).

Besides the papers' meetings, kept as printed, a current cycle is dated from the day the
command runs: the next DAG in the coming weeks with its agenda and expected attendance, a
meeting held last week with draft minutes waiting to be issued, actions due this week and
next and a few overdue by days, a decision awaiting the chair and an open correspondence
round. "Today" is frozen at two dates, one before and one after the day the tests run."""

import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from decisions.models import CorrespondenceRound, Decision
from meetings.models import Meeting, MeetingStatus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # load_demo runs, a minute each

LONDON = ZoneInfo("Europe/London")


def frozen(day):
    """timezone.now() (and so localdate()) on `day` at noon, London time."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=LONDON)
    return mock.patch("django.utils.timezone.now", return_value=noon)


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def home_of(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client.get(reverse("meetings:home")).content.decode()


@pytest.mark.parametrize(
    "today", [datetime.date(2025, 3, 3), datetime.date(2031, 9, 13)], ids=["monday", "saturday"]
)
def test_home_pages_show_upcoming_meetings_and_actions_due_soon(client, today):
    with frozen(today):
        load_demo()
        upcoming = Meeting.objects.upcoming(today).get(group__code="DAG")
        assert today < upcoming.date <= today + datetime.timedelta(weeks=5)
        assert upcoming.agenda_items.count() >= 3
        assert upcoming.attendances.filter(status="expected").count() >= 5

        held = Meeting.objects.get(group__code="DAG", number=60)
        assert today - datetime.timedelta(days=12) <= held.date < today
        assert held.status == MeetingStatus.MINUTES_DRAFT and held.minutes_issue_date is None
        assert held.next_meeting_date == upcoming.date

        member_home = home_of(client, "member")
        assert upcoming.code in member_home
        assert f"{upcoming.date:%d/%m/%Y}" in member_home
        soon = Action.objects.open().filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=14)
        )
        mine = soon.filter(ownerships__person__user__username="member")
        assert mine.exists()
        for action in mine:
            assert action.reference in member_home

        overdue = Action.objects.overdue(today)
        assert overdue.filter(due_date__gte=today - datetime.timedelta(days=7)).exists()
        assert not overdue.filter(meeting=held, due_date__lt=today - datetime.timedelta(days=9))

        chair_home = home_of(client, "chair")
        assert upcoming.code in chair_home
        awaiting = Decision.objects.proposed().get(meeting=held, correspondence_round=None)
        assert awaiting.reference in chair_home

        round_ = CorrespondenceRound.objects.get(status="open")
        assert round_.deadline > today and round_.recipients.exists()
        assert round_.decisions.filter(status="proposed").exists()


def test_no_meeting_contradicts_itself():
    """No "Planned" meeting in the past (listed under Held as late), no minutes shown
    issued or approved without the date they were issued."""
    today = datetime.date(2026, 1, 14)
    with frozen(today):
        load_demo()
    assert not Meeting.objects.filter(status=MeetingStatus.PLANNED, date__lt=today).exists()
    issued = Meeting.objects.filter(
        status__in=[MeetingStatus.MINUTES_ISSUED, MeetingStatus.MINUTES_APPROVED]
    )
    assert issued.exists()
    assert not issued.filter(minutes_issue_date=None).exists()
    assert not issued.filter(status=MeetingStatus.MINUTES_APPROVED, minutes_approved_date=None)


def counts(output):
    return [line for line in output.splitlines() if " created, " in line]


def test_second_run_the_same_day_changes_nothing_and_a_later_run_adds_nothing():
    first_day = datetime.date(2026, 6, 10)
    with frozen(first_day):
        load_demo()
        totals = (Meeting.objects.count(), Action.objects.count(), Decision.objects.count())
        histories = Action.history.count() + Meeting.history.count()
        again = counts(load_demo())
    assert all(" 0 created, 0 updated," in line for line in again), again
    assert Action.history.count() + Meeting.history.count() == histories

    later = first_day + datetime.timedelta(days=45)
    with frozen(later):
        output = load_demo()
    assert all(" 0 created," in line for line in counts(output)), output
    assert (Meeting.objects.count(), Action.objects.count(), Decision.objects.count()) == totals
    assert Meeting.objects.upcoming(later).filter(group__code="DAG").exists()
