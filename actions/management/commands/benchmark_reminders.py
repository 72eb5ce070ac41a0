"""Time the daily reminder run end to end: a real Celery worker, a local SMTP sink.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhhs_bench_h7
    export REDIS_URL=redis://127.0.0.1:6379/12
    manage.py migrate && manage.py benchmark_reminders [--concurrency 2]

Builds 20 groups, 2,000 owners and 10,000 open actions (once; later runs reuse them) and
starts an SMTP sink on loopback (in a thread: it counts messages and SMTP connections) and
a Celery worker (prefork, --concurrency processes) on a queue of its own. Then it sends the
worker the daily task as beat does and waits until every digest is marked sent: the task
plans every digest in one transaction and queues batches of 100, each sent over one SMTP
connection. The times come from the rows (planned at, sent at). A second run the same day
must plan nothing.
"""

import asyncio
import datetime
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import redis
from celery import Celery
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from actions.models import Action, ActionOwner
from actions.reminders import plan_daily
from core.models import GovernanceGroup, GroupLevel, Membership, Person, Role
from notifications.models import EmailStatus, OutboundEmail

DAY = datetime.date(2024, 6, 12)  # a Wednesday: digests, no weekly escalation
GROUPS, OWNERS, ACTIONS_PER_OWNER = 20, 2_000, 5
# Days from DAY to each owner's actions' due dates: four fall in the digest, one beyond it.
DUE_OFFSETS = (-30, -3, 0, 5, 20)
BENCH_EMAILS = Q(to_address__endswith="@bench.invalid")


class Sink:
    """A bare SMTP server on loopback, in a thread: it accepts every message and counts
    SMTP sessions and Message-IDs. aiosmtpd (which the tests use) spends more CPU per
    message than the run being measured, and shares the machine's two cores with it."""

    MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)

    def __init__(self):
        self.sessions, self.message_ids = 0, Counter()
        self.loop = asyncio.new_event_loop()
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self.session, "127.0.0.1", 0, limit=2**22)
        )
        self.port = self.server.sockets[0].getsockname()[1]
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def session(self, reader, writer):
        self.sessions += 1
        writer.write(b"220 sink\r\n")
        while line := await reader.readline():
            command = line[:4].upper()
            if command == b"DATA":
                writer.write(b"354 go ahead\r\n")
                content = await reader.readuntil(b"\r\n.\r\n")
                headers = content.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ")
                self.message_ids[self.MESSAGE_ID.search(headers)[1]] += 1
                writer.write(b"250 accepted\r\n")
            elif command == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            else:  # EHLO, MAIL, RCPT, RSET, NOOP
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()

    def stop(self):
        self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)


class Command(BaseCommand):
    help = "Benchmark the daily reminder run: 2,000 owners, 10,000 actions, a worker, SMTP."

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", type=int, default=2, help="Worker processes (default 2)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even if the database name does not contain 'bench'.",
        )

    def handle(self, *args, concurrency=2, force=False, **options):
        name = connection.settings_dict["NAME"]
        if "bench" not in str(name) and not force:
            raise CommandError(
                f"This writes 10,000 actions into {name}; point DATABASE_URL at a database "
                "of its own (e.g. mhhs_bench_h7) or pass --force."
            )
        if not settings.REDIS_URL:
            raise CommandError("The worker needs a broker: set REDIS_URL.")
        self.build_data()
        OutboundEmail.objects.filter(BENCH_EMAILS).delete()
        self.describe_machine(concurrency)

        sink = Sink()
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        worker = self.start_worker(queue, sink.port, concurrency)
        client = Celery("benchmark", broker=settings.REDIS_URL)
        try:
            self.wait_for_worker(client, worker, queue)
            self.run_day(client, queue, worker, sink)
            start = time.perf_counter()
            again = plan_daily(DAY, send=list)
            self.stdout.write(
                f"Second run the same day: {len(again)} new emails, "
                f"{time.perf_counter() - start:.2f} s."
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
            sink.stop()
            client.close()
            with redis.Redis.from_url(settings.REDIS_URL) as db:
                db.delete(queue, *db.scan_iter(match=f"*{queue}*"))

    def describe_machine(self, concurrency):
        cpuinfo = Path("/proc/cpuinfo")
        lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
        model = next(
            (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
            platform.processor(),
        )
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (postgres,) = cursor.fetchone()
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(
            f"Machine: {os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
            f"PostgreSQL {postgres}; load average {load}.\n"
            f"Worker: prefork, concurrency {concurrency}; SMTP sink: a bare one on 127.0.0.1."
        )

    def start_worker(self, queue, smtp_port, concurrency):
        env = {
            **os.environ,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "SITE_URL": "https://governance.example.org",
            "LOG_LEVEL": "WARNING",
        }
        command = [
            *(sys.executable, "-m", "celery", "-A", "mhhs_gov", "worker", "--loglevel", "warning"),
            *("--concurrency", str(concurrency), "--queues", queue, "--hostname", f"{queue}@%h"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ]
        log = settings.VAR_DIR / "benchmark-worker.log"
        self.stdout.write(f"Worker log: {log}")
        with log.open("w") as log_file:
            return subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)

    def wait_for_worker(self, client, worker, queue, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise CommandError("The worker stopped; run it by hand to see why.")
            if client.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=1):
                return
        raise CommandError("The worker did not answer.")

    def run_day(self, client, queue, worker, sink):
        emails = OutboundEmail.objects.filter(BENCH_EMAILS)
        cpu_before = self.cpu_seconds(worker)
        start = timezone.now()
        client.send_task("actions.tasks.send_daily_reminders", args=[DAY.isoformat()], queue=queue)
        deadline = time.monotonic() + 600
        while True:
            time.sleep(0.1)
            counts = emails.aggregate(
                planned=Count("pk"), pending=Count("pk", filter=Q(status=EmailStatus.PENDING))
            )
            if counts["planned"] and not counts["pending"]:
                break
            if time.monotonic() > deadline:
                raise CommandError(f"Not done after 10 minutes: {counts}; see the worker log.")
        cpu = {part: self.cpu_seconds(worker)[part] - cpu_before[part] for part in cpu_before}
        times = emails.aggregate(
            planned=Max("created_at"), first=Min("sent_at"), last=Max("sent_at")
        )
        sent = emails.filter(status=EmailStatus.SENT).count()
        total = (times["last"] - start).total_seconds()
        plan = (times["planned"] - start).total_seconds()
        received = sum(sink.message_ids.values())
        self.stdout.write(
            f"Daily run: {counts['planned']} digests planned in {plan:.2f} s; {sent} sent by "
            f"{total:.2f} s over {sink.sessions} SMTP connections ({received} received, "
            f"{received - len(sink.message_ids)} duplicates); "
            f"{counts['planned'] / total:.0f} owners/s end to end.\n"
            "CPU per owner: "
            + ", ".join(
                f"{part} {seconds / counts['planned'] * 1000:.2f} ms"
                for part, seconds in cpu.items()
            )
            + " (PostgreSQL not counted)."
        )

    def cpu_seconds(self, worker):
        """CPU time so far of the worker (its processes) and of this process (the SMTP
        sink; the polling is negligible). PostgreSQL's is not counted: the worker closes
        its connection after each task, and a closed backend's time cannot be read."""
        return {"worker": process_tree_cpu(worker.pid), "SMTP sink": time.process_time()}

    @transaction.atomic
    def build_data(self):
        if GovernanceGroup.objects.filter(code="BENCH01").exists():
            return
        self.stdout.write("Building 20 groups, 2,000 owners and 10,000 actions...")
        groups = GovernanceGroup.objects.bulk_create(
            GovernanceGroup(code=f"BENCH{g:02d}", name=f"Bench group {g}", level=GroupLevel.WORKING)
            for g in range(1, GROUPS + 1)
        )
        people = Person.objects.bulk_create(
            Person(name=f"Bench Owner {n:04d}", email=f"owner{n}@bench.invalid")
            for n in range(OWNERS)
        )
        chairs = Person.objects.bulk_create(
            Person(name=f"Bench {role} {g.code}", email=f"{role}.{g.code}@bench.invalid")
            for g in groups
            for role in ("chair", "secretariat")
        )
        Membership.objects.bulk_create(
            Membership(
                group=groups[n // 2], person=person, role=[Role.CHAIR, Role.SECRETARIAT][n % 2]
            )
            for n, person in enumerate(chairs)
        )
        actions, owners = [], []
        for n, person in enumerate(people):
            group = groups[n % GROUPS]
            for k, offset in enumerate(DUE_OFFSETS[:ACTIONS_PER_OWNER]):
                actions.append(
                    Action(
                        reference=f"{group.code}-{n:04d}-{k}",
                        group=group,
                        text=f"Bench action {k} of owner {n}: circulate the paper and report back",
                        date_raised=DAY - datetime.timedelta(days=60),
                        due_date=DAY + datetime.timedelta(days=offset),
                    )
                )
                owners.append(person)
        Action.objects.bulk_create(actions, batch_size=2000)
        ActionOwner.objects.bulk_create(
            (ActionOwner(action=a, person=p) for a, p in zip(actions, owners, strict=True)),
            batch_size=2000,
        )


def process_cpu(pid) -> float:
    """User + system CPU seconds of a live process (Linux /proc), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid) -> float:
    """CPU seconds of a process and its live descendants (the prefork pool)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return process_cpu(pid) + sum(process_tree_cpu(int(child)) for child in children)
