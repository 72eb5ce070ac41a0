"""Emails of the actions app (actions/notices.py), through a real SMTP server on loopback:
an owner recommends an action closed (to the secretariat), its due date moves (to its
owners), an action assigned outside a meeting (to its owners)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.notices import tell_owners_of_action
from actions.reminders import update_token
from actions.services import action_correct, action_create
from core.versions import record_version
from meetings.models import Meeting, MeetingStatus
from notifications.models import EmailKind
from notifications.preferences import set_notice_opt_outs
from tests.factories import make_action, make_meeting, make_person

pytestmark = pytest.mark.django_db
SITE = "https://governance.example.org"
TODAY = timezone.localdate()


def plain(message):
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def action(dag, secretariat, chair, member):
    meeting = make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=20))
    return make_action(
        meeting,
        owners=[member.person, chair.person],
        text="Circulate the design paper",
        due_date=TODAY + datetime.timedelta(days=10),
    )


def post_update(client, user, action, **data):
    client.force_login(user)
    data = {"date": f"{TODAY:%d/%m/%Y}", "text": "Update", **data}
    response = client.post(reverse("actions:action_update", args=[action.reference]), data)
    assert response.status_code == 302, response.content.decode()


def test_an_owner_recommending_closure_tells_the_secretariat_once(
    client, action, mailbox, secretariat, member
):
    post_update(client, member, action, text="Paper circulated", status="recommend_closed")
    post_update(client, member, action, text="Awaiting the secretariat")
    mailbox.deliver()
    (message,) = mailbox.messages
    assert message["To"] == secretariat.email
    assert message["Subject"] == f"[DAG] {action.reference} recommended for closure"
    text = plain(message)
    assert "Paper circulated" in text and f"{SITE}/actions/{action.reference}/" in text
    assert '"Actions recommended for closure"' in text and f"{SITE}/email/preferences/" in text


def test_a_recommendation_through_the_email_link_tells_the_secretariat_too(
    client, action, mailbox, secretariat, member
):
    link = reverse("email:action_update", args=[update_token(member.person.pk, action.pk)])
    response = client.post(link, {"text": "Done", "status": "recommend_closed"})
    assert response.status_code == 302
    mailbox.deliver()
    assert [m["To"] for m in mailbox.messages] == [secretariat.email]


def test_a_moved_due_date_tells_each_owner_once(
    client, action, mailbox, secretariat, chair, member
):
    new_due = TODAY + datetime.timedelta(days=40)
    post_update(client, secretariat, action, due_date=f"{new_due:%d/%m/%Y}")
    post_update(client, secretariat, action, due_date=f"{new_due:%d/%m/%Y}")  # unchanged
    mailbox.deliver()
    assert sorted(m["To"] for m in mailbox.messages) == sorted([chair.email, member.email])
    message = mailbox.to(member.email)[0]
    assert message["Subject"] == f"[DAG] {action.reference} is now due {new_due:%d/%m/%Y}"
    text = plain(message)
    old_due = TODAY + datetime.timedelta(days=10)
    assert f"from {old_due:%d/%m/%Y} to {new_due:%d/%m/%Y}" in text
    assert f"{SITE}/email/update/" in text and f"{SITE}/actions/{action.reference}/" in text


def test_an_owner_only_asking_for_a_new_date_tells_nobody(client, action, mailbox, member):
    post_update(client, member, action, due_date=f"{TODAY + datetime.timedelta(days=40):%d/%m/%Y}")
    mailbox.deliver()
    assert mailbox.messages == []


def test_opting_out_of_due_date_notices_leaves_the_others(
    client, action, mailbox, secretariat, chair, member
):
    set_notice_opt_outs(person=chair.person, kinds=[EmailKind.DUE_DATE_CHANGED])
    set_notice_opt_outs(person=secretariat.person, kinds=[EmailKind.DUE_DATE_CHANGED])
    post_update(
        client, secretariat, action, due_date=f"{TODAY + datetime.timedelta(days=40):%d/%m/%Y}"
    )
    post_update(client, member, action, status="recommend_closed")
    mailbox.deliver()
    assert [m["To"] for m in mailbox.messages if "now due" in m["Subject"]] == [member.email]
    assert [m["To"] for m in mailbox.messages if "closure" in m["Subject"]] == [secretariat.email]


def test_an_action_assigned_outside_a_meeting_tells_each_owner(dag, mailbox):
    owner = make_person("Lee Cox", email="lee@example.org")
    action = action_create(
        group=dag,
        reference="DES-03-04",
        text="Review the design artefacts",
        date_raised=TODAY,
        owners=[owner],
        due_date=TODAY + datetime.timedelta(days=14),
    )
    tell_owners_of_action(action)
    tell_owners_of_action(action)
    mailbox.deliver()
    (message,) = mailbox.messages
    assert message["Subject"] == "[DAG] Action DES-03-04 assigned to you"
    assert f"{SITE}/actions/DES-03-04/" in plain(message)
    assert f"{SITE}/email/update/" in plain(message)


def correct(action, **fields):
    return action_correct(action=action, version=record_version(action), **fields)


def test_a_correction_that_moves_the_due_date_tells_each_owner_once(action, mailbox, chair, member):
    new_due = TODAY + datetime.timedelta(days=30)
    correct(action, due_date=new_due, reason="Typed wrongly")
    correct(action, text="Circulate the design paper to members")  # due date unchanged
    mailbox.deliver()
    assert sorted(m["To"] for m in mailbox.messages) == sorted([chair.email, member.email])
    assert mailbox.to(member.email)[0]["Subject"] == (
        f"[DAG] {action.reference} is now due {new_due:%d/%m/%Y}"
    )


def test_an_owner_added_by_a_correction_after_the_minutes_is_told_alone(
    action, mailbox, chair, member, observer
):
    Meeting.objects.filter(pk=action.meeting_id).update(status=MeetingStatus.MINUTES_ISSUED)
    action.refresh_from_db()
    correct(action, owners=[member.person, chair.person, observer.person])
    mailbox.deliver()
    (message,) = mailbox.messages
    assert message["To"] == observer.email
    assert message["Subject"] == f"[DAG] Action {action.reference} assigned to you"


def test_an_owner_added_before_the_minutes_are_issued_hears_with_them(
    action, mailbox, chair, member, observer
):
    correct(action, owners=[member.person, chair.person, observer.person])
    mailbox.deliver()
    assert mailbox.messages == []
