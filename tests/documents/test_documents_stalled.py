"""A render that will not finish says so: a busy database (SQLite's "database is locked"
in the quick start) makes the task try again with a growing delay instead of leaving the
document queued; a render queued or rendering for minutes is shown "Stalled", with a
retry for the group's secretariat only."""

import datetime
import logging

import pytest
from django.db import OperationalError
from django.utils import timezone

from documents import services, tasks
from documents.models import Document, DocumentStatus
from documents.tasks import render_document
from meetings.documents import MINUTES
from meetings.models import AgendaItem
from tests.factories import make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db

LOCKED = OperationalError("database is locked")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "_dispatch", lambda document: sent.append(document.pk))
    return sent


@pytest.fixture
def meeting():
    meeting = make_meeting(make_group("TG"), number=3, date=datetime.date(2024, 3, 13))
    AgendaItem.objects.create(meeting=meeting, number="1", title="Welcome", minutes="Welcomed.")
    return meeting


def _busy_then(real, times):
    """`real`, after raising "database is locked" `times` times."""
    calls = []

    def wrapped(*args, **kwargs):
        calls.append(args)
        if len(calls) <= times:
            raise LOCKED
        return real(*args, **kwargs)

    wrapped.calls = calls
    return wrapped


def test_a_busy_database_at_the_start_is_retried_with_a_growing_delay(
    meeting, queued, monkeypatch, caplog
):
    document = services.request_document(kind=MINUTES, meeting=meeting)
    start = _busy_then(tasks._start, times=2)
    monkeypatch.setattr(tasks, "_start", start)

    with caplog.at_level(logging.WARNING, logger="documents.tasks"):
        result = render_document.apply(args=(document.pk,))  # retries run at once, eagerly

    assert result.get() == DocumentStatus.READY and len(start.calls) == 3
    assert "trying again in 2 s" in caplog.text and "trying again in 4 s" in caplog.text
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.error == ""


def test_a_busy_database_when_storing_resumes_the_render_and_leaves_one_file(
    meeting, queued, monkeypatch, media
):
    """The retry takes up its own render (not failed as one killed midway), and the file
    stored before the row could be saved is removed."""
    document = services.request_document(kind=MINUTES, meeting=meeting)
    real_save = Document.save
    saves = []

    def busy_once(self, *args, **kwargs):
        if self.status == DocumentStatus.READY and not saves:
            saves.append(self.file.name)
            raise LOCKED
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Document, "save", busy_once)

    assert render_document.apply(args=(document.pk,)).get() == DocumentStatus.READY

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.error == ""
    stored = [path.name for path in media.rglob("*.pdf")]
    assert saves and stored == [document.file.name.rsplit("/", 1)[-1]]


def test_a_database_busy_past_the_retries_leaves_the_document_to_show_stalled(
    meeting, queued, monkeypatch
):
    document = services.request_document(kind=MINUTES, meeting=meeting)
    start = _busy_then(tasks._start, times=100)
    monkeypatch.setattr(tasks, "_start", start)

    result = render_document.apply(args=(document.pk,))

    assert result.failed() and len(start.calls) == tasks.BUSY_RETRIES + 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and not services.is_stale(document)
    long_ago = timezone.now() - services.QUEUED_STALE_AFTER - datetime.timedelta(seconds=1)
    Document.objects.filter(pk=document.pk).update(requested_at=long_ago)
    assert services.stalled_documents().get() == document


def test_other_database_errors_are_recorded_as_a_failure(meeting, queued, monkeypatch):
    document = services.request_document(kind=MINUTES, meeting=meeting)

    def broken(document):
        raise OperationalError("no such column: minutes")

    monkeypatch.setattr(tasks, "render_and_store", broken)
    assert render_document(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.error == "Rendering failed: OperationalError: no such column: minutes"


def _stall(document):
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RENDERING,
        started_at=timezone.now() - services.STALE_AFTER - datetime.timedelta(minutes=1),
    )


def _row(document):
    return Document.objects.filter(pk=document.pk).values().get()


def test_a_stalled_render_is_labelled_and_the_secretariat_retries_it(
    client, meeting, queued, django_capture_on_commit_callbacks
):
    document = services.request_document(kind=MINUTES, meeting=meeting)
    _stall(document)
    client.force_login(make_user(group=meeting.group, role="secretariat"))

    listing = client.get(f"/meetings/{meeting.pk}/documents/").content.decode()
    assert ">Stalled</span>" in listing and ">Rendering</span>" not in listing
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "<strong>Stalled.</strong> The render was stopped before it finished" in page
    assert "hx-trigger" not in page  # no polling for a render that will not come
    assert f'action="/documents/{document.pk}/retry/"' in page and "Try again" in page

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/documents/{document.pk}/retry/").status_code == 302
    assert queued == [document.pk]
    assert _row(document)["status"] == DocumentStatus.QUEUED
    assert render_document(document.pk) == DocumentStatus.READY


@pytest.mark.parametrize("role", ["member", "observer", "chair"])
def test_only_the_secretariat_may_retry_a_stalled_render(client, meeting, queued, role):
    document = services.request_document(kind=MINUTES, meeting=meeting)
    _stall(document)
    before = _row(document)
    client.force_login(make_user(group=meeting.group, role=role))

    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "<strong>Stalled.</strong>" in page and "Try again" not in page
    assert "/retry/" not in page
    assert client.post(f"/documents/{document.pk}/retry/").status_code == 403
    assert _row(document) == before and queued == []


def test_a_failed_render_is_not_called_stalled(client, meeting, queued):
    document = services.request_document(kind=MINUTES, meeting=meeting)
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error="Rendering failed: ValueError: fonts missing"
    )
    client.force_login(make_user(group=meeting.group, role="secretariat"))
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "Rendering failed." in page and "Stalled" not in page
