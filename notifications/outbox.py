"""The email outbox: every email the app sends is planned here first and sent from the row.

Exactly once, where it matters:
- planning inserts a row under a unique key (person, kind, date...) inside the caller's
  transaction, so a second run, a retried task or a second beat process plans nothing new;
- the key is the email's Message-ID, so even a re-send after a crash is recognisable as the
  same email by the recipient's mail system;
- sending starts after commit and works from the rows: a worker claims its batch's rows
  (skipping rows another worker holds), sends only PENDING rows, and marks each SENT
  only once the SMTP server accepted it;
- a failure is counted on the row with its reason and when the next try is due, and
  retried with exponential back-off; after EMAIL_MAX_ATTEMPTS the row is FAILED; both
  stay visible in the email log;
- a worker killed between the SMTP server's acceptance and the SENT mark re-sends at most
  the message it had in hand; a dispatch lost that way (or while the broker was down) is
  picked up by resend_pending, which beat runs every few minutes.
"""

import contextlib
import datetime
import re
from email.mime.text import MIMEText
from email.utils import parseaddr

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from core.references import lock_scope

from .models import EmailStatus, OutboundEmail

# Rows one batch task sends over one SMTP connection.
BATCH_SIZE = 100

# Characters a Message-ID may carry as they are (RFC 5322 atext, less the '%' escape).
MESSAGE_ID_UNSAFE = re.compile(r"[^A-Za-z0-9!#$&'*+/=?^_`{|}~-]")


def message_id_for(key: str) -> str:
    """The Message-ID of the email planned under `key`: the key itself, in the sender's
    domain. "digest:2024-06-12:person:7" becomes <digest.2024-06-12.person.7@domain>:
    the colons between the key's parts become dots and any other character a Message-ID
    cannot carry is %-escaped (a dot too), so two keys never share a Message-ID."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    parts = [
        MESSAGE_ID_UNSAFE.sub(lambda match: f"%{ord(match[0]):02X}", part)
        for part in key.split(":")
    ]
    return f"<{'.'.join(parts)}@{domain}>"


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
    attachment_name="",
    attachment_type="",
    attachment_text="",
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
            "attachment_name": attachment_name,
            "attachment_type": attachment_type,
            "attachment_text": attachment_text,
            "message_id": message_id_for(key),
        },
    )
    if created:
        transaction.on_commit(lambda: send_outbound_email.delay(email.pk))
    return email


def plan_emails(emails) -> list[int]:
    """Insert the unsaved OutboundEmail rows whose key is not planned yet; returns the ids
    of those inserted. Call inside a transaction and send the ids after commit with
    send_in_batches().

    Planners take a transaction lock first, so a concurrent run (a second beat process)
    waits for this one to commit and then finds every key taken; the unique key stays
    the last line of defence.
    """
    lock_scope("outbox:plan")
    emails = {email.key: email for email in emails}
    taken = set(OutboundEmail.objects.filter(key__in=list(emails)).values_list("key", flat=True))
    new = [email for key, email in emails.items() if key not in taken]
    for email in new:
        email.message_id = message_id_for(email.key)
    OutboundEmail.objects.bulk_create(new, batch_size=500)
    inserted = OutboundEmail.objects.filter(key__in=[email.key for email in new])
    return list(inserted.order_by("pk").values_list("pk", flat=True))


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
    if email.attachment_text:
        message.attach(attachment_part(email))
    return message


def attachment_part(email: OutboundEmail) -> MIMEText:
    """The row's text attachment as a MIME part, its type's parameters kept: a calendar
    invitation must say "text/calendar; method=REQUEST" for Outlook to offer to accept it,
    which Django's attach() cannot write."""
    base, _, params = email.attachment_type.partition(";")
    part = MIMEText(email.attachment_text, base.split("/", 1)[1].strip(), "utf-8")
    for param in filter(None, (p.strip() for p in params.split(";"))):
        name, _, value = param.partition("=")
        part.set_param(name.strip(), value.strip())
    part.add_header("Content-Disposition", "attachment", filename=email.attachment_name)
    return part


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: EMAIL_RETRY_DELAY, doubled after each failure."""
    return settings.EMAIL_RETRY_DELAY * 2 ** max(attempts - 1, 0)


def failure_note(exc, attempts, final) -> str:
    """The reason a try failed, as the email log shows it, with what happens next."""
    when = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    if final:
        after = f"gave up after {attempts} tries"
    else:
        minutes, seconds = divmod(retry_delay(attempts), 60)
        wait = f"{minutes} minute{pluralize(minutes)}" if minutes else f"{seconds} s"
        after = f"next try in about {wait}"
    return f"Try {attempts} on {when}: {type(exc).__name__}: {exc} ({after})"[:2000]


# Advisory locks of the outbox rows being sent: (OUTBOX_LOCK, row id) in PostgreSQL's
# two-key lock space, apart from the one-key locks of core/references.py.
OUTBOX_LOCK = 7


@contextlib.contextmanager
def claimed(pks):
    """The PENDING rows among `pks` that no other worker is sending, held by this one
    until the block ends: {pk: row}.

    Each row is locked with a session-level advisory lock (skipping rows another worker
    holds) before its status is read, so it can be marked SENT in a commit of its own the
    moment the SMTP server accepts it while staying claimed; one statement claims a whole
    batch. A worker that dies loses its session and so its locks. SQLite (the quick
    start, one worker) has no such locks and claims every PENDING row.
    """
    pks = list(pks)
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM unnest(%s::bigint[]) AS id "
                "WHERE pg_try_advisory_lock(%s, id::integer)",
                [pks, OUTBOX_LOCK],
            )
            pks = [pk for (pk,) in cursor.fetchall()]
    try:
        yield OutboundEmail.objects.pending().in_bulk(pks)
    finally:
        if postgres and pks:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, id::integer) "
                        "FROM unnest(%s::bigint[]) AS id",
                        [OUTBOX_LOCK, pks],
                    )
            except Exception:
                connection.close()  # which ends the session and with it the locks
                raise


@contextlib.contextmanager
def relaxed_commits():
    """Within the block, let each commit return before PostgreSQL has flushed it to disk.

    It saves a disk flush per email. The cost: were the database server itself to crash,
    the last fraction of a second of SENT marks could be lost and those emails sent again
    once it is back. Nothing is ever lost (a row stays PENDING until marked), and a
    crashed worker is not affected (the server still has its commits). Set for the
    session and reset after, as the worker keeps its connection for the next task.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


# Outcomes of one try.
SENT, SKIPPED, RETRY, FAILED = "sent", "skipped", "retry", "failed"


def send_one(email: OutboundEmail, smtp) -> tuple[str, int]:
    """Try to send a claimed row over the mail connection `smtp`; returns (outcome,
    attempts so far). The row is marked SENT only once the server accepted the email."""
    row = OutboundEmail.objects.filter(pk=email.pk)
    attempts = email.attempts + 1
    try:
        smtp.open()
        smtp.send_messages([build_message(email, smtp)])
    except Exception as exc:  # any failure is recorded on the row and retried
        with contextlib.suppress(Exception):
            smtp.close()
        final = attempts >= settings.EMAIL_MAX_ATTEMPTS
        row.update(
            attempts=attempts,
            last_error=failure_note(exc, attempts, final),
            status=EmailStatus.FAILED if final else EmailStatus.PENDING,
        )
        return (FAILED if final else RETRY), attempts
    row.update(status=EmailStatus.SENT, sent_at=timezone.now(), attempts=attempts)
    return SENT, attempts


def send_rows(pks) -> list[tuple[int, str, int]]:
    """Send these rows in order over one mail connection: [(pk, outcome, attempts)].

    Rows already sent, failed for good or being sent by another worker are SKIPPED. Each
    row is marked in its own commit, so a worker stopped mid-batch leaves the rest
    PENDING and nothing half-done.
    """
    results = []
    smtp = get_connection()
    try:
        with relaxed_commits(), claimed(pks) as emails:
            for pk in pks:
                email = emails.pop(pk, None)  # a pk listed twice is sent once
                outcome, attempts = send_one(email, smtp) if email else (SKIPPED, 0)
                results.append((pk, outcome, attempts))
    finally:
        with contextlib.suppress(Exception):
            smtp.close()
    return results


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_outbound_email(self, pk):
    """Send one planned email; on failure try again later with back-off."""
    ((_, outcome, attempts),) = send_rows([pk])
    if outcome == RETRY:
        raise self.retry(countdown=retry_delay(attempts))
    return outcome


@shared_task(acks_late=True)
def send_outbound_emails(pks):
    """Send many planned emails over one SMTP connection (the daily digest run).

    A row that fails is handed to send_outbound_email to be retried on its own.
    """
    outcomes = {}
    for pk, outcome, attempts in send_rows(pks):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == RETRY:
            send_outbound_email.apply_async((pk,), countdown=retry_delay(attempts))
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
