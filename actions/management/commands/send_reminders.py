"""Run the daily reminders by hand: `manage.py send_reminders [--date 2024-06-12] [--here]`."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.reminders import is_escalation_day, is_reminder_day, plan_daily
from notifications.outbox import BATCH_SIZE, send_in_batches, send_outbound_emails


class Command(BaseCommand):
    help = (
        "Plan the daily reminder digests (and the weekly escalation on its day) as the beat "
        "schedule does, then send them through the worker, or in this process with --here. "
        "Running it twice for one day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for, YYYY-MM-DD (default today).")
        parser.add_argument(
            "--here", action="store_true", help="Send in this process instead of the worker."
        )

    def handle(self, *args, date=None, here=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        if not is_reminder_day(today):
            self.stdout.write(f"{today:%d/%m/%Y} is not a UK working day: no reminders.")
            return
        ids = plan_daily(today, send=self.send_here if here else send_in_batches)
        escalation = " with the weekly escalation" if is_escalation_day(today) else ""
        how = "sent" if here else "queued for the worker"
        self.stdout.write(f"{today:%d/%m/%Y}{escalation}: {len(ids)} new email(s) {how}.")

    def send_here(self, ids):
        for start in range(0, len(ids), BATCH_SIZE):
            outcomes = send_outbound_emails.run(ids[start : start + BATCH_SIZE])
            self.stdout.write(f"  batch {start // BATCH_SIZE + 1}: {outcomes}")
