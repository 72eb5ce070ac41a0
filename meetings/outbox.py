"""The email outbox: every email the app sends is planned here first and sent from the row.

Exactly once, where it matters:
- planning inserts a row under a unique key (person, kind, date...) inside the caller's
  transaction, so a second run, a retried task or a second beat process plans nothing new;
- sending starts after commit and works from the rows: a worker locks the row (skipping
  rows another worker holds), sends only a PENDING row, and marks it SENT only once the
  SMTP server accepted it;
- a failure is counted on the row with its reason and retried with exponential back-off;
  after EMAIL_MAX_ATTEMPTS the row is FAILED and stays visible in the email log;
- a worker killed between SMTP acceptance and the commit re-sends at most the message it
  had in hand; a dispatch lost that way (or while the broker was down) is picked up by
  resend_pending, which beat runs every few minutes.

Every email carries the row's Message-ID, so a re-send after a crash is recognisable.
"""

import contextlib
import datetime
from email.utils import parseaddr

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, make_msgid
from django.db import connection, transaction
from django.utils import timezone

from .models import EmailStatus, OutboundEmail

# Rows one batch task sends over one SMTP connection.
BATCH_SIZE = 100


def new_message_id() -> str:
    """A fresh Message-ID in the sender's domain (no DNS lookup of the host name)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def queue_email(
    *,
    key,
    kind,
    to_address,
    subject,
    body_text,
    body_html="",
    person=None,
    group=None,
    references=(),
    requested_by=None,
) -> OutboundEmail:
    """Plan one email under `key` and send it after the caller's transaction commits.

    A row with the same key already planned is returned as it is and nothing new is sent.
    """
    email, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to_address": to_address,
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "person": person,
            "group": group,
            "references": list(references),
            "requested_by": requested_by,
            "message_id": new_message_id(),
        },
    )
    if created:
        transaction.on_commit(lambda: send_outbound_email.delay(email.pk))
    return email


def plan_emails(emails) -> list[int]:
    """Insert many unsaved OutboundEmail rows at once; returns the ids of those inserted.

    Rows whose key is already planned, by an earlier run or by a concurrent one (the
    insert waits for the other transaction, then skips the conflict), are left out. Call
    inside a transaction and send the returned ids after commit with send_in_batches().
    """
    emails = list(emails)
    for email in emails:
        email.message_id = new_message_id()
    OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=500)
    # The rows that carry our fresh Message-IDs are the ones this call inserted.
    ours = OutboundEmail.objects.filter(message_id__in=[email.message_id for email in emails])
    return list(ours.order_by("pk").values_list("pk", flat=True))


def send_in_batches(pks) -> None:
    """Queue the sending of these rows, BATCH_SIZE rows (one SMTP connection) per task."""
    pks = list(pks)
    for start in range(0, len(pks), BATCH_SIZE):
        send_outbound_emails.delay(pks[start : start + BATCH_SIZE])


def build_message(email: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_address],
        headers={"Message-ID": email.message_id},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: EMAIL_RETRY_DELAY, doubled after each failure."""
    return settings.EMAIL_RETRY_DELAY * 2 ** max(attempts - 1, 0)


def relaxed_commit():
    """Let this transaction's commit return before PostgreSQL has flushed it to disk.

    It halves the time per email. The cost: were the database server itself to crash,
    the last fraction of a second of SENT marks could be lost and those emails sent again
    once it is back. Nothing is ever lost (a row stays PENDING until marked), and a
    crashed worker is not affected (the server still has its commits).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# Outcomes of one try.
SENT, SKIPPED, RETRY, FAILED = "sent", "skipped", "retry", "failed"


def send_one(pk, connection) -> tuple[str, int]:
    """Try to send row `pk` over `connection`; returns (outcome, attempts so far).

    The row stays locked while the SMTP server answers, so no other worker sends it in
    the meantime; a row locked elsewhere, already sent or failed is skipped.
    """
    with transaction.atomic():
        relaxed_commit()
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=EmailStatus.PENDING)
            .first()
        )
        if email is None:
            return SKIPPED, 0
        try:
            connection.open()
            connection.send_messages([build_message(email, connection)])
        except Exception as exc:  # any failure is recorded on the row and retried
            with contextlib.suppress(Exception):
                connection.close()
            email.attempts += 1
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            final = email.attempts >= settings.EMAIL_MAX_ATTEMPTS
            if final:
                email.status = EmailStatus.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            return (FAILED if final else RETRY), email.attempts
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.attempts += 1
        email.save(update_fields=["status", "sent_at", "attempts"])
        return SENT, email.attempts


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_outbound_email(self, pk):
    """Send one planned email; on failure try again later with back-off."""
    connection = get_connection()
    try:
        outcome, attempts = send_one(pk, connection)
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    if outcome == RETRY:
        raise self.retry(countdown=retry_delay(attempts))
    return outcome


@shared_task(acks_late=True)
def send_outbound_emails(pks):
    """Send many planned emails over one SMTP connection (the daily digest run).

    A row that fails is handed to send_outbound_email to be retried on its own.
    """
    outcomes = {}
    connection = get_connection()
    try:
        for pk in pks:
            outcome, attempts = send_one(pk, connection)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == RETRY:
                send_outbound_email.apply_async((pk,), countdown=retry_delay(attempts))
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return outcomes


@shared_task
def resend_pending(older_than_minutes=None):
    """Queue again the PENDING rows planned more than a while ago.

    Their dispatch may have been lost (broker down at commit, worker killed); sending
    an already-sent row is a no-op, so queueing twice is harmless.
    """
    if older_than_minutes is None:
        older_than_minutes = settings.EMAIL_RESEND_AFTER_MINUTES
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    pks = list(
        OutboundEmail.objects.pending()
        .filter(created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    send_in_batches(pks)
    return len(pks)
