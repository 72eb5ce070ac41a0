"""The actions log (/actions/) and one action's page (/actions/<reference>/)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionStatus, DueKind
from actions.services import action_add_update, set_owners
from core.models import Role
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/actions/"
# Session, user, memberships, person (menu), groups (filter), the count, the page ids,
# rows, owners with their people.
LIST_QUERIES = 9


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER, person_name="Lee Cox")


def add_actions(meeting, count):
    """Actions with an owner and two updates each, like a real log."""
    for _ in range(count):
        action = make_action(meeting, owners=[make_person()], owner_party="Programme")
        for day in (1, 2):
            action_add_update(
                action=action, text=f"Update {day}", date=meeting.date + datetime.timedelta(day)
            )


def test_list_shows_open_actions_of_my_groups(client, dag, member):
    meeting = make_meeting(dag, number=29)
    open_action = make_action(meeting, text="Issue the PPIR")
    closed = make_action(meeting, text="Already done")
    action_add_update(action=closed, text="Done", date=meeting.date, status=ActionStatus.CLOSED)
    other = make_action(make_meeting(make_group("TMAG")), text="Other group's")
    client.force_login(member)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert open_action.reference in content and "Issue the PPIR" in content
    assert closed.reference not in content
    assert other.reference not in content
    assert client.get(LIST_URL, {"status": "all"}).content.decode().count("Already done") == 1


def test_list_flags_overdue_with_text_not_colour_alone(client, dag, member):
    meeting = make_meeting(dag)
    late = make_action(meeting, due_date=datetime.date(2020, 1, 1))
    asap = make_action(meeting, due_kind=DueKind.ASAP, due_date=None)
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()
    only_overdue = client.get(LIST_URL, {"status": "overdue"}).content.decode()

    assert content.count('class="is-overdue"') == 1
    assert content.count(">Overdue</span>") == 1
    assert late.reference in only_overdue and asap.reference not in only_overdue


def test_owner_me_keeps_my_own_actions(client, dag, member):
    meeting = make_meeting(dag)
    mine = make_action(meeting, owners=[member.person], text="Mine to do")
    theirs = make_action(meeting, owners=[make_person()], text="Someone else's")
    client.force_login(member)

    content = client.get(LIST_URL, {"owner": "me"}).content.decode()

    assert mine.reference in content
    assert theirs.reference not in content
    assert "<h1>My actions</h1>" in content
    assert 'aria-current="page">My actions' in content


def test_list_is_paginated_by_50_with_total(client, dag, member):
    meeting = make_meeting(dag)
    for _ in range(55):
        make_action(meeting, due_kind=DueKind.ASAP, due_date=None)
    client.force_login(member)

    first = client.get(LIST_URL).content.decode()
    second = client.get(LIST_URL, {"page": 2}).content.decode()

    assert "Showing 1–50 of 55 actions" in first
    assert "Showing 51–55 of 55 actions" in second


def test_list_queries_do_not_grow_with_the_rows(client, dag, member, django_assert_num_queries):
    """Owners and the latest update of each row come in the page's queries: no N+1 on
    owners (owner_display) or on updates (latest update column)."""
    meeting = make_meeting(dag)
    client.force_login(member)
    add_actions(meeting, 3)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(LIST_URL).status_code == 200
    add_actions(meeting, 27)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert "of 30 actions" in response.content.decode()


def test_anonymous_is_sent_to_login(client, dag):
    action = make_action(make_meeting(dag))
    for url in (LIST_URL, action.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_detail_shows_links_updates_and_history(client, dag, member):
    meeting = make_meeting(dag, number=29)
    action = make_action(meeting, reference="DAG10.1-03", owner_party="Programme")
    set_owners(action=action, owners=[member.person])
    action_add_update(
        action=action,
        text="PPIR issued",
        date=datetime.date(2023, 10, 20),
        status=ActionStatus.ONGOING,
        author=member.person,
        user=member,
        meeting=meeting,
    )
    client.force_login(member)

    response = client.get(reverse("actions:action_detail", args=["DAG10.1-03"]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Programme (Lee Cox)" in content
    assert "PPIR issued" in content and "20/10/2023" in content
    assert f'href="{meeting.get_absolute_url()}"' in content
    assert '<h2 id="history-heading">History</h2>' in content
    # The status change made by the update, field by field.
    assert '<th scope="row">Status</th><td>OPEN</td><td>ONGOING</td>' in content


def test_detail_of_another_group_is_404(client, member):
    action = make_action(make_meeting(make_group("TMAG")))
    client.force_login(member)

    response = client.get(action.get_absolute_url())

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_detail_history_queries_do_not_grow_with_history(client, dag, member):
    """The audit history diffs versions in memory: no query per version (prev_record),
    per many-to-many field of a version, or per changed foreign key."""
    action = make_action(make_meeting(dag))
    client.force_login(member)

    def change(times):
        for n in range(times):
            action.area = f"Area {n}"
            action.meeting = make_meeting(dag)
            action.save()
            set_owners(action=action, owners=[make_person()])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(action.get_absolute_url()).status_code == 200
        return len(captured)

    change(2)
    few = queries()
    change(20)
    assert queries() == few
