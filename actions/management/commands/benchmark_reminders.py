"""Time the daily reminder run end to end against a local SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhhs_bench_h7 manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mhhs_bench_h7 manage.py benchmark_reminders

Builds 20 groups, 2,000 owners and 10,000 open actions (once; later runs reuse them), starts
an aiosmtpd sink on loopback in its own process, then runs the daily job as the worker
does: plan every digest in one transaction, then send in batches of one SMTP connection
each. It runs the day twice to show the second run plans nothing.
"""

import datetime
import socket
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from actions.models import Action, ActionOwner
from actions.reminders import plan_daily
from meetings.models import (
    EmailStatus,
    GovernanceGroup,
    GroupLevel,
    Membership,
    OutboundEmail,
    Person,
    Role,
)
from meetings.outbox import BATCH_SIZE, send_outbound_emails

DAY = datetime.date(2024, 6, 12)
GROUPS, OWNERS, ACTIONS_PER_OWNER = 20, 2_000, 5
# Days from DAY to each owner's actions' due dates: four fall in the digest, one beyond it.
DUE_OFFSETS = (-30, -3, 0, 5, 20)


class Command(BaseCommand):
    help = "Benchmark the daily reminder run: 2,000 owners, 10,000 actions, a local SMTP sink."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even if the database name does not contain 'bench'.",
        )

    def handle(self, *args, force=False, **options):
        name = connection.settings_dict["NAME"]
        if "bench" not in str(name) and not force:
            raise CommandError(
                f"This writes 10,000 actions into {name}; point DATABASE_URL at a database "
                "of its own (e.g. mhhs_bench_h7) or pass --force."
            )
        self.build_data()
        OutboundEmail.objects.filter(person__email__endswith="@bench.invalid").delete()
        port = free_port()
        sink = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
            + ["-c", "aiosmtpd.handlers.Sink"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port)
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_USE_SSL=False,
                SITE_URL="https://governance.example.org",
            ):
                self.run_day("first run")
                self.run_day("second run, same day")
        finally:
            sink.terminate()
            sink.wait()

    def run_day(self, label):
        timings = {"send": 0.0, "batches": 0}

        def send(ids):
            start = time.perf_counter()
            for first in range(0, len(ids), BATCH_SIZE):
                send_outbound_emails.run(ids[first : first + BATCH_SIZE])
                timings["batches"] += 1
            timings["send"] = time.perf_counter() - start

        start = time.perf_counter()
        ids = plan_daily(DAY, send=send)
        total = time.perf_counter() - start
        plan = total - timings["send"]
        sent = OutboundEmail.objects.filter(pk__in=ids, status=EmailStatus.SENT).count()
        self.stdout.write(
            f"{label}: {len(ids)} digests planned in {plan:.2f} s, {sent} sent in "
            f"{timings['send']:.2f} s over {timings['batches']} SMTP connection(s); "
            f"total {total:.2f} s" + (f" = {len(ids) / total:.0f} owners/s" if ids else "")
        )

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


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CommandError("The SMTP sink did not start (is aiosmtpd installed?).")
