"""The API answers to core/permissions.py exactly as the pages do: the role x group matrix
through the API (the DAG's secretariat, chair, member and observer, and a member of another
group), with refused writes leaving every row as it was."""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from actions.models import Action, ActionUpdate
from core.models import Role
from decisions.models import Decision, DecisionStatus
from documents.models import Document, DocumentStatus
from tests.api.conftest import token_client
from tests.factories import (
    ChangeRequestFactory,
    DecisionFactory,
    RaidItemFactory,
    make_action,
    make_meeting,
)

ROLES = [Role.SECRETARIAT, Role.CHAIR, Role.MEMBER, Role.OBSERVER, "outsider"]


@pytest.fixture
def records(dag_users, outsider, dag):
    meeting = make_meeting(group=dag, number=29)
    action = make_action(meeting=meeting, text="Publish the plan")
    decision = DecisionFactory(group=dag, wording="The group agreed the plan.")
    users = {**dag_users, "outsider": outsider}
    return {
        "users": users,
        "action": action,
        "decision": decision,
        "meeting": meeting,
        "cr": ChangeRequestFactory(group=dag),
        "raid": RaidItemFactory(group=dag),
    }


def client_of(records, role):
    return token_client(records["users"][role])


def snapshot(action):
    """What a refused write must leave as it was: the action, its updates, its history."""
    action.refresh_from_db()
    return (
        action.text,
        action.status,
        ActionUpdate.objects.filter(action=action).count(),
        action.history.count(),
    )


def test_reading_a_record_needs_a_role_in_its_group(records):
    urls = [
        f"/api/actions/{records['action']}/",
        f"/api/actions/{records['action']}/updates/",
        f"/api/decisions/{records['decision']}/",
        f"/api/meetings/{records['meeting'].pk}/",
        f"/api/change-requests/{records['cr'].reference}/",
        f"/api/raid/{records['raid'].reference}/",
        "/api/groups/DAG/",
    ]
    for role in ROLES:
        client = client_of(records, role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == (404 if role == "outsider" else 200), (role, url)
            if not url.endswith("updates/"):  # a record, not a list: its version
                assert response.has_header("ETag") == (role != "outsider")
    # The people directory is programme-wide: anyone with a role somewhere reads it.
    person = records["users"][Role.CHAIR].person
    response = client_of(records, "outsider").get(f"/api/people/{person.pk}/")
    assert response.json() == {
        "id": person.pk,
        "name": "Justin Andrews",
        "initials": "JA",
        "organisation": None,
    }


def test_registers_list_only_the_groups_records(records):
    for role in ROLES:
        client = client_of(records, role)
        for url in ("/api/actions/", "/api/decisions/", "/api/meetings/"):
            rows = client.get(url).json()["results"]
            assert len(rows) == (0 if role == "outsider" else 1), (role, url)


# Each write is tried by the roles refused first (nothing changes), then by one allowed.
REFUSED_EDIT = [("outsider", 404), (Role.OBSERVER, 403), (Role.MEMBER, 403), (Role.CHAIR, 403)]


def test_correcting_an_action_is_the_secretariats(records):
    action = records["action"]
    etag = token_client(records["users"][Role.OBSERVER]).get(f"/api/actions/{action}/")["ETag"]
    body = {"text": "Publish the plan by Friday"}
    before = snapshot(action)
    for role, expected in REFUSED_EDIT:
        response = client_of(records, role).patch(
            f"/api/actions/{action}/", body, HTTP_IF_MATCH=etag
        )
        assert response.status_code == expected, (role, response.content)
        assert snapshot(action) == before
    response = client_of(records, Role.SECRETARIAT).patch(
        f"/api/actions/{action}/", body, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert snapshot(action)[0] == "Publish the plan by Friday"
    assert response["ETag"] != etag


@pytest.mark.parametrize("closer", [Role.SECRETARIAT, Role.CHAIR])
def test_closing_an_action_is_the_chairs_and_secretariats(records, closer):
    action = records["action"]
    before = snapshot(action)
    for role, expected in [("outsider", 404), (Role.OBSERVER, 403), (Role.MEMBER, 403)]:
        response = client_of(records, role).post(
            f"/api/actions/{action}/close/", {"text": "Done at DAG029."}
        )
        assert response.status_code == expected, (role, response.content)
        assert snapshot(action) == before
    response = client_of(records, closer).post(
        f"/api/actions/{action}/close/", {"text": "Done at DAG029."}
    )
    assert response.status_code == 201, response.content
    action.refresh_from_db()
    assert action.status == "closed"


def test_an_owner_recommends_closing_their_action_but_cannot_close_it(records):
    member = records["users"][Role.MEMBER]
    action = records["action"]
    Action.objects.get(pk=action.pk).ownerships.create(person=member.person)
    client = token_client(member)
    before = snapshot(action)
    assert client.post(f"/api/actions/{action}/close/", {"text": "Done."}).status_code == 403
    assert snapshot(action) == before
    response = client.post(f"/api/actions/{action}/recommend-closed/", {"text": "Done."})
    assert response.status_code == 201, response.content
    action.refresh_from_db()
    assert action.status == "recommend_closed"
    assert client.get(f"/api/actions/{action}/").json()["latest_update"]["text"] == "Done."


def test_approving_a_decision_is_the_chairs(records):
    decision = records["decision"]
    url = f"/api/decisions/{decision}/approve/"
    refused = [("outsider", 404), (Role.OBSERVER, 403), (Role.MEMBER, 403), (Role.SECRETARIAT, 403)]
    for role, expected in refused:
        response = client_of(records, role).post(url, {"outcome": "approve"})
        assert response.status_code == expected, (role, response.content)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.PROPOSED
    response = client_of(records, Role.CHAIR).post(url, {"outcome": "approve"})
    assert response.status_code == 200, response.content
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    assert response.json()["status"] == "approved"


def test_proposing_a_decision_is_the_secretariats(records):
    count = Decision.objects.count()
    body = {"group": "DAG", "wording": "We agree."}
    # The outsider has no group DAG: 400 at the field, its existence not disclosed.
    refused = [("outsider", 400), (Role.OBSERVER, 403), (Role.MEMBER, 403), (Role.CHAIR, 403)]
    for role, expected in refused:
        response = client_of(records, role).post("/api/decisions/", body)
        assert response.status_code == expected, (role, response.content)
        assert Decision.objects.count() == count
    response = client_of(records, Role.SECRETARIAT).post("/api/decisions/", body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "proposed"
    assert Decision.objects.count() == count + 1


def test_raising_an_action_at_a_meeting(records):
    meeting = records["meeting"]
    meeting.agenda_items.create(number="6", title="Design")
    body = {
        "meeting": meeting.pk,
        "agenda_item": "6",
        "text": "Send the pack",
        "owner_party": "Programme",
        "due_kind": "asap",
    }
    count = Action.objects.count()
    assert client_of(records, Role.OBSERVER).post("/api/actions/", body).status_code == 403
    assert client_of(records, "outsider").post("/api/actions/", body).status_code == 404
    assert Action.objects.count() == count
    response = client_of(records, Role.SECRETARIAT).post("/api/actions/", body)
    assert response.status_code == 201, response.content
    assert response.json()["reference"] == "DAG29-02"
    assert response.json()["owner"] == "Programme"


def test_a_read_only_token_only_reads(records):
    secretariat = records["users"][Role.SECRETARIAT]
    action = records["action"]
    client = token_client(secretariat, read_only=True)
    assert client.get(f"/api/actions/{action}/").status_code == 200
    before = snapshot(action)
    response = client.post(f"/api/actions/{action}/close/", {"text": "Done."})
    assert response.status_code == 403
    assert response.json() == {"detail": "This token is read-only."}
    assert snapshot(action) == before


def test_without_a_valid_token_the_api_answers_401(records):
    assert APIClient().get("/api/actions/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer mhhs_not-a-token")
    response = client.get("/api/actions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_the_browser_session_works_too(records, client):
    client.force_login(records["users"][Role.OBSERVER])
    response = client.get(f"/api/actions/{records['action']}/")
    assert response.status_code == 200
    assert response.json()["text"] == "Publish the plan"


def test_a_documents_pdf_downloads_for_its_groups_readers_only(records, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = Document(
        kind="minutes",
        scope=f"meeting:{records['meeting'].pk}",
        version=1,
        meeting=records["meeting"],
        status=DocumentStatus.READY,
    )
    document.file.save("minutes.pdf", ContentFile(b"%PDF-1.7 minutes"), save=False)
    document.save()
    url = f"/api/documents/{document.pk}/download/"
    assert client_of(records, "outsider").get(url).status_code == 404
    assert client_of(records, "outsider").get("/api/documents/").json()["results"] == []
    observer = client_of(records, Role.OBSERVER)
    assert observer.get(f"/api/documents/{document.pk}/").json()["status"] == "ready"
    response = observer.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 minutes"
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED)
    assert observer.get(url).status_code == 404
