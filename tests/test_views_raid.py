"""The RAID log (/raid/) and one RAID item's page (/raid/<reference>/)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Role
from raid.models import RaidReview, RaidStatus, RaidType
from raid.services import raid_item_create
from tests.factories import make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/raid/"


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER)


def make_risk(group, **fields):
    fields.setdefault("title", "Design not stable for SIT")
    return raid_item_create(group=group, owner=make_person("Paul Pettitt"), **fields)


def test_list_shows_open_items_of_my_groups_with_score_and_band(client, dag, member):
    risk = make_risk(dag, probability=4, impact=5, area="Design")
    closed = make_risk(dag, status=RaidStatus.CLOSED)
    hidden = make_risk(make_group("TMAG"))
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert risk.reference in content and "Paul Pettitt" in content
    assert '<td class="num">20</td>' in content and ">Critical</span>" in content
    assert closed.reference not in content
    assert hidden.reference not in content
    assert closed.reference in client.get(LIST_URL, {"status": "all"}).content.decode()


def test_list_sorts_references_by_number(client, dag, member):
    for reference in ("R184", "R43", "R1000"):
        make_risk(dag, reference=reference)
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert content.index(">R43<") < content.index(">R184<") < content.index(">R1000<")


def test_list_filters_by_type(client, dag, member):
    risk = make_risk(dag)
    issue = make_risk(dag, raid_type=RaidType.ISSUE)
    client.force_login(member)

    content = client.get(LIST_URL, {"type": "issue"}).content.decode()

    assert issue.reference in content and risk.reference not in content


def test_list_queries_do_not_grow(client, dag, member):
    """Each item's owner comes with the item, not a query per row."""
    client.force_login(member)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    for _ in range(3):
        make_risk(dag)
    few = queries()
    for _ in range(27):
        make_risk(dag)
    assert queries() == few


def test_detail_shows_reviews_and_supersede_links_both_ways(client, dag, member):
    new = make_risk(dag, reference="R432", title="Reworded risk")
    old = make_risk(dag, reference="R184", status=RaidStatus.SUPERSEDED, superseded_by=new)
    meeting = make_meeting(dag, number=29)
    RaidReview.objects.create(
        raid_item=new,
        meeting=meeting,
        discussion="Members asked for rewording",
        conclusion="Keep open",
    )
    client.force_login(member)

    new_page = client.get("/raid/R432/").content.decode()
    old_page = client.get("/raid/R184/").content.decode()

    assert old.get_absolute_url() in new_page
    assert "Members asked for rewording" in new_page and "DAG029" in new_page
    assert "Superseded by" in old_page and new.get_absolute_url() in old_page
    assert "<strong>Created</strong>" in new_page


def test_detail_of_another_group_is_404(client, member):
    risk = make_risk(make_group("TMAG"))
    client.force_login(member)

    assert client.get(risk.get_absolute_url()).status_code == 404


def test_programme_wide_item_is_read_by_members_only(client, member):
    risk = make_risk(None)
    client.force_login(member)
    assert client.get(risk.get_absolute_url()).status_code == 200
    client.force_login(make_user())  # no role in any group
    assert client.get(risk.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_login(client, dag):
    risk = make_risk(dag)
    for url in (LIST_URL, risk.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
