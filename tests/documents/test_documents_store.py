"""Stored documents: versions, unchanged data served from store, the render task's
failure paths (error recorded, never a file), retry, and the memory guard."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from documents import rendering, services, tasks
from documents.models import Document, DocumentStatus
from documents.rendering import source_hash
from documents.services import documents_on_minutes_issued, request_document
from documents.tasks import memory_guard, render_document
from meetings.documents import HEADLINE, MINUTES
from meetings.models import AgendaItem
from tests.factories import make_action, make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def queued(monkeypatch):
    """The ids sent to the worker, in order (sent on commit, as the app does)."""
    sent = []
    monkeypatch.setattr(services, "_dispatch", lambda document: sent.append(document.pk))
    return sent


@pytest.fixture
def meeting():
    meeting = make_meeting(make_group("TG"), number=3, date=datetime.date(2024, 3, 13))
    AgendaItem.objects.create(meeting=meeting, number="1", title="Welcome", minutes="Welcomed.")
    make_action(meeting, text="Programme to circulate the slides")
    return meeting


def _ask(meeting, django_capture_on_commit_callbacks, user=None):
    with django_capture_on_commit_callbacks(execute=True):
        return request_document(kind=MINUTES, meeting=meeting, user=user)


def test_render_stores_file_version_hash_duration_and_who(
    meeting, queued, django_capture_on_commit_callbacks
):
    user = make_user("sec")
    document = _ask(meeting, django_capture_on_commit_callbacks, user)
    assert (document.version, document.status, queued) == (1, DocumentStatus.QUEUED, [document.pk])
    assert document.scope == f"meeting:{meeting.pk}" and document.group == meeting.group
    assert render_document(document.pk) == DocumentStatus.READY
    document.refresh_from_db()
    assert document.requested_by == user
    assert (
        document.file.name.endswith(".pdf") and "TG003-Minutes-and-Actions-v1" in document.file.name
    )
    assert document.file.read(5) == b"%PDF-"
    assert len(document.source_hash) == 64 and document.duration_ms > 0
    assert document.started_at <= document.finished_at
    # The task skips a document already rendered (a redelivered message).
    assert render_document(document.pk) == "skipped"


def test_unchanged_source_is_served_from_store_changed_source_makes_a_new_version(
    meeting, queued, django_capture_on_commit_callbacks
):
    first = _ask(meeting, django_capture_on_commit_callbacks)
    # Asked again before the worker got to it: the same queued version, not a second one.
    assert _ask(meeting, django_capture_on_commit_callbacks) == first
    render_document(first.pk)
    again = _ask(meeting, django_capture_on_commit_callbacks)
    assert again == first and queued == [first.pk]

    item = meeting.agenda_items.get()
    item.minutes = "Welcomed everyone and noted apologies."
    item.save()
    second = _ask(meeting, django_capture_on_commit_callbacks)
    assert second.version == 2 and queued == [first.pk, second.pk]
    render_document(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == DocumentStatus.READY
    assert first.source_hash != second.source_hash
    assert first.file.name != second.file.name and first.file.read(5) == b"%PDF-"


def test_layout_change_is_a_change_of_source(meeting, monkeypatch):
    draft = Document(kind=MINUTES, scope="x", meeting=meeting, group=meeting.group)
    before = source_hash(rendering.build_source(draft))
    monkeypatch.setattr(rendering, "_templates_fingerprint", lambda: "another layout")
    assert source_hash(rendering.build_source(draft)) != before


def test_failure_is_recorded_without_a_file_and_retry_reuses_the_version(
    meeting, queued, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html):
        raise ValueError("fonts missing")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    document = _ask(meeting, django_capture_on_commit_callbacks)
    assert render_document(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and not document.file
    assert document.error == "Rendering failed: ValueError: fonts missing"

    monkeypatch.undo()
    monkeypatch.setattr(services, "_dispatch", lambda document: queued.append(document.pk))
    # Asking again for the same data retries the failed version rather than adding one.
    retried = _ask(meeting, django_capture_on_commit_callbacks)
    assert (retried.pk, retried.version, retried.status) == (document.pk, 1, DocumentStatus.QUEUED)
    assert render_document(document.pk) == DocumentStatus.READY


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (SoftTimeLimitExceeded(), "Rendering took longer than 60 seconds and was stopped."),
        (MemoryError(), "Rendering needed more than 768 MB and was stopped."),
    ],
)
def test_time_and_memory_limits_fail_the_document(
    meeting, queued, monkeypatch, error, message, django_capture_on_commit_callbacks
):
    document = _ask(meeting, django_capture_on_commit_callbacks)

    def stopped(document):
        document.file.save("partial.pdf", rendering.ContentFile(b"%PDF-partial"), save=False)
        raise error

    monkeypatch.setattr(tasks, "render_and_store", stopped)
    assert render_document(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert (document.error, document.file.name) == (message, "")


def test_a_render_killed_midway_is_failed_on_redelivery_and_shown_stale(
    meeting, queued, django_capture_on_commit_callbacks
):
    document = _ask(meeting, django_capture_on_commit_callbacks)
    started = timezone.now() - datetime.timedelta(minutes=5)
    Document.objects.filter(pk=document.pk).update(status="rendering", started_at=started)
    document.refresh_from_db()
    assert services.is_stale(document)
    # The page offers a retry; asking again for the same data retries it.
    assert _ask(meeting, django_capture_on_commit_callbacks).status == DocumentStatus.QUEUED
    Document.objects.filter(pk=document.pk).update(status="rendering", started_at=started)
    assert render_document(document.pk) == "skipped"
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "stopped before it finished" in document.error


def test_memory_guard_turns_a_runaway_allocation_into_memory_error_and_restores_the_limit():
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError), memory_guard(64):
        bytearray(512 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    bytearray(128 * 1024 * 1024)  # allowed again


def test_memory_guard_renders_without_a_cap_where_the_system_refuses_one(monkeypatch):
    """macOS, say: the address space is read (psutil) and the limit refused, so the
    render runs under its time limits only, rather than failing."""
    assert tasks._address_space() > 0

    def refused(*args):
        raise ValueError("current limit exceeds maximum limit")

    monkeypatch.setattr(tasks.resource, "setrlimit", refused)
    with memory_guard(64):
        bytearray(128 * 1024 * 1024)


def test_issuing_minutes_queues_minutes_and_headline(
    meeting, queued, django_capture_on_commit_callbacks
):
    user = make_user("issuer")
    with django_capture_on_commit_callbacks(execute=True):
        made = documents_on_minutes_issued(meeting=meeting, user=user)
    assert [d.kind for d in made] == [MINUTES, HEADLINE]
    assert queued == [d.pk for d in made]
    assert all(d.requested_by == user and d.version == 1 for d in made)


def test_each_worker_process_warms_up_the_renderer_and_survives_a_failure(monkeypatch, caplog):
    calls = []
    monkeypatch.setattr(tasks, "warm_up", lambda: calls.append("warm"))
    # Not frozen for real: the test process's heap is not a worker's.
    monkeypatch.setattr(tasks.gc, "freeze", lambda: calls.append("freeze"))
    tasks.warm_up_renderer(sender=None)
    assert calls == ["warm", "freeze"]

    def broken():
        raise OSError("libpango missing")

    monkeypatch.setattr(tasks, "warm_up", broken)
    tasks.warm_up_renderer(sender=None)  # logged, not raised: the worker still starts
    assert "Warming up the document renderer failed" in caplog.text
    # It is connected to the signal Celery sends in each new worker process.
    from celery.signals import worker_process_init

    assert tasks.warm_up_renderer in [ref() for _, ref in worker_process_init.receivers]


def test_warm_up_renders_a_scrap_in_the_documents_styles():
    rendering.warm_up()
    rendering.renderer.ready()  # raises if the scrap could not be rendered


def test_a_broker_that_does_not_answer_fails_the_document_instead_of_the_request(
    meeting, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def down(document):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(services, "_dispatch", down)
    document = _ask(meeting, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and not document.file
    assert document.error == "The render could not be queued: the task queue is not answering."


def test_a_render_never_started_is_shown_stale_and_asking_again_queues_it_anew(
    meeting, queued, django_capture_on_commit_callbacks
):
    document = _ask(meeting, django_capture_on_commit_callbacks)
    assert services.stale_reason(document) == ""
    long_ago = timezone.now() - datetime.timedelta(minutes=15)
    Document.objects.filter(pk=document.pk).update(requested_at=long_ago)
    document.refresh_from_db()
    assert services.stale_reason(document) == (
        "The render has not started: the document worker may be stopped."
    )
    again = _ask(meeting, django_capture_on_commit_callbacks)
    assert (again.pk, again.status) == (document.pk, DocumentStatus.QUEUED)
    assert queued == [document.pk, document.pk] and services.stale_reason(again) == ""
