from celery import shared_task
from django.utils import timezone

from .services import correspondence_send_reminders


@shared_task
def send_correspondence_reminders():
    """Remind members who have not answered a correspondence round, once, two UK working
    days before its deadline. Safe to run as often as beat likes: the outbox key of each
    reminder (round, person) lets only the first run plan it."""
    return correspondence_send_reminders(today=timezone.localdate())
