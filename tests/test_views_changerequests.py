"""The CR status table (/change-requests/) and one change request's page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changerequests.models import ApprovalStatus, ChangeRequestTransition, Stage
from changerequests.services import change_request_create
from decisions.services import decision_create
from meetings.models import Organisation, Role
from raid.services import raid_item_create
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/change-requests/"


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER)


def make_cr(group, **fields):
    fields.setdefault("title", "Change to Interface IF-165")
    return change_request_create(
        group=group,
        raiser_person=make_person("Sean Cooper"),
        raiser_organisation=Organisation.objects.get_or_create(name="MHHS Programme")[0],
        raiser_note="on behalf of SCS",
        change_owner=make_person("Immy Syms"),
        **fields,
    )


def test_list_shows_the_status_table_of_my_groups(client, dag, member):
    cr = make_cr(
        dag,
        stage=Stage.IMPACT_ASSESSMENT,
        implementation_milestone="IR8.1 June-24",
        latest_action="Issued for IA",
    )
    hidden = make_cr(make_group("TMAG"), title="Theirs")
    programme_wide = make_cr(None, title="Programme-wide")
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert cr.reference in content
    assert "Sean Cooper, MHHS Programme on behalf of SCS" in content
    assert "Impact Assessment" in content and "IR8.1 June-24" in content
    assert "Immy Syms" in content and "Issued for IA" in content
    assert hidden.reference not in content
    # No group means programme-wide: anyone with a role somewhere reads it.
    assert programme_wide.reference in content


def test_superuser_sees_programme_wide_crs(client):
    cr = make_cr(None, title="Programme-wide")
    client.force_login(make_user(superuser=True))

    assert cr.reference in client.get(LIST_URL).content.decode()
    assert client.get(cr.get_absolute_url()).status_code == 200


def test_list_filters_by_approval_status(client, dag, member):
    open_cr = make_cr(dag)
    withdrawn = make_cr(dag, approval_status=ApprovalStatus.WITHDRAWN, stage=Stage.WITHDRAWN)
    client.force_login(member)

    content = client.get(LIST_URL, {"status": "withdrawn"}).content.decode()

    assert withdrawn.reference in content and open_cr.reference not in content


def test_list_queries_do_not_grow(client, dag, member):
    """Raiser, raiser's organisation and change owner come with each CR, not three queries
    per row."""
    client.force_login(member)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    for _ in range(3):
        make_cr(dag)
    few = queries()
    for _ in range(27):
        make_cr(dag)
    assert queries() == few


def test_detail_shows_linked_records_and_history(client, dag, member):
    cr = make_cr(dag, reference="CR032")
    meeting = make_meeting(dag, number=29)
    action = make_action(meeting, change_requests=[cr])
    decision = decision_create(group=dag, wording="CR032 to IA", change_requests=[cr])
    risk = raid_item_create(title="IA late", group=dag, change_requests=[cr])
    ChangeRequestTransition.objects.create(
        change_request=cr,
        from_stage=Stage.RAISED,
        to_stage=Stage.IMPACT_ASSESSMENT,
        date=datetime.date(2023, 10, 12),
        reason="Approved for IA at DAG029",
    )
    client.force_login(member)

    response = client.get("/change-requests/CR032/")

    content = response.content.decode()
    assert response.status_code == 200
    for record in (action, decision, risk):
        assert record.get_absolute_url() in content
    assert "Approved for IA at DAG029" in content and "12/10/2023" in content
    assert "<strong>Created</strong>" in content


def test_detail_of_another_group_is_404(client, member):
    cr = make_cr(make_group("TMAG"))
    client.force_login(member)

    assert client.get(cr.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_login(client, dag):
    cr = make_cr(dag)
    for url in (LIST_URL, cr.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
