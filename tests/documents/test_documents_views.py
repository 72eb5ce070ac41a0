"""Document pages: ask for a render (secretariat), watch it (htmx polling, or a refresh
link without JavaScript), download any version (members and observers), retry a failure."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from changerequests.documents import CR_STATUS
from documents import services as documents
from documents.models import Document, DocumentStatus
from documents.tasks import render_document
from meetings.documents import MINUTES
from meetings.models import AgendaItem
from raid.documents import RAID
from tests.factories import make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(documents, "_dispatch", lambda document: sent.append(document.pk))
    return sent


@pytest.fixture
def meeting():
    meeting = make_meeting(make_group("TG"), number=3, date=datetime.date(2024, 3, 13))
    AgendaItem.objects.create(meeting=meeting, number="1", title="Welcome", minutes="Welcomed.")
    return meeting


def _login(client, meeting, role):
    client.force_login(make_user(group=meeting.group, role=role))


def test_secretariat_renders_minutes_watches_and_downloads(
    client, meeting, queued, django_capture_on_commit_callbacks
):
    _login(client, meeting, "secretariat")
    page = client.get(f"/meetings/{meeting.pk}/documents/")
    assert b"Render the Minutes and Actions" in page.content
    assert b"Not rendered yet." in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/meetings/{meeting.pk}/documents/minutes/")
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/{document.pk}/"
    assert queued == [document.pk]

    waiting = client.get(response.url).content.decode()
    assert "Queued for rendering" in waiting
    assert f'hx-get="/documents/{document.pk}/"' in waiting and 'hx-trigger="every 1s"' in waiting
    assert f'<a href="/documents/{document.pk}/">Refresh</a>' in waiting  # without JavaScript

    render_document(document.pk)
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "hx-get" not in partial  # polling stops
    assert f'href="/documents/{document.pk}/download/"' in partial
    download = client.get(f"/documents/{document.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="TG003 Minutes and Actions v1.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_observer_downloads_but_may_not_render_or_retry(client, meeting, queued):
    document = documents.request_document(kind=MINUTES, meeting=meeting)
    render_document(document.pk)
    _login(client, meeting, "observer")
    page = client.get(f"/meetings/{meeting.pk}/documents/").content.decode()
    assert "Render the" not in page and f"/documents/{document.pk}/download/" in page
    assert client.get(f"/documents/{document.pk}/download/").status_code == 200
    assert client.post(f"/meetings/{meeting.pk}/documents/minutes/").status_code == 403
    assert client.post(f"/documents/{document.pk}/retry/").status_code == 403
    assert client.post("/groups/TG/documents/raid/").status_code == 403


def test_other_groups_documents_are_not_found(client, meeting, queued):
    document = documents.request_document(kind=MINUTES, meeting=meeting)
    client.force_login(make_user(group=make_group("XG"), role="secretariat"))
    for url in (
        f"/meetings/{meeting.pk}/documents/",
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/download/",
        "/groups/TG/documents/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/meetings/{meeting.pk}/documents/minutes/").status_code == 404
    assert client.post("/groups/TG/documents/open_actions/").status_code == 404


def test_unknown_kind_and_unready_download_are_not_found(client, meeting, queued):
    _login(client, meeting, "secretariat")
    assert client.post(f"/meetings/{meeting.pk}/documents/raid/").status_code == 404
    assert client.post("/groups/TG/documents/minutes/").status_code == 404
    document = documents.request_document(kind=MINUTES, meeting=meeting)
    assert client.get(f"/documents/{document.pk}/download/").status_code == 404


def test_failure_is_shown_with_a_retry(client, meeting, queued, monkeypatch):
    document = documents.request_document(kind=MINUTES, meeting=meeting)
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error="Rendering failed: ValueError: fonts missing"
    )
    _login(client, meeting, "secretariat")
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "Rendering failed." in page and "ValueError: fonts missing" in page
    assert f'action="/documents/{document.pk}/retry/"' in page
    retried = client.post(f"/documents/{document.pk}/retry/", headers={"HX-Request": "true"})
    assert "Queued for rendering" in retried.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and document.error == ""


def test_a_render_that_never_started_offers_a_retry(
    client, meeting, queued, django_capture_on_commit_callbacks
):
    document = documents.request_document(kind=MINUTES, meeting=meeting)
    long_ago = timezone.now() - datetime.timedelta(minutes=15)
    Document.objects.filter(pk=document.pk).update(requested_at=long_ago)
    _login(client, meeting, "secretariat")
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "The render has not started: the document worker may be stopped." in page
    assert "hx-trigger" not in page  # no polling for a render that will not come
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/documents/{document.pk}/retry/").status_code == 302
    assert queued == [document.pk]
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and document.requested_at > long_ago


def test_group_reports_with_period_errors_next_to_the_field(
    client, meeting, queued, django_capture_on_commit_callbacks
):
    _login(client, meeting, "secretariat")
    page = client.get("/groups/TG/documents/").content.decode()
    for label in ("Open actions report", "Change request status report", "RAID report"):
        assert f"Render the {label}" in page
    bad = client.post(
        "/groups/TG/documents/cr_status/",
        {
            "cr_status-start": "01/06/2024",
            "cr_status-end": "01/03/2024",
            "cr_status-classification": "public",
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "The period must end on or after its first day." in text
    assert 'value="01/06/2024"' in text  # what was typed is kept
    nonsense = client.post("/groups/TG/documents/cr_status/", {"cr_status-start": "tomorrow"})
    assert nonsense.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            "/groups/TG/documents/cr_status/",
            {
                "cr_status-start": "01/03/2024",
                "cr_status-end": "04/06/2024",
                "cr_status-classification": "internal",
            },
        )
    document = Document.objects.get(kind=CR_STATUS)
    assert good.url == f"/documents/{document.pk}/"
    assert document.scope == f"group:{meeting.group.pk}:2024-03-01:2024-06-04"
    assert document.parameters["classification"] == "internal"


def test_documents_pages_run_a_fixed_number_of_queries(client, meeting, queued):
    """Versions are listed with who asked in one query, not one query per version (the N+1
    this pins)."""
    _login(client, meeting, "observer")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = (f"/meetings/{meeting.pk}/documents/", "/groups/TG/documents/")
    before = [count(url) for url in urls]
    user = make_user()
    for version in range(1, 6):
        for kind, scope in (
            (MINUTES, f"meeting:{meeting.pk}"),
            (RAID, f"group:{meeting.group.pk}"),
        ):
            Document.objects.create(
                kind=kind,
                scope=scope,
                version=version,
                meeting=meeting if kind == MINUTES else None,
                group=meeting.group,
                requested_by=user,
                status=DocumentStatus.FAILED,
            )
    assert [count(url) for url in urls] == before


def test_meeting_and_group_pages_link_to_their_documents(client, meeting):
    _login(client, meeting, "observer")
    documents_url = f"/meetings/{meeting.pk}/documents/"
    assert documents_url in client.get(f"/meetings/{meeting.pk}/").content.decode()
    page = client.get(documents_url).content.decode()
    assert 'aria-current="page">Documents</a>' in page  # the meeting's tabs, on this tab
    assert "/groups/TG/documents/" in client.get("/groups/TG/").content.decode()
