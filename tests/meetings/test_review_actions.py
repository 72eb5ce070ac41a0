"""The review of open actions at a meeting: which actions are listed, in what order, and
recording new statuses and dated updates in one pass."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from actions.models import ActionStatus, ActionUpdate, UpdateSource
from actions.services import action_add_update
from core.models import Role
from meetings.models import MeetingStatus
from meetings.services import actions_for_review
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def meetings(dag):
    return {
        27: make_meeting(dag, number=27, date=datetime.date(2023, 8, 9)),
        28: make_meeting(dag, number=28, date=datetime.date(2023, 9, 13)),
        29: make_meeting(dag, number=29, date=datetime.date(2023, 10, 11)),
    }


@pytest.fixture
def actions(meetings):
    closed_before = make_action(meetings[27], text="Closed at DAG028")
    action_add_update(
        action=closed_before,
        text="Done",
        date=meetings[28].date,
        status=ActionStatus.CLOSED,
        meeting=meetings[28],
    )
    return {
        "dag28": make_action(meetings[28], text="Raise DINs for CR024 and CR025"),
        "dag27": make_action(meetings[27], text="Confirm version incrementing"),
        "closed_before": closed_before,
        "raised_here": make_action(meetings[29], text="Raised at DAG029"),
    }


def review_url(meeting):
    return reverse("meetings:action_review", args=[meeting.pk])


def test_lists_actions_open_when_the_meeting_started_oldest_meeting_first(meetings, actions):
    listed = list(actions_for_review(meetings[29]))
    assert listed == [actions["dag27"], actions["dag28"]]


def test_an_action_closed_at_this_meeting_stays_listed(meetings, actions):
    action_add_update(
        action=actions["dag28"],
        text="Closed",
        date=meetings[29].date,
        status=ActionStatus.CLOSED,
        meeting=meetings[29],
    )
    assert actions["dag28"] in actions_for_review(meetings[29])


def test_secretariat_records_the_review_in_one_pass(client, dag, meetings, actions):
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    dag27, dag28 = actions["dag27"], actions["dag28"]

    response = client.post(
        review_url(meetings[29]),
        {
            "date": "11/10/2023",
            f"{dag28.pk}-status": ActionStatus.ONGOING,
            f"{dag28.pk}-text": "SJ requested the action remain ongoing until implemented.",
            f"{dag27.pk}-status": ActionStatus.CLOSED,
            f"{dag27.pk}-text": "Confirmed. Action closed.",
        },
    )

    assert response.status_code == 302
    dag27.refresh_from_db()
    dag28.refresh_from_db()
    assert dag28.status == ActionStatus.ONGOING
    assert (dag27.status, dag27.closed_date, dag27.closed_meeting) == (
        ActionStatus.CLOSED,
        datetime.date(2023, 10, 11),
        meetings[29],
    )
    update = dag28.updates.get()
    assert (update.meeting, update.source, update.date) == (
        meetings[29],
        UpdateSource.MEETING,
        datetime.date(2023, 10, 11),
    )
    page = client.get(review_url(meetings[29])).content.decode()
    assert "Recorded at this meeting (ONGOING): SJ requested" in page


def test_an_update_without_a_status_change_and_untouched_rows(client, dag, meetings, actions):
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    dag28 = actions["dag28"]
    client.post(
        review_url(meetings[29]),
        {"date": "11/10/2023", f"{dag28.pk}-status": "", f"{dag28.pk}-text": "In progress."},
    )
    assert dag28.updates.get().status_set == ""
    assert ActionUpdate.objects.filter(meeting=meetings[29]).count() == 1


def test_a_status_change_needs_words_and_nothing_is_saved(client, dag, meetings, actions):
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    dag27, dag28 = actions["dag27"], actions["dag28"]

    response = client.post(
        review_url(meetings[29]),
        {
            "date": "11/10/2023",
            f"{dag28.pk}-status": ActionStatus.CLOSED,
            f"{dag28.pk}-text": "",
            f"{dag27.pk}-text": "Typed and kept",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Say what was reported." in content
    assert "Typed and kept</textarea>" in content
    assert not ActionUpdate.objects.filter(meeting=meetings[29]).exists()


def test_a_close_before_the_action_was_raised_is_refused_for_all(client, dag, meetings, actions):
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    dag27, dag28 = actions["dag27"], actions["dag28"]

    response = client.post(
        review_url(meetings[29]),
        {
            "date": "01/09/2023",
            f"{dag27.pk}-text": "Fine",
            f"{dag28.pk}-status": ActionStatus.CLOSED,
            f"{dag28.pk}-text": "Closed",
        },
    )

    assert "An action cannot close before it was raised." in response.content.decode()
    assert not ActionUpdate.objects.filter(meeting=meetings[29]).exists()


def test_an_owner_may_recommend_closing_but_not_close(client, dag, meetings, actions):
    owner = make_user(group=dag, role=Role.MEMBER)
    dag28 = actions["dag28"]
    dag28.owners.add(owner.person)
    client.force_login(owner)
    url = review_url(meetings[29])

    page = client.get(url).content.decode()
    assert f'name="{dag28.pk}-status"' in page
    assert f'name="{actions["dag27"].pk}-status"' not in page
    assert 'value="closed"' not in page

    refused = client.post(
        url, {"date": "11/10/2023", f"{dag28.pk}-status": "closed", f"{dag28.pk}-text": "Done"}
    )
    assert "Select a valid choice." in refused.content.decode()
    client.post(
        url,
        {
            "date": "11/10/2023",
            f"{dag28.pk}-status": "recommend_closed",
            f"{dag28.pk}-text": "Done",
        },
    )
    dag28.refresh_from_db()
    assert dag28.status == ActionStatus.RECOMMEND_CLOSED


def test_the_chair_may_close(client, dag, meetings, actions):
    client.force_login(make_user(group=dag, role=Role.CHAIR))
    dag28 = actions["dag28"]
    client.post(
        review_url(meetings[29]),
        {"date": "11/10/2023", f"{dag28.pk}-status": "closed", f"{dag28.pk}-text": "Closed"},
    )
    dag28.refresh_from_db()
    assert dag28.status == ActionStatus.CLOSED


def test_an_observer_reads_the_review_without_fields(client, dag, meetings, actions):
    client.force_login(make_user(group=dag, role=Role.OBSERVER))
    response = client.get(review_url(meetings[29]))
    assert response.status_code == 200
    content = response.content.decode()
    assert actions["dag28"].reference in content and "<textarea" not in content
    client.post(
        review_url(meetings[29]),
        {"date": "11/10/2023", f"{actions['dag28'].pk}-text": "Sneaky"},
    )
    assert not ActionUpdate.objects.filter(meeting=meetings[29]).exists()


def test_another_group_gets_404(client, meetings):
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert client.get(review_url(meetings[29])).status_code == 404


def test_the_review_is_locked_once_minutes_are_issued(client, dag, meetings, actions):
    meetings[29].status = MeetingStatus.MINUTES_ISSUED
    meetings[29].save()
    client.force_login(make_user(group=dag, role=Role.SECRETARIAT))
    dag28 = actions["dag28"]
    response = client.post(
        review_url(meetings[29]),
        {"date": "11/10/2023", f"{dag28.pk}-text": "Too late"},
    )
    assert response.status_code == 302
    assert not dag28.updates.exists()


# Pinned: session, user, the meeting, roles; the ids of every action reviewed (for the
# page shown and "Choose all"); the page's actions with their latest update, and their
# owners with their people (one query, read for "owns it" too); the person; the updates
# recorded at this meeting; the last bulk step and the actions' versions for the bulk step
# form (meetings/bulk_review.py).
REVIEW_PAGE_QUERIES = 11


class ReviewPageQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        dag = make_group("DAG")
        cls.dag28 = make_meeting(dag, number=28, date=datetime.date(2023, 9, 13))
        cls.dag29 = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
        cls.owner = make_user(group=dag, role=Role.MEMBER)

    def add(self, count):
        for _ in range(count):
            action = make_action(self.dag28, owners=[self.owner.person, make_person()])
            action_add_update(action=action, text="Noted", date=self.dag29.date, meeting=self.dag29)

    def test_review_page(self):
        """Owners, latest updates, the updates recorded here and the right to update each
        action come in fixed queries, not per action (the N+1 on owners, updates and the
        owner check of each row's fields)."""
        self.client.force_login(self.owner)
        self.add(2)
        with self.assertNumQueries(REVIEW_PAGE_QUERIES):
            self.assertEqual(self.client.get(review_url(self.dag29)).status_code, 200)
        self.add(20)
        with self.assertNumQueries(REVIEW_PAGE_QUERIES):
            self.assertEqual(self.client.get(review_url(self.dag29)).status_code, 200)
