"""A real Celery worker process for the tests that need one: on a queue of its own, on a
Redis database of the tests' own, reading the test database (so the test must commit: use
transactional_db) and sending mail to an SMTP server on loopback."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import redis
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/11"  # the worker tests' own Redis database


def _test_database_url():
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


class Worker:
    """A real worker process on a queue of its own, sending to the given SMTP port."""

    def __init__(self, queue, smtp_port, log_dir):
        self.queue, self.log_dir, self.process, self.runs = queue, log_dir, None, 0
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings_test",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "5",
            "EMAIL_RETRY_DELAY": "1",
            "LOG_LEVEL": "WARNING",
        }

    def start(self):
        self.runs += 1
        command = [
            *(sys.executable, "-m", "celery", "-A", "mhhs_gov", "worker", "--pool", "solo"),
            *("--queues", self.queue, "--hostname", f"{self.queue}-{self.runs}@%h"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--loglevel", "info"),
        ]
        with (self.log_dir / f"worker-{self.runs}.log").open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def logs(self):
        return "\n".join(path.read_text() for path in sorted(self.log_dir.glob("worker-*.log")))

    def held(self):
        """Delivery tags of this queue's tasks taken by a worker and not yet acknowledged:
        with acks_late, a task is acknowledged only once it has run."""
        with redis.Redis.from_url(REDIS_URL) as db:
            unacked = db.hgetall("unacked").items()
        return {tag for tag, payload in unacked if self.queue.encode() in payload}

    def idle(self, ignore=()):
        """Every task sent to this queue has run (those it sent in turn too): none waits in
        Redis and none is held, apart from the `ignore`d tags a killed worker left behind.
        (A task being taken is, for an instant, in neither: at worst the test then checks a
        moment early, which can hide a late duplicate but never fails a correct run.)"""
        with redis.Redis.from_url(REDIS_URL) as db:
            lists = db.scan_iter(match=f"{self.queue}*", _type="list")  # its priority lists too
            waiting = sum(db.llen(key) for key in lists)
        return not waiting and not (self.held() - set(ignore))


def clean_redis(queue):
    """Forget the queue's messages, those a killed worker held too."""
    with redis.Redis.from_url(REDIS_URL) as db:
        db.delete(queue, *db.scan_iter(match=f"*{queue}*"))
        # Messages a killed worker held would otherwise come back to a queue nobody reads.
        for tag, payload in db.hgetall("unacked").items():
            if queue.encode() in payload:
                db.hdel("unacked", tag)
                db.zrem("unacked_index", tag)
