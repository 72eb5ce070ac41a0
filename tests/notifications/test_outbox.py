"""The outbox (notifications/outbox.py): planned once under a key, sent after commit over SMTP,
marked SENT only after the server accepted, retried with back-off, FAILED after the last try."""

import datetime
import re
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import EmailKind, EmailStatus, OutboundEmail
from tests.factories import make_person
from tests.smtp_sink import SmtpSink


@pytest.fixture
def smtp(settings):
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def queued(monkeypatch):
    """Row ids handed to the Celery task after commit (the broker is not involved here)."""
    ids = []
    monkeypatch.setattr(outbox.send_outbound_email, "delay", ids.append)
    return ids


def _queue(key="digest:1:2024-06-12", **fields):
    fields = {
        "kind": EmailKind.DIGEST,
        "to_address": "owner@example.org",
        "subject": "Your actions – Design Advisory Group",
        "body_text": "Plain text",
        "body_html": "<p>HTML</p>",
        "references": ["DAG29-01"],
        **fields,
    }
    return outbox.queue_email(key=key, **fields)


@pytest.mark.django_db
def test_queue_email_plans_once_per_key_and_sends_after_commit(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = _queue(person=make_person(email="owner@example.org"))
        assert queued == []  # nothing leaves before the commit
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        again = _queue(subject="Another subject")
    assert again.pk == first.pk and again.subject == first.subject
    assert len(callbacks) == 1 and queued == [first.pk]
    assert OutboundEmail.objects.count() == 1
    assert first.message_id == "<digest.1.2024-06-12@governance.localhost>"


def test_message_id_is_the_outbox_key():
    assert outbox.message_id_for("digest:2024-06-12:person:7") == (
        "<digest.2024-06-12.person.7@governance.localhost>"
    )
    # Whatever a key holds, the Message-ID is well formed and belongs to that key alone.
    keys = ["a:b", "a.b", "a%2Eb", "a b<c>@d", "digest-manual:2024-06-12:person:7:ff"]
    ids = [outbox.message_id_for(key) for key in keys]
    assert len(set(ids)) == len(keys)
    assert all(
        re.fullmatch(r"<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@governance\.localhost>", i) for i in ids
    )


@pytest.mark.django_db
def test_send_one_sends_text_and_html_with_the_rows_message_id(smtp):
    email = _queue()
    outbox.send_outbound_email.run(email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at and email.attempts == 1
    (message,) = smtp.recorder.messages
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == "Your actions – Design Advisory Group"
    assert message.get_body(("plain",)).get_content().strip() == "Plain text"
    assert message.get_body(("html",)).get_content().strip() == "<p>HTML</p>"
    # A second delivery of the task finds the row sent and sends nothing.
    assert outbox.send_outbound_email.run(email.pk) == outbox.SKIPPED
    assert len(smtp.recorder.messages) == 1


@pytest.mark.django_db
def test_refused_then_accepted_is_retried_and_sent_once(smtp, monkeypatch, settings):
    settings.EMAIL_RETRY_DELAY = 60
    retries = []
    monkeypatch.setattr(
        outbox.send_outbound_email, "retry", lambda **kw: retries.append(kw) or RuntimeError()
    )
    email = _queue()
    smtp.recorder.refuse = True
    with pytest.raises(RuntimeError):
        outbox.send_outbound_email.run(email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "451" in email.last_error and "Try 1 on " in email.last_error
    assert email.last_error.endswith("(next try in about 1 minute)")
    assert retries == [{"countdown": outbox.retry_delay(1)}]
    # Held until the next try is due: the sweeper or a redelivery leaves it to the retry.
    assert email.claimed_until >= timezone.now() + datetime.timedelta(seconds=55)
    assert outbox.send_outbound_email.run(email.pk) == outbox.SKIPPED
    assert outbox.resend_pending.run(older_than_minutes=0) == 0
    smtp.recorder.refuse = False
    _back_off_over(email)
    outbox.send_outbound_email.run(email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2
    assert smtp.recorder.message_ids() == [email.message_id]


def _back_off_over(email):
    """The time of the next try has come (as when the retry's countdown ends)."""
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now())


def test_back_off_doubles(settings):
    settings.EMAIL_RETRY_DELAY = 60
    assert [outbox.retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


@pytest.mark.django_db
def test_failed_after_the_last_attempt(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SmtpSink().port  # nobody listens
    monkeypatch.setattr(outbox.send_outbound_email, "retry", lambda **kw: RuntimeError())
    settings.EMAIL_MAX_ATTEMPTS = 2
    email = _queue()
    with pytest.raises(RuntimeError):
        outbox.send_outbound_email.run(email.pk)
    _back_off_over(email)
    assert outbox.send_outbound_email.run(email.pk) == outbox.FAILED
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == 2
    assert "Connection refused" in email.last_error or "Errno" in email.last_error
    assert email.last_error.endswith("(gave up after 2 tries)")


def _rows(count):
    return [
        OutboundEmail(
            key=f"digest:2024-06-12:person:{n}",
            kind=EmailKind.DIGEST,
            to_address=f"owner{n}@example.org",
            subject=f"Subject {n}",
            body_text="Text",
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_batch_reuses_one_smtp_connection_and_plans_each_key_once(smtp):
    with transaction.atomic():
        ids = outbox.plan_emails(_rows(3))
    with transaction.atomic():
        more = outbox.plan_emails(_rows(5))  # a second run: only the two new keys
    assert len(ids) == 3 and len(more) == 2 and not set(ids) & set(more)
    assert outbox.send_outbound_emails.run(ids + more) == {outbox.SENT: 5}
    assert smtp.recorder.sessions == 1
    assert smtp.recorder.message_ids() == [
        f"<digest.2024-06-12.person.{n}@governance.localhost>" for n in range(5)
    ]
    assert not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists()


@pytest.mark.django_db(transaction=True)
def test_two_planners_at_once_plan_each_key_once():
    """Two beat processes firing together: the second waits for the first to commit and
    then plans nothing, rather than failing or counting the first one's rows as its own."""
    barrier, results = threading.Barrier(2), []

    def planner():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                results.append(outbox.plan_emails(_rows(50)))
        finally:
            connection.close()

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(len(ids) for ids in results) == [0, 50]
    assert OutboundEmail.objects.count() == 50


@pytest.mark.django_db
def test_resend_pending_requeues_only_old_pending_rows(monkeypatch, smtp):
    batches = []
    monkeypatch.setattr(outbox.send_outbound_emails, "delay", batches.append)
    pending = _queue(key="a")
    sent = _queue(key="b")
    outbox.send_outbound_email.run(sent.pk)
    assert outbox.resend_pending.run() == 0  # planned just now: its own dispatch is on its way
    assert outbox.resend_pending.run(older_than_minutes=0) == 1
    assert batches == [[pending.pk]]


@pytest.mark.django_db
def test_rows_another_worker_holds_are_skipped_until_its_lease_runs_out(smtp, settings):
    """While another worker holds two rows of a batch, a second delivery of it (a
    redelivered task, the sweeper) sends none of them; a pk listed twice is sent once.
    Once that worker's lease runs out (it died), they go out, once."""
    settings.EMAIL_CLAIM_SECONDS = 45
    with transaction.atomic():
        ids = outbox.plan_emails(_rows(3))
    until, held = outbox.claim(ids[:2])  # the other worker
    assert sorted(held) == ids[:2]
    assert until >= timezone.now() + datetime.timedelta(seconds=40)
    outcomes = outbox.send_rows(ids + ids[2:])
    assert [outcome for _, outcome, _ in outcomes] == [
        outbox.SKIPPED,
        outbox.SKIPPED,
        outbox.SENT,
        outbox.SKIPPED,
    ]
    assert len(smtp.recorder.messages) == 1
    # Held, the rows are no business of the sweeper's; their lease over, they are.
    assert outbox.resend_pending.run() == 0
    OutboundEmail.objects.filter(pk__in=ids[:2]).update(claimed_until=timezone.now())
    batches = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbox.send_outbound_emails, "delay", batches.append)
        assert outbox.resend_pending.run() == 2
    assert batches == [ids[:2]]
    assert outbox.send_outbound_emails.run(ids) == {outbox.SKIPPED: 1, outbox.SENT: 2}
    assert len(smtp.recorder.messages) == 3
    assert not OutboundEmail.objects.filter(claimed_until__isnull=False).exists()


@pytest.mark.django_db
def test_a_worker_renews_its_lease_and_sends_only_rows_it_still_holds(smtp, settings):
    """A worker slower than half its lease renews it before the next email; a row whose
    lease ran out and that another worker claimed is left to that worker."""
    settings.EMAIL_CLAIM_SECONDS = 60
    with transaction.atomic():
        ids = outbox.plan_emails(_rows(3))
    until, held = outbox.claim(ids)
    assert not outbox.renewal_due(until)
    # Half the lease gone, then the third row's lease ran out and another worker took it.
    late = until - datetime.timedelta(seconds=31)
    OutboundEmail.objects.filter(pk__in=ids).update(claimed_until=late)
    assert outbox.renewal_due(late)
    OutboundEmail.objects.filter(pk=ids[2]).update(claimed_until=timezone.now())
    assert sorted(outbox.claim([ids[2]])[1]) == [ids[2]]  # the other worker
    new_until, still = outbox.renew(ids, late)
    assert still == set(ids[:2]) and new_until > until
    assert not outbox.renewal_due(new_until)
    assert set(
        OutboundEmail.objects.filter(claimed_until=new_until).values_list("pk", flat=True)
    ) == set(ids[:2])


@pytest.mark.django_db
def test_a_batch_renews_its_lease_as_it_goes(smtp, settings, monkeypatch):
    """Sending a batch that outlasts half the lease keeps every row not yet sent claimed."""
    settings.EMAIL_CLAIM_SECONDS = 60
    with transaction.atomic():
        ids = outbox.plan_emails(_rows(4))
    renewals = []
    real_renew = outbox.renew
    monkeypatch.setattr(outbox, "renewal_due", lambda until: True)
    monkeypatch.setattr(
        outbox, "renew", lambda pks, until: renewals.append(sorted(pks)) or real_renew(pks, until)
    )
    outcomes = outbox.send_rows(ids)
    assert [outcome for _, outcome, _ in outcomes] == [outbox.SENT] * 4
    assert renewals == [ids, ids[1:], ids[2:], ids[3:]]
