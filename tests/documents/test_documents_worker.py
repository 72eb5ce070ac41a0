"""A document rendered by a real Celery worker process taking the task from real Redis,
against the test database, and stored where the web app serves it from."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from celery import Celery
from django.db import connection

from documents import services as documents
from documents.models import DocumentStatus
from meetings.documents import MINUTES
from meetings.models import AgendaItem
from tests.factories import make_action, make_group, make_meeting, make_user
from tests.waiting import wait_until

pytestmark = pytest.mark.slow  # a real worker process: seconds per test

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/12"  # a Redis database of this test's own
QUEUE = "h8"


def _test_database_url():
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mhhs"))
    return url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


@pytest.fixture
def worker(transactional_db, settings, tmp_path):
    """A worker on its own queue, sharing the test's media folder; always stopped."""
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings_test",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "VAR_DIR": str(tmp_path / "var"),
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "mhhs_gov", "worker", "--pool", "solo"),
        *("--queues", QUEUE, "--hostname", f"{QUEUE}@%h", "--loglevel", "info"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    log = tmp_path / "worker.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with redis.Redis.from_url(REDIS_URL) as leftovers:
            leftovers.delete(QUEUE, *leftovers.scan_iter(match=f"*{QUEUE}*"))
        print(log.read_text())  # shown by pytest only when the test fails


def test_worker_renders_the_requested_minutes_and_a_rerequest_is_served_from_store(
    worker, monkeypatch, client
):
    meeting = make_meeting(make_group("WG"), number=7, date=datetime.date(2024, 5, 8))
    AgendaItem.objects.create(
        meeting=meeting, number="1", title="Welcome", minutes="The Chair welcomed attendees."
    )
    make_action(meeting, text="Programme to circulate the slides")
    sender = Celery("documents-test", broker=REDIS_URL)
    # What _dispatch does, sent to this test's queue on this test's Redis.
    monkeypatch.setattr(
        documents,
        "_dispatch",
        lambda document: sender.send_task(
            "documents.tasks.render_document", args=[document.pk], queue=QUEUE
        ),
    )
    user = make_user("sec", group=meeting.group, role="secretariat")
    client.force_login(user)
    try:
        response = client.post(f"/meetings/{meeting.pk}/documents/minutes/")
        document = meeting.documents.get(kind=MINUTES)
        assert response.url == f"/documents/{document.pk}/"

        def finished():
            document.refresh_from_db()
            return document.status in (DocumentStatus.READY, DocumentStatus.FAILED)

        wait_until(finished, timeout=45, interval=0.3, what="the worker to render the minutes")
    finally:
        sender.close()
    assert document.status == DocumentStatus.READY, document.error
    assert document.duration_ms > 0 and document.requested_by == user
    download = client.get(f"/documents/{document.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # Nothing changed: asking again serves the stored version.
    again = client.post(f"/meetings/{meeting.pk}/documents/minutes/")
    assert again.url == f"/documents/{document.pk}/"
    assert meeting.documents.count() == 1
