"""People are told, through the real thing: what the secretariat does on the pages
(scheduling a meeting, issuing its minutes, proposing a decision) queues notices in the
outbox, a real Celery worker on Redis sends them to an SMTP server on loopback, and each
person gets each notice once, even when the sweeper runs again."""

import datetime
import uuid
from types import SimpleNamespace

import pytest
from celery import Celery
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from documents import services as documents
from notifications import outbox
from notifications.models import EmailStatus, OutboundEmail
from tests.factories import make_action, make_meeting
from tests.smtp_sink import SmtpSink
from tests.waiting import wait_until
from tests.workers import REDIS_URL, Worker, clean_redis

pytestmark = pytest.mark.slow  # a real worker process: seconds per test

SITE = "https://governance.example.org"


@pytest.fixture
def sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def worker(transactional_db, sink, tmp_path, monkeypatch, settings):
    """A worker on a queue of its own; the outbox of the test process queues to it after
    each commit, as the web process does in production (the tests otherwise run the
    send task in-process)."""
    settings.SITE_URL = SITE
    queue = f"notices-{uuid.uuid4().hex[:12]}"
    worker = Worker(queue, sink.port, tmp_path)
    client = Celery("notices-test", broker=REDIS_URL)
    worker.send = lambda name, *args: client.send_task(name, args=args, queue=queue)
    monkeypatch.setattr(
        outbox,
        "send_outbound_email",
        SimpleNamespace(
            delay=lambda pk: worker.send("notifications.outbox.send_outbound_email", pk)
        ),
    )
    # The PDFs issuing requests are rendered by a worker in tests/documents; here they wait.
    monkeypatch.setattr(documents, "_dispatch", lambda document: None)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        client.close()
        clean_redis(queue)
        print(worker.logs())  # shown by pytest only when the test fails


def all_sent():
    emails = list(OutboundEmail.objects.values_list("status", flat=True))
    return bool(emails) and all(status == EmailStatus.SENT for status in emails)


def the_one(sink, address, subject_contains):
    found = [
        m for m in sink.recorder.messages if m["To"] == address and subject_contains in m["Subject"]
    ]
    assert len(found) == 1, [m["Subject"] for m in sink.recorder.messages if m["To"] == address]
    return found[0]


def test_what_the_secretariat_does_reaches_each_person_once(
    worker, sink, client, dag, secretariat, chair, member
):
    client.force_login(secretariat)
    future = timezone.localdate() + datetime.timedelta(days=30)
    scheduled = client.post(
        reverse("meetings:meeting_create", args=[dag.code]),
        {
            "number": 30,
            "point": 0,
            "date": future.strftime("%d/%m/%Y"),
            "start_time": "10:00",
            "end_time": "12:00",
            "venue": "Virtual – MS Teams",
            "classification": "public",
        },
    )
    assert scheduled.status_code == 302, scheduled.content.decode()
    held = make_meeting(dag, number=29, date=datetime.date(2024, 6, 12))
    action = make_action(held, owners=[member.person], text="Circulate the design paper")
    issued = client.post(reverse("meetings:minutes_issue", args=[held.pk]))
    assert issued.status_code == 302
    proposed = client.post(
        reverse("decisions:decision_create"),
        {"group": dag.pk, "area": "CR032", "wording": "CR032 to go to impact assessment"},
    )
    assert proposed.status_code == 302, proposed.content.decode()

    wait_until(all_sent, timeout=90, what="the worker to send every notice")
    # The sweeper beat runs finds nothing left to send.
    worker.send("notifications.outbox.resend_pending", 0)
    wait_until(worker.idle, timeout=60, what="the worker to finish")

    planned = set(OutboundEmail.objects.values_list("message_id", flat=True))
    received = sink.recorder.message_ids()
    assert sorted(received) == sorted(planned)  # each once, nothing else
    invitation = the_one(sink, member.email, "Invitation: DAG030")
    (part,) = [p for p in invitation.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and event["DTSTART"].params["TZID"] == "Europe/London"
    minutes = the_one(sink, member.email, "Minutes of DAG029 issued")
    assert f"{SITE}/meetings/{held.pk}/minutes/" in minutes.get_body(("plain",)).get_content()
    assigned = the_one(sink, member.email, "1 action assigned to you at DAG029")
    assert f"{SITE}/actions/{action.reference}/" in assigned.get_body(("plain",)).get_content()
    awaiting = the_one(sink, chair.email, "awaits your approval")
    assert "CR032 to go to impact assessment" in awaiting.get_body(("plain",)).get_content()
