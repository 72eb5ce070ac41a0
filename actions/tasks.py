"""Celery tasks of the actions app: the daily reminder run (see actions/reminders.py)."""

import datetime

from celery import shared_task
from django.utils import timezone

from .reminders import plan_daily


@shared_task(acks_late=True)
def send_daily_reminders(day=None):
    """Beat calls this at REMINDER_HOUR on weekdays; bank holidays plan nothing.

    `day` (ISO date) replays a given day. Running it twice, or a redelivered copy of it,
    plans and sends nothing new: the outbox keys are per person, kind and day.
    """
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return len(plan_daily(today))
