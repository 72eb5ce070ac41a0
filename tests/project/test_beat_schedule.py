"""Every task on the beat schedule exists: a typo would only show in production, as a
worker log line about an unregistered task."""

from django.conf import settings

from mhhs_gov.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "actions.tasks.send_daily_reminders",
        "decisions.tasks.send_correspondence_reminders",
        "notifications.outbox.resend_pending",
    }
    assert scheduled <= set(app.tasks)
