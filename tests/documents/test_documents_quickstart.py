"""The quick start (README command (a), scripts/run.sh) never leaves a document queued: with
its SQLite file, its folder broker and its worker with beat, issuing the minutes of a demo
meeting renders the Headline Report and the Minutes and Actions.

Everything runs as the quick start does, in subprocesses on a fresh VAR_DIR: migrate and
load_demo, the worker started with the command of scripts/run.sh, and the minutes issued
from another process while the worker renders. The database is read with sqlite3."""

import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.waiting import wait_until

pytestmark = pytest.mark.slow  # migrations, the demo data and a real worker: a minute or so

BASE_DIR = Path(__file__).resolve().parents[2]
MEETING = "DAG037"  # held, its minutes not yet issued in the demo data


def worker_arguments():
    """The worker's arguments in scripts/run.sh, so the test runs what the quick start runs
    (one worker process, beat inside it)."""
    script = (BASE_DIR / "scripts" / "run.sh").read_text()
    command = re.search(r"^\.venv/bin/celery (.+?) >var/celery\.log", script, re.MULTILINE)
    return shlex.split(command[1])


def quickstart_env(var_dir):
    """scripts/dev-env.sh's environment in `var_dir`: nothing but the embedded defaults."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CELERY_", "REDIS_", "EMAIL_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mhhs_gov.settings",
        DEBUG="1",
        VAR_DIR=str(var_dir),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        LOG_LEVEL="INFO",
    )
    return env


def manage(env, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )


ISSUE = f"""
from django.contrib.auth import get_user_model
from meetings.models import Meeting
from meetings.minutes_workflow import minutes_issue

meeting = next(m for m in Meeting.objects.all() if m.code == "{MEETING}")
minutes_issue(meeting=meeting, user=get_user_model().objects.get(username="secretariat"))
"""


@pytest.fixture
def quickstart(tmp_path):
    """The demo data in a fresh VAR_DIR and the quick start's worker running on it."""
    env = quickstart_env(tmp_path)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    log = tmp_path / "celery.log"
    with log.open("w") as log_file:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", *worker_arguments()],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool and beat processes go with it
        )
    try:
        yield env, tmp_path
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        print(log.read_text())  # shown by pytest only when the test fails


def documents(var_dir):
    """{kind: (status, file, error)} of the meeting's documents, read straight from SQLite."""
    with sqlite3.connect(var_dir / "db.sqlite3", timeout=20) as db:
        rows = db.execute(
            "SELECT d.kind, d.status, d.file, d.error FROM documents_document d"
            " JOIN meetings_meeting m ON m.id = d.meeting_id WHERE m.number = ?",
            (int(MEETING[3:]),),
        ).fetchall()
    return {kind: (status, file, error) for kind, status, file, error in rows}


def test_issuing_minutes_in_the_quick_start_renders_both_documents(quickstart):
    env, var_dir = quickstart
    assert "--concurrency" in (arguments := worker_arguments())
    assert arguments[arguments.index("--concurrency") + 1] == "1"

    issuing = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", ISSUE], cwd=BASE_DIR, env=env
    )
    wait_until(
        lambda: set(documents(var_dir)) == {"minutes", "headline"},
        timeout=60,
        interval=0.05,
        what="the minutes to be issued",
    )
    # Another process (the web server, in the quick start) writes for a few seconds as the
    # worker starts its renders: the worker waits for the lock instead of failing.
    with sqlite3.connect(var_dir / "db.sqlite3", timeout=20, isolation_level=None) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        db.execute("BEGIN IMMEDIATE")
        time.sleep(6)  # holding the write lock, not waiting for a result
        db.execute("COMMIT")
    assert issuing.wait(timeout=60) == 0

    def both_ready():
        found = documents(var_dir)
        failed = {kind: error for kind, (status, _, error) in found.items() if status == "failed"}
        assert not failed, failed
        return all(status == "ready" for status, _, _ in found.values()) and found

    found = wait_until(both_ready, timeout=90, interval=0.5, what="both documents to be ready")

    for kind, heading in (("minutes", "Minutes"), ("headline", "Headline")):
        pdf = PdfReader(var_dir / "media" / found[kind][1])
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert MEETING in text and heading in text, (kind, text[:300])
    assert "database is locked" not in (var_dir / "celery.log").read_text()
