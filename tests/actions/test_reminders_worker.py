"""Exactly once, against the real thing: Redis broker, a Celery worker process, and an SMTP
server on loopback. The worker runs the daily job itself (planning, then batches).

(a) running the daily job twice, and a retried send task, sends each owner one email;
(b) a worker stopped gracefully mid-run and started again loses and duplicates nothing;
(c) a worker killed hard mid-run and started again loses nothing and duplicates at most the
    one email it had in hand (resend_pending, which beat runs, picks up its batch);
(d) with the SMTP server down for the first tries, every email arrives once it is back.
"""

import datetime
import signal
import uuid

import pytest
from celery import Celery

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


@pytest.mark.parametrize(
    ("how", "duplicates_allowed"),
    [(signal.SIGTERM, 0), (signal.SIGKILL, 1)],
    ids=["graceful-stop", "hard-kill"],
)
def test_worker_stopped_mid_run_loses_nothing(worker, sink, how, duplicates_allowed):
    make_owners(1000)
    sink.recorder.delay = 0.003  # about six seconds for the run, so it can be interrupted
    sink.start()
    worker.start()
    worker.send("actions.tasks.send_daily_reminders", DAY)
    wait_until(lambda: len(sink.recorder.messages) >= 250, timeout=60, what="the run under way")
    worker.stop(how)
    lost = worker.held()  # a killed worker's batch: unacknowledged for an hour, never run
    assert worker.process.returncode is not None
    stopped_at = len(sink.recorder.messages)
    assert stopped_at < 1000, "the run finished before the worker was stopped"
    worker.start()
    if how == signal.SIGKILL:
        # The killed worker's batch stays unacknowledged in Redis; the sweeper that beat
        # runs every few minutes queues its pending rows again.
        worker.send("notifications.outbox.resend_pending", 0)
    wait_until(lambda: sent_count() == 1000, timeout=90, what="all 1,000 emails sent")
    # Then every task queued (batches, retries) has run, so a duplicate would have arrived.
    wait_until(lambda: worker.idle(ignore=lost), timeout=60, what="the worker to finish")
    assert_each_row_delivered(sink, 1000, duplicates_allowed)


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
