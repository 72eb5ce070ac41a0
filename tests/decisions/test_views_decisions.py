"""The decision log (/decisions/) and one decision's page (/decisions/<reference>/)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from changerequests.services import change_request_create
from core.models import Role
from decisions.models import DecisionStatus
from decisions.services import decision_create
from tests.factories import make_action, make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/decisions/"


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER)


def approved(meeting, wording, day):
    return decision_create(
        group=meeting.group,
        meeting=meeting,
        wording=wording,
        status=DecisionStatus.APPROVED,
        decided_at=timezone.make_aware(datetime.datetime(2023, 10, day, 12)),
    )


def test_list_shows_decisions_of_my_groups_newest_first(client, dag, member):
    meeting = make_meeting(dag, number=29)
    older = approved(meeting, "Minutes approved", 1)
    newer = approved(meeting, "CR032 to Impact Assessment", 11)
    proposed = decision_create(group=dag, wording="Awaiting the chair")
    hidden = decision_create(group=make_group("TMAG"), wording="Other group's")
    client.force_login(member)

    response = client.get(LIST_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert hidden.reference not in content
    refs = [proposed.reference, newer.reference, older.reference]
    positions = [content.index(f">{ref}</a>") for ref in refs]
    assert positions == sorted(positions)
    assert "At DAG029" in content and "Awaiting approval" in content and "11/10/2023" in content


def test_list_filters_by_status(client, dag, member):
    meeting = make_meeting(dag)
    done = approved(meeting, "Approved one", 2)
    waiting = decision_create(group=dag, wording="Proposed one")
    client.force_login(member)

    content = client.get(LIST_URL, {"status": "proposed"}).content.decode()

    assert waiting.reference in content and done.reference not in content


def test_list_queries_do_not_grow(client, dag, member):
    """ "How decided" names the meeting, whose code needs its group: both come with the
    decision, not two queries per row."""
    client.force_login(member)

    def add(count):
        for _ in range(count):
            approved(make_meeting(dag), "Agreed", 5)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    add(3)
    few = queries()
    add(27)
    assert queries() == few


def test_detail_shows_links_and_history(client, dag, member):
    meeting = make_meeting(dag, number=29)
    cr = change_request_create(title="Change to Interface IF-165", group=dag)
    decision = decision_create(
        group=dag,
        meeting=meeting,
        wording="CR032 to IA",
        reference="DAG-DEC76",
        change_requests=[cr],
    )
    action = make_action(meeting)
    decision.actions.add(action)
    client.force_login(member)

    response = client.get("/decisions/DAG-DEC76/")

    content = response.content.decode()
    assert response.status_code == 200
    assert cr.get_absolute_url() in content
    assert action.reference in content
    assert meeting.get_absolute_url() in content
    assert "<strong>Created</strong>" in content


def test_detail_of_another_group_is_404(client, member):
    decision = decision_create(group=make_group("TMAG"), wording="Theirs")
    client.force_login(member)

    assert client.get(decision.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_login(client, dag):
    decision = decision_create(group=dag, wording="Agreed")
    for url in (LIST_URL, decision.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
