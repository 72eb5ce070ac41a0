"""The quick start (scripts/run.sh) has no Redis and no mail server: its Celery worker reads
a folder broker and the file-based backend writes each email to a folder. The digests
still go out, by the daily task and by the email log's "send digest now", and show in the
email log as sent."""

import datetime
import email
import os
import signal
import subprocess
import sys
import uuid
from email import policy
from pathlib import Path

import pytest
from celery import Celery
from django.urls import reverse

from actions.reminders import send_digest_now
from core.models import GovernanceGroup, Person, Role
from notifications import outbox
from notifications.models import EmailStatus, OutboundEmail
from tests.actions.test_reminders_worker import DAY, make_owners
from tests.factories import make_user
from tests.waiting import wait_until
from tests.workers import _test_database_url

pytestmark = pytest.mark.slow  # a real worker process: seconds per test

BASE_DIR = Path(__file__).resolve().parents[2]


def folder_broker(var_dir):
    """A Celery client on the folder broker settings.py sets up when REDIS_URL is unset."""
    broker = var_dir / "broker"
    for folder in ("out", "processed", "control"):
        (broker / folder).mkdir(parents=True, exist_ok=True)
    return Celery(
        "quickstart-test",
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(broker / "out"),
            "data_folder_out": str(broker / "out"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
            "store_processed": False,
        },
    )


@pytest.fixture
def quickstart(transactional_db, tmp_path):
    """A worker as scripts/run.sh starts it (folder broker, mail to files) in tmp_path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_DEFAULT_QUEUE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mhhs_gov.settings_test",
        DATABASE_URL=_test_database_url(),
        VAR_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        LOG_LEVEL="WARNING",
    )
    client = folder_broker(tmp_path)
    log = tmp_path / "worker.log"
    with log.open("w") as log_file:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "mhhs_gov", "worker", "--pool", "solo"),
                *("--hostname", f"quickstart-{uuid.uuid4().hex[:8]}@%h"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        yield client, tmp_path / "mail"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        client.close()
        print(log.read_text())  # shown by pytest only when the test fails


def mailed_message_ids(mail_dir):
    """Message-IDs of the emails the file backend wrote (several per file, one per batch)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                message = email.message_from_bytes(chunk.strip(), policy=policy.default)
                found.append(message["Message-ID"].strip())  # long ids are folded
    return found


def test_quick_start_sends_the_digests_to_files_and_logs_them(quickstart, client, monkeypatch):
    worker, mail_dir = quickstart
    make_owners(12)
    worker.send_task("actions.tasks.send_daily_reminders", args=(DAY,))
    wait_until(
        lambda: OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 12,
        timeout=60,
        what="the worker to send 12 digests",
    )
    planned = set(OutboundEmail.objects.values_list("message_id", flat=True))
    assert sorted(mailed_message_ids(mail_dir)) == sorted(planned)

    # "Send digest now" from the email log goes through the same worker.
    monkeypatch.setattr(
        outbox.send_outbound_email,
        "delay",
        lambda pk: worker.send_task("notifications.outbox.send_outbound_email", args=(pk,)),
    )
    secretariat = make_user(group=GovernanceGroup.objects.get(code="DAG"), role=Role.SECRETARIAT)
    manual = send_digest_now(
        person=Person.objects.get(name="Owner 0003"),
        today=datetime.date.fromisoformat(DAY),
        token=uuid.uuid4().hex,
        requested_by=secretariat,
    )
    wait_until(
        lambda: OutboundEmail.objects.get(pk=manual.pk).status == EmailStatus.SENT,
        timeout=30,
        what="the digest sent by hand",
    )
    assert manual.message_id in mailed_message_ids(mail_dir)

    client.force_login(secretariat)
    page = client.get(reverse("email:email_log"))
    assert page.status_code == 200
    assert [row.status for row in page.context["page"]] == [EmailStatus.SENT] * 13
    assert "(sent by hand)" in page.content.decode()
