"""Documents and papers on a real S3 server (SeaweedFS, tests/s3_server.py): a rendered PDF
stored, read back and downloaded, a new version beside the old, a deletion, the permission
check before a download, and a store that is down (a clear page, the render retried then
failed for a retry, nothing marked ready, no key shown or logged)."""

import datetime
import logging
import sys

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from core.models import Role
from core.versions import record_version
from documents import rendering, services
from documents.models import DocumentStatus
from documents.services import request_document, retry_document
from documents.tasks import render_document
from meetings.documents import MINUTES
from meetings.models import AgendaItem, MeetingStatus
from tests.factories import make_group, make_meeting, make_user
from tests.s3_server import ACCESS_KEY, SECRET_KEY, free_ports

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAPER = b"Design Advisory Group #4\n09 February 2022\n"


@pytest.fixture(autouse=True)
def not_queued(monkeypatch):
    """The tests run the render themselves."""
    monkeypatch.setattr(services, "_dispatch", lambda document: None)


@pytest.fixture
def quick_render(monkeypatch):
    """Where what is stored matters, not the layout: no WeasyPrint (one real render, in the
    first test, is enough)."""
    monkeypatch.setattr(rendering, "render_pdf", lambda html: b"%PDF-1.7 test")


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group")


@pytest.fixture
def meeting(dag):
    meeting = make_meeting(dag, number=4, date=datetime.date(2022, 2, 9), status=MeetingStatus.HELD)
    AgendaItem.objects.create(meeting=meeting, number="1", title="Welcome", minutes="Welcomed.")
    return meeting


@pytest.fixture
def store_down(settings, s3_server):
    """Stored files go to an S3 address where nothing listens (a store that is down)."""
    (port,) = free_ports(1)
    down = s3_server.storage("documents", endpoint_url=f"http://127.0.0.1:{port}")
    settings.STORAGES = {**settings.STORAGES, "default": down, "s3": down}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_a_render_is_stored_read_back_and_a_new_version_kept_beside_it(
    client, dag, meeting, s3_server, s3_storage, monkeypatch
):
    first = request_document(kind=MINUTES, meeting=meeting)
    assert render_document(first.pk) == DocumentStatus.READY
    first.refresh_from_db()
    assert s3_server.keys(s3_storage) == [first.file.name]
    assert first.file.name.startswith("documents/") and first.file.read(5) == b"%PDF-"
    stored = s3_server.client().get_object(Bucket=s3_storage, Key=first.file.name)["Body"].read()

    # The group's observer downloads it, streamed by the app from the store.
    observer = make_user("observer", group=dag, role=Role.OBSERVER)
    response = _get(client, observer, reverse("meetings:document_download", args=[first.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == stored
    assert int(response["Content-Length"]) == len(stored)
    assert response["Content-Type"] == "application/pdf"

    monkeypatch.setattr(rendering, "render_pdf", lambda html: b"%PDF-1.7 version 2")
    item = meeting.agenda_items.get()
    item.minutes = "Welcomed everyone and noted apologies."
    item.save()
    second = request_document(kind=MINUTES, meeting=meeting)
    assert second.version == 2
    render_document(second.pk)
    second.refresh_from_db()
    assert s3_server.keys(s3_storage) == sorted([first.file.name, second.file.name])
    again = client.get(reverse("meetings:document_download", args=[first.pk]))
    assert b"".join(again.streaming_content) == stored  # the old version is unchanged


def test_other_groups_get_404_and_a_deleted_file_is_a_404_not_an_error(
    client, dag, meeting, s3_server, s3_storage, quick_render
):
    document = request_document(kind=MINUTES, meeting=meeting)
    render_document(document.pk)
    document.refresh_from_db()
    url = reverse("meetings:document_download", args=[document.pk])
    outsider = make_user("psg", group=make_group("PSG"), role=Role.SECRETARIAT)
    assert _get(client, outsider, url).status_code == 404

    document.file.delete(save=False)  # the storage API deletes the object
    assert s3_server.keys(s3_storage) == []
    member = make_user("member", group=dag, role=Role.MEMBER)
    assert _get(client, member, url).status_code == 404


def test_a_source_paper_is_uploaded_to_s3_and_downloaded_by_its_group_only(
    client, dag, meeting, s3_server, s3_storage
):
    secretariat = make_user("pmo", group=dag, role=Role.SECRETARIAT)
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "date": "2022-02-09",
            "venue": meeting.venue,
            "classification": "public",
            "status": MeetingStatus.HELD,
            "version": record_version(meeting),
            "source_file": SimpleUploadedFile("DAG004 slides.txt", PAPER, "text/plain"),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert s3_server.keys(s3_storage) == [meeting.source_file.name]
    url = reverse("meetings:source_paper", args=[meeting.pk])
    observer = make_user("observer", group=dag, role=Role.OBSERVER)
    assert b"".join(_get(client, observer, url).streaming_content) == PAPER
    outsider = make_user("tmag", group=make_group("TMAG"), role=Role.CHAIR)
    assert _get(client, outsider, url).status_code == 404


def test_a_store_that_is_down_retries_the_render_then_fails_it_for_a_retry(
    meeting, s3_server, settings, store_down, monkeypatch, caplog, quick_render
):
    tries = []

    def counted(document):
        tries.append(document.pk)
        rendering.render_and_store(document)

    monkeypatch.setattr("documents.tasks.render_and_store", counted)
    # Two retries rather than the worker's five: the same path, in less test time.
    monkeypatch.setattr(render_document, "max_retries", 2)
    document = request_document(kind=MINUTES, meeting=meeting)
    with caplog.at_level(logging.DEBUG):
        render_document.apply(args=[document.pk])
    document.refresh_from_db()
    assert len(tries) == 3  # retried, never marked ready
    assert document.status == DocumentStatus.FAILED and not document.file
    assert document.error.startswith("Storing the PDF failed: The document store is not answering")
    assert SECRET_KEY not in caplog.text and ACCESS_KEY not in caplog.text

    # The store is back: the secretariat's retry renders the same version.
    bucket = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(bucket)}
    retry_document(document)
    assert render_document(document.pk) == DocumentStatus.READY
    document.refresh_from_db()
    assert document.version == 1 and s3_server.keys(bucket) == [document.file.name]


def test_a_store_that_is_down_gives_a_clear_page_and_an_upload_keeps_the_form(
    client, dag, meeting, s3_server, s3_storage, settings, caplog, quick_render
):
    document = request_document(kind=MINUTES, meeting=meeting)
    render_document(document.pk)
    (port,) = free_ports(1)
    down = s3_server.storage(s3_storage, endpoint_url=f"http://127.0.0.1:{port}")
    settings.STORAGES = {**settings.STORAGES, "default": down}

    secretariat = make_user("pmo", group=dag, role=Role.SECRETARIAT)
    with caplog.at_level(logging.DEBUG):
        response = _get(
            client, secretariat, reverse("meetings:document_download", args=[document.pk])
        )
        assert response.status_code == 503
        assert "The document store is not answering" in response.content.decode()

        response = client.post(
            reverse("meetings:meeting_edit", args=[meeting.pk]),
            {
                "date": "2022-02-09",
                "venue": meeting.venue,
                "classification": "public",
                "status": MeetingStatus.HELD,
                "paper_reference": "MHHS-DEL160",
                "version": record_version(meeting),
                "source_file": SimpleUploadedFile("DAG004.txt", PAPER, "text/plain"),
            },
        )
    assert response.status_code == 503
    content = response.content.decode()
    assert 'id="id_source_file_error"' in content and "Choose the file again" in content
    assert 'value="MHHS-DEL160"' in content  # kept as typed
    meeting.refresh_from_db()
    assert meeting.paper_reference == "" and not meeting.source_file  # nothing half-saved
    for text in (content, caplog.text):
        assert SECRET_KEY not in text and ACCESS_KEY not in text


def test_the_error_page_of_a_store_failure_shows_no_key(s3_storage, s3_server, settings):
    """Django's debug page (DEBUG=1) lists the settings and each frame's variables."""
    (port,) = free_ports(1)
    down = s3_server.storage(s3_storage, endpoint_url=f"http://127.0.0.1:{port}")
    settings.STORAGES = {**settings.STORAGES, "default": down}
    try:
        default_storage.save("papers/x.txt", SimpleUploadedFile("x.txt", b"x"))
    except Exception:
        page = ExceptionReporter(RequestFactory().get("/"), *sys.exc_info()).get_traceback_html()
    else:
        pytest.fail("the store answered")
    assert "EndpointConnectionError" in page
    assert SECRET_KEY not in page and ACCESS_KEY not in page


def test_a_failed_render_is_recorded_even_when_the_store_cannot_remove_its_file(
    meeting, store_down, monkeypatch
):
    def stored_then_stopped(document):
        document.file.name = "documents/2026/12/DAG004-Minutes-and-Actions-v1.pdf"
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("documents.tasks.render_and_store", stored_then_stopped)
    document = request_document(kind=MINUTES, meeting=meeting)
    assert render_document(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.error.startswith("Rendering took longer") and not document.file
