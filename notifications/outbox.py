"""The email outbox: every email the app sends is planned here first and sent from the row.

Exactly once, where it matters:
- planning inserts a row under a unique key (person, kind, date...) inside the caller's
  transaction, so a second run, a retried task or a second beat process plans nothing new;
- the key is the email's Message-ID, so even a re-send after a crash is recognisable as the
  same email by the recipient's mail system;
- sending starts after commit and works from the rows: a worker claims its batch's rows
  with a short lease (`claimed_until`, EMAIL_CLAIM_SECONDS, renewed while it works),
  skipping rows another worker holds, sends only PENDING rows it still holds, and marks
  each SENT only once the SMTP server accepted it;
- a failure is counted on the row with its reason and when the next try is due (the row
  stays claimed until then), and retried with exponential back-off; after
  EMAIL_MAX_ATTEMPTS the row is FAILED; both stay visible in the email log;
- a worker killed hard (SIGKILL, out of memory, the machine lost) leaves its rows claimed
  until the lease runs out; resend_pending, which beat runs every minute, then queues
  them again, so they go out within two minutes, not when the broker gives the killed
  task back an hour later. What the dead worker had in hand (the one email between the
  SMTP server's acceptance and the SENT mark) may arrive twice, nothing more: the rest of
  its batch was not sent, and a live worker renews its lease before it could run out;
- a dispatch lost while the broker was down is picked up by the same sweep after
  EMAIL_RESEND_AFTER_MINUTES.
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
from django.db.models import Q
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


def lease_end():
    """When a claim made now runs out: EMAIL_CLAIM_SECONDS from now."""
    return timezone.now() + datetime.timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)


def claim(pks) -> tuple[datetime.datetime, dict[int, OutboundEmail]]:
    """Claim the PENDING rows among `pks` that no worker holds: (until, {pk: row}).

    The rows are this worker's until the lease `until` runs out (renew() extends it while
    the worker works). Another worker, a redelivered task or the sweeper skips them until
    then; once it has run out (the worker died) anyone may claim them again. Rows another
    worker is claiming at this instant are skipped, not waited for.
    """
    until = lease_end()
    with transaction.atomic():
        free = list(
            OutboundEmail.objects.pending()
            .unclaimed(timezone.now())
            .filter(pk__in=list(pks))
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=free).update(claimed_until=until)
    return until, OutboundEmail.objects.in_bulk(free)


def renew(pks, until) -> tuple[datetime.datetime, set[int]]:
    """Extend this worker's lease on those of `pks` it still holds (claimed until `until`):
    (the new lease end, the pks still held). A row whose lease ran out and that another
    worker claimed is no longer this worker's, and is not sent by it."""
    new_until = lease_end()
    OutboundEmail.objects.filter(pk__in=list(pks), claimed_until=until).update(
        claimed_until=new_until
    )
    held = OutboundEmail.objects.filter(pk__in=list(pks), claimed_until=new_until)
    return new_until, set(held.values_list("pk", flat=True))


def renewal_due(until) -> bool:
    """Half the lease has run: renew it before the next email, so the email in hand has at
    least half a lease to be sent in before anyone else may take it."""
    half = datetime.timedelta(seconds=settings.EMAIL_CLAIM_SECONDS / 2)
    return timezone.now() >= until - half


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
    attempts so far). The row is marked SENT only once the server accepted the email; a
    failed try keeps the row claimed until its next try is due, so the sweeper leaves it to
    the retry until then."""
    row = OutboundEmail.objects.filter(pk=email.pk)
    attempts = email.attempts + 1
    try:
        smtp.open()
        smtp.send_messages([build_message(email, smtp)])
    except Exception as exc:  # any failure is recorded on the row and retried
        with contextlib.suppress(Exception):
            smtp.close()
        final = attempts >= settings.EMAIL_MAX_ATTEMPTS
        next_try = timezone.now() + datetime.timedelta(seconds=retry_delay(attempts))
        row.update(
            attempts=attempts,
            last_error=failure_note(exc, attempts, final),
            status=EmailStatus.FAILED if final else EmailStatus.PENDING,
            claimed_until=None if final else next_try,
        )
        return (FAILED if final else RETRY), attempts
    row.update(
        status=EmailStatus.SENT, sent_at=timezone.now(), attempts=attempts, claimed_until=None
    )
    return SENT, attempts


def send_rows(pks) -> list[tuple[int, str, int]]:
    """Send these rows in order over one mail connection: [(pk, outcome, attempts)].

    Rows already sent, failed for good or held by another worker are SKIPPED. Each row is
    marked in its own commit, so a worker stopped mid-batch leaves the rest PENDING, and
    claimed only until its lease runs out: the sweeper then queues them again.
    """
    results = []
    smtp = get_connection()
    try:
        with relaxed_commits():
            until, emails = claim(pks)
            for pk in pks:
                if emails and renewal_due(until):
                    until, held = renew(emails, until)
                    emails = {key: email for key, email in emails.items() if key in held}
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
    """Queue again the PENDING rows no worker is sending, beat's sweep every minute:

    - rows whose claim ran out: the worker holding them died (or was killed) mid-batch,
      or a failed try's back-off is over; they go out again within a lease and a sweep;
    - rows never claimed, planned more than EMAIL_RESEND_AFTER_MINUTES ago: their
      dispatch was lost (broker down at commit).

    Rows a live worker holds are left to it. Sending an already-sent row is a no-op, and
    a row two deliveries race for is claimed by one, so queueing twice is harmless.
    """
    if older_than_minutes is None:
        older_than_minutes = settings.EMAIL_RESEND_AFTER_MINUTES
    now = timezone.now()
    cutoff = now - datetime.timedelta(minutes=older_than_minutes)
    pks = list(
        OutboundEmail.objects.pending()
        .filter(Q(claimed_until__lte=now) | Q(claimed_until__isnull=True, created_at__lte=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    send_in_batches(pks)
    return len(pks)
