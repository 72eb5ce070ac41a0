"""Done when: with the demo data, the daily run sends each owner one correct digest and an
owner updates an action from the email link without logging in."""

import datetime
import re
from collections import defaultdict

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from actions.models import Action, ActionStatus, ActionUpdate, DueKind, UpdateSource
from actions.tasks import send_daily_reminders
from core.models import Membership, Role
from core.workdays import is_working_day
from notifications import outbox
from notifications.models import EmailPreference, EmailStatus, OutboundEmail
from tests.demo_data import load_demo


def last_digest_day(day):
    """The latest working day up to `day` that is not the weekly escalation's day."""
    while not is_working_day(day) or day.weekday() == django_settings.REMINDER_ESCALATION_WEEKDAY:
        day -= datetime.timedelta(days=1)
    return day


# The latest plain digest day up to the day the demo is loaded: its current cycle
# (demo/data/current.yaml) has actions overdue by days and due this week, owned by several
# people.
DAY = last_digest_day(timezone.localdate())
SITE = "https://governance.example.org"


@pytest.fixture
def demo_run(db, settings, mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    """The demo data, then the daily task for DAY with the batches sent in this process."""
    settings.SITE_URL = SITE
    load_demo()
    monkeypatch.setattr(outbox.send_outbound_emails, "delay", outbox.send_outbound_emails.run)
    with django_capture_on_commit_callbacks(execute=True):
        planned = send_daily_reminders.run(DAY.isoformat())
    return planned, mailoutbox


def expected_digests():
    """Worked out from the rules, independently of actions/reminders.py: reference lists
    by email address."""
    expected = defaultdict(set)
    opted_out = EmailPreference.objects.opted_out_person_ids()
    chased = Action.objects.filter(
        status__in=(ActionStatus.OPEN, ActionStatus.ONGOING),
        due_kind=DueKind.DATE,
        group__active=True,
    ).select_related("group")
    for action in chased.prefetch_related("owners"):
        if action.due_date > DAY + datetime.timedelta(days=action.group.reminder_window_days):
            continue
        people = list(action.owners.all()) or [
            membership.person
            for membership in Membership.objects.filter(
                group=action.group, role=Role.SECRETARIAT, active=True
            )
        ]
        for person in people:
            if person.email and person.active and person.pk not in opted_out:
                expected[person.email].add(action.reference)
    return expected


def test_demo_day_end_to_end(demo_run, client, django_capture_on_commit_callbacks):
    """One test, as the demo data takes seconds to load: each owner's digest, an update
    from one of its links, and the same day run again."""
    planned, sent = demo_run
    expected = expected_digests()
    assert len(expected) >= 5, "the demo data should chase several owners"
    assert planned == len(sent) == len(expected)
    assert sorted(message.to[0] for message in sent) == sorted(expected)
    for message in sent:
        row = OutboundEmail.objects.get(to_address=message.to[0])
        assert row.status == EmailStatus.SENT
        assert message.extra_headers["Message-ID"] == row.message_id
        assert message.subject.startswith("Your actions: ")
        assert set(row.references) == expected[message.to[0]]
        html = message.alternatives[0].content
        for reference in row.references:
            assert reference in message.body and reference in html
        assert message.body.count(f"{SITE}/email/update/") == len(row.references)
        assert f"{SITE}/email/preferences/" in message.body and f"{SITE}/email/preferences/" in html
        assert re.search(r"due \d\d/\d\d/\d{4}", message.body)

    # The owner follows an update link without logging in.
    message = sent[0]
    link = re.search(rf"{SITE}(/email/update/\S+)", message.body)[1]
    page = client.get(link)
    assert page.status_code == 200 and not page.wsgi_request.user.is_authenticated
    action = page.context["action"]
    response = client.post(link, {"text": "Done and circulated.", "status": "recommend_closed"})
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action, text="Done and circulated.")
    assert update.author == page.context["person"] and update.source == UpdateSource.EMAIL_LINK
    assert update.author.email == message.to[0]
    action.refresh_from_db()
    assert action.status == ActionStatus.RECOMMEND_CLOSED

    # The same day again (a retried task, a second beat): nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_reminders.run(DAY.isoformat()) == 0
    assert len(sent) == planned
