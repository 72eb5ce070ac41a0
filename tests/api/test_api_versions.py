"""ETag and If-Match: the API's stale check is the pages' (core/versions.py), so a change
saved on a page refuses an API change read before it, and the other way round; bad input
is a 400 with field messages, nothing half-written."""

import pytest

from core.nul import MESSAGE
from core.versions import record_version
from tests.api.conftest import token_client
from tests.factories import DecisionFactory, make_action, make_meeting


@pytest.fixture
def action(dag):
    return make_action(meeting=make_meeting(group=dag, number=29), text="Publish the plan")


def test_a_patch_needs_if_match(secretariat, action):
    client = token_client(secretariat)
    history = action.history.count()
    response = client.patch(f"/api/actions/{action}/", {"text": "Changed"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    response = client.patch(f"/api/actions/{action}/", {"text": "Changed"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    action.refresh_from_db()
    assert (action.text, action.history.count()) == ("Publish the plan", history)


def test_a_change_saved_on_the_page_makes_the_api_change_read_before_it_stale(
    secretariat, action, client
):
    api = token_client(secretariat)
    etag = api.get(f"/api/actions/{action}/")["ETag"]
    assert etag == f'"{record_version(action)}"'
    client.force_login(secretariat)
    page = client.get(f"/actions/{action}/correct/")
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(text="Corrected on the page", owners=[], due_kind="asap")
    assert client.post(f"/actions/{action}/correct/", data).status_code == 302
    response = api.patch(f"/api/actions/{action}/", {"text": "From the API"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    action.refresh_from_db()
    assert action.text == "Corrected on the page"
    # Read again, the change goes through; and the page's form opened before it is stale.
    etag = api.get(f"/api/actions/{action}/")["ETag"]
    assert (
        api.patch(f"/api/actions/{action}/", {"text": "From the API"}, HTTP_IF_MATCH=etag).json()[
            "text"
        ]
        == "From the API"
    )
    data["version"] = etag.strip('"')
    data["text"] = "Page again"
    response = client.post(f"/actions/{action}/correct/", data)
    assert response.status_code == 200  # refused, the form shown again with what was typed
    action.refresh_from_db()
    assert action.text == "From the API"


def test_a_decision_is_corrected_with_if_match(secretariat, dag):
    decision = DecisionFactory(group=dag, wording="We agree.")
    client = token_client(secretariat)
    etag = client.get(f"/api/decisions/{decision}/")["ETag"]
    response = client.patch(
        f"/api/decisions/{decision}/", {"wording": "We all agree."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["wording"] == "We all agree."
    stale = client.patch(f"/api/decisions/{decision}/", {"wording": "No."}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_bad_input_is_a_400_with_field_messages(secretariat, action):
    client = token_client(secretariat)
    etag = client.get(f"/api/actions/{action}/")["ETag"]
    response = client.patch(
        f"/api/actions/{action}/",
        {"due_kind": "wc", "due_date": "2023-11-08", "text": "Plan\x00"},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert response.json()["text"] == [MESSAGE]
    response = client.patch(
        f"/api/actions/{action}/", {"due_kind": "wc", "due_date": "2023-11-08"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert "Monday" in response.json()["due_date"][0]
    response = client.post(f"/api/actions/{action}/updates/", {"text": ["a"], "date": "soon"})
    assert response.status_code == 400
    assert set(response.json()) == {"text", "date"}
    action.refresh_from_db()
    assert (action.text, action.due_kind, action.updates.count()) == ("Publish the plan", "date", 0)
    # A NUL in the address is refused before any view, as for every page.
    assert client.get("/api/actions/?q=%00").status_code == 400


def test_a_filter_value_that_does_not_validate_is_a_400(observer, action):
    response = token_client(observer).get("/api/actions/?status=nonsense&due_from=31/02/2023")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "due_from"}


def test_the_registers_filters_work_through_the_api(observer, action, dag):
    closed = make_action(meeting=action.meeting, text="Done already")
    closed.status = "closed"
    closed.closed_date = closed.date_raised
    closed.save()
    client = token_client(observer)
    refs = [row["reference"] for row in client.get("/api/actions/").json()["results"]]
    assert refs == [action.reference]
    refs = [row["reference"] for row in client.get("/api/actions/?status=all").json()["results"]]
    assert refs == [action.reference, closed.reference]
    assert client.get("/api/actions/?status=closed&q=already").json()["results"][0]["reference"]


def test_requests_are_throttled_per_token(observer, action, settings):
    settings.API_RATE = "3/minute"
    first, second = token_client(observer), token_client(observer)
    assert [first.get("/api/groups/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/groups/").status_code == 200


def test_cursor_pages_walk_the_whole_register(observer, action):
    for _ in range(4):
        make_action(meeting=action.meeting)
    client = token_client(observer)
    seen, url = [], "/api/actions/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["reference"] for row in page["results"]]
        url = page["next"]
    assert seen == [f"DAG29-0{n}" for n in range(1, 6)]
