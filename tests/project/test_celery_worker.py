"""A real Celery worker process, on the real Redis, against the test database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from celery import Celery
from django.db import connection

pytestmark = pytest.mark.slow  # a real worker process: seconds per test

BASE_DIR = Path(__file__).resolve().parents[2]
# A Redis database of its own, so the test never touches data of a local app.
REDIS_URL = "redis://127.0.0.1:6379/15"


def _test_database_url():
    """The configured DATABASE_URL with the test database's name in place of the real one."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


@pytest.fixture
def worker_queue(transactional_db, tmp_path):
    """Starts a worker on a queue of its own and yields the queue name; always stops it.

    transactional_db, because the worker is another process and sees only committed data.
    """
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings_test",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "mhhs_gov", "worker", "--pool", "solo"),
        *("--queues", queue, "--hostname", f"{queue}@%h", "--loglevel", "info"),
        # Nothing to talk to: the worker is alone on its queue.
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    log = tmp_path / "worker.log"
    with log.open("w") as log_file:
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        yield queue
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        with redis.Redis.from_url(REDIS_URL) as leftovers:
            leftovers.delete(queue, *leftovers.scan_iter(match=f"*{queue}*"))
        print(log.read_text())  # shown by pytest only when the test fails


def test_worker_runs_a_task_and_returns_its_result(worker_queue):
    """ping queries the database, so "pong" proves broker, worker, database and results."""
    client = Celery("worker-test", broker=REDIS_URL, backend=REDIS_URL)
    try:
        result = client.send_task("mhhs_gov.tasks.ping", queue=worker_queue)
        assert result.get(timeout=20) == "pong"
        result.forget()
    finally:
        client.close()
