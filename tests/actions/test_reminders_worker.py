"""Exactly once, against the real thing: Redis broker, a Celery worker process, and an SMTP
server on loopback. The worker runs the daily job itself (planning, then batches).

(a) running the daily job twice, and a retried send task, sends each owner one email;
(b) a worker stopped gracefully mid-run and started again loses and duplicates nothing;
(c) a worker killed hard (SIGKILL) mid-run with 315 digests queued loses nothing and
    duplicates at most the one email it had in hand; the rows of its batch were claimed with
    a short lease and go out again on the first sweep after it ran out (resend_pending, which
    beat runs every minute), not when the broker gives the killed task back an hour later;
(d) with the SMTP server down for the first tries, every email arrives once it is back.
"""

import datetime
import signal
import time
import uuid

import pytest
from celery import Celery
from django.utils import timezone

from actions.models import Action, ActionOwner
from core.models import Person
from notifications.models import EmailStatus, OutboundEmail
from tests.factories import make_group, make_meeting
from tests.smtp_sink import SmtpSink
from tests.waiting import wait_until
from tests.workers import REDIS_URL, Worker, clean_redis

pytestmark = pytest.mark.slow  # a real worker process: seconds per test

DAY = "2024-06-12"  # a Wednesday: digests, no escalation


@pytest.fixture
def sink():
    sink = SmtpSink()
    yield sink
    sink.stop()


@pytest.fixture
def worker(transactional_db, sink, tmp_path):
    """transactional_db: the worker is another process and sees only committed rows."""
    queue = f"h7-{uuid.uuid4().hex[:12]}"
    worker = Worker(queue, sink.port, tmp_path)
    client = Celery("h7-test", broker=REDIS_URL)
    worker.send = lambda name, *args: client.send_task(name, args=args, queue=queue)
    try:
        yield worker
    finally:
        worker.stop(signal.SIGKILL)
        client.close()
        clean_redis(queue)
        print(worker.logs())  # shown by pytest only when the test fails


def make_owners(count):
    """`count` owners with one overdue action each, written in bulk."""
    group = make_group("DAG", name="Design Advisory Group")
    meeting = make_meeting(group, number=29, date=datetime.date(2024, 5, 1))
    people = Person.objects.bulk_create(
        Person(name=f"Owner {n:04d}", email=f"owner{n}@example.org") for n in range(count)
    )
    actions = Action.objects.bulk_create(
        Action(
            reference=f"DAG29-{n:04d}",
            group=group,
            meeting=meeting,
            text=f"Action {n}",
            date_raised=meeting.date,
            due_date=datetime.date(2024, 6, 1),
        )
        for n in range(count)
    )
    ActionOwner.objects.bulk_create(
        ActionOwner(action=action, person=person)
        for action, person in zip(actions, people, strict=True)
    )


def sent_count():
    return OutboundEmail.objects.filter(status=EmailStatus.SENT).count()


def assert_each_row_delivered(sink, count, duplicates_allowed=0):
    received = sink.recorder.message_ids()
    planned = set(OutboundEmail.objects.values_list("message_id", flat=True))
    assert len(planned) == count and set(received) == planned  # 0 lost, nothing else sent
    assert len(received) - len(planned) <= duplicates_allowed


def test_daily_job_twice_and_a_retried_task_send_each_owner_one_email(worker, sink):
    make_owners(30)
    sink.start()
    worker.start()
    worker.send("actions.tasks.send_daily_reminders", DAY)
    worker.send("actions.tasks.send_daily_reminders", DAY)
    wait_until(lambda: sent_count() == 30, timeout=60, what="30 emails sent")
    ids = list(OutboundEmail.objects.values_list("pk", flat=True))
    # A redelivered batch, a retried single send, a third run and the sweeper: no-ops.
    worker.send("notifications.outbox.send_outbound_emails", ids)
    worker.send("notifications.outbox.send_outbound_email", ids[0])
    worker.send("actions.tasks.send_daily_reminders", DAY)
    worker.send("notifications.outbox.resend_pending", 0)
    wait_until(worker.idle, timeout=60, what="the worker to run the repeated tasks")
    assert OutboundEmail.objects.count() == 30
    assert_each_row_delivered(sink, 30)
    assert sorted(m["To"] for m in sink.recorder.messages) == sorted(
        f"owner{n}@example.org" for n in range(30)
    )
    assert sink.recorder.sessions == 1  # one batch, one SMTP connection


def test_worker_stopped_gracefully_mid_run_loses_and_duplicates_nothing(worker, sink):
    make_owners(1000)
    sink.recorder.delay = 0.003  # about six seconds for the run, so it can be interrupted
    sink.start()
    worker.start()
    worker.send("actions.tasks.send_daily_reminders", DAY)
    wait_until(lambda: len(sink.recorder.messages) >= 250, timeout=60, what="the run under way")
    worker.stop(signal.SIGTERM)
    assert worker.process.returncode is not None
    stopped_at = len(sink.recorder.messages)
    assert stopped_at < 1000, "the run finished before the worker was stopped"
    worker.start()
    wait_until(lambda: sent_count() == 1000, timeout=90, what="all 1,000 emails sent")
    # Then every task queued (batches, retries) has run, so a duplicate would have arrived.
    wait_until(worker.idle, timeout=60, what="the worker to finish")
    assert_each_row_delivered(sink, 1000)


LEASE = 5  # seconds a worker's claim on its rows lasts here (EMAIL_CLAIM_SECONDS, 45 in production)


def test_worker_killed_mid_run_its_rows_go_out_again_once_its_lease_runs_out(worker, sink):
    """The review's case: 315 digests queued, the worker killed with SIGKILL mid-batch.

    A new worker sends the batches still queued. The dead worker's batch stays
    unacknowledged in Redis for an hour, but its rows were claimed only until the lease
    runs out: the first sweep after that (beat's, every minute; here every second, with a
    lease of a few seconds) queues them again. Sent within the lease and one sweep of the
    kill, with at most one duplicate: the email the dead worker had in hand.
    """
    make_owners(315)
    worker.env["EMAIL_CLAIM_SECONDS"] = str(LEASE)
    sink.recorder.delay = 0.01  # about three seconds for the run, so it can be interrupted
    sink.start()
    worker.start()
    worker.send("actions.tasks.send_daily_reminders", DAY)
    wait_until(lambda: len(sink.recorder.messages) >= 40, timeout=60, what="the run under way")
    worker.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    lost = worker.held()  # the killed worker's batch: unacknowledged for an hour, never run
    assert lost, "the killed worker held no task"
    # What the dead worker had claimed and not sent: its batch's rest, under its lease.
    stranded = set(
        OutboundEmail.objects.pending()
        .filter(claimed_until__gt=timezone.now())
        .values_list("pk", flat=True)
    )
    assert stranded, "the worker was not killed mid-batch"
    assert len(sink.recorder.messages) < 315, "the run finished before the worker was killed"

    worker.start()

    def swept_and_all_sent():
        worker.send("notifications.outbox.resend_pending")  # no argument: as beat sends it
        return sent_count() == 315

    wait_until(swept_and_all_sent, timeout=LEASE + 90, interval=1, what="all 315 emails sent")
    assert time.monotonic() - killed_at < 120
    # Then every task queued (batches, sweeps) has run, so a duplicate would have arrived.
    wait_until(lambda: worker.idle(ignore=lost), timeout=60, what="the worker to finish")
    assert_each_row_delivered(sink, 315, duplicates_allowed=1)
    assert OutboundEmail.objects.filter(pk__in=stranded, status=EmailStatus.SENT).count() == len(
        stranded
    )


def test_smtp_server_down_for_the_first_tries(worker, sink):
    make_owners(5)
    worker.start()  # nobody listens on the SMTP port yet
    worker.send("actions.tasks.send_daily_reminders", DAY)
    wait_until(
        lambda: OutboundEmail.objects.filter(attempts__gte=1).count() == 5,
        timeout=60,
        what="the first tries",
    )
    failed = OutboundEmail.objects.first()
    assert failed.status == EmailStatus.PENDING and "Connection refused" in failed.last_error
    sink.start()
    wait_until(lambda: sent_count() == 5, timeout=60, what="the retries to deliver")
    wait_until(worker.idle, timeout=60, what="the worker to finish")
    assert_each_row_delivered(sink, 5)
    assert all(email.attempts >= 2 for email in OutboundEmail.objects.all())
