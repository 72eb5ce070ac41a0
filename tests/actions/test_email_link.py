"""The pages an email links to without a login: update an action, email preferences."""

import datetime
import time

import pytest
from django.urls import reverse

from actions.models import ActionStatus, ActionUpdate, UpdateSource
from actions.reminders import update_token
from core.models import Membership, Role
from notifications.models import EmailPreference
from notifications.preferences import preferences_token
from tests.factories import make_action, make_group, make_meeting, make_person


@pytest.fixture
def scene(db):
    dag = make_group("DAG", name="Design Advisory Group")
    owner = make_person("Paul Pettitt", email="paul@example.org")
    action = make_action(make_meeting(dag), owners=[owner], text="Circulate the DIP paper")
    return dag, owner, action


def update_url(person, action):
    return reverse("email:action_update", args=[update_token(person.pk, action.pk)])


def test_owner_updates_from_the_link_without_logging_in(client, scene):
    _, owner, action = scene
    url = update_url(owner, action)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Circulate the DIP paper" in body and "Your update, Paul Pettitt" in body
    response = client.post(
        url, {"text": "Paper circulated on 10/06.", "status": ActionStatus.RECOMMEND_CLOSED}
    )
    assert response.status_code == 302 and response["Location"] == url
    update = ActionUpdate.objects.get(action=action)
    assert update.author == owner and update.source == UpdateSource.EMAIL_LINK
    assert update.recorded_by is None and update.status_set == ActionStatus.RECOMMEND_CLOSED
    action.refresh_from_db()
    assert action.status == ActionStatus.RECOMMEND_CLOSED
    page = client.get(url).content.decode()
    assert "your update to" in page and "Paper circulated on 10/06." in page


def test_invalid_input_is_shown_back_and_changes_nothing(client, scene):
    _, owner, action = scene
    url = update_url(owner, action)
    for data in ({"text": "", "status": "ongoing"}, {}, {"text": "Done <b>", "status": "closed"}):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    assert "Done &lt;b&gt;</textarea>" in response.content.decode()  # what was typed is kept
    assert not ActionUpdate.objects.exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_tampered_link_is_refused_with_a_clear_page(client, scene):
    _, owner, action = scene
    other = make_action(make_meeting(scene[0]), owners=[owner])
    token = update_token(owner.pk, action.pk)
    # Another action's id under this signature, or a mangled signature.
    payload, stamp, signature = token.split(":")
    forged = update_token(owner.pk, other.pk).split(":")[0] + f":{stamp}:{signature}"
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        response = client.post(
            reverse("email:action_update", args=[bad]), {"text": "x", "status": "ongoing"}
        )
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_expired_link_is_refused(client, scene, settings, monkeypatch):
    _, owner, action = scene
    settings.REMINDER_LINK_DAYS = 14
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: fifteen_days_ago)
    url = update_url(owner, action)
    monkeypatch.undo()
    response = client.post(url, {"text": "late", "status": "ongoing"})
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_link_stops_working_when_the_person_no_longer_owns_the_action(client, scene):
    _, owner, action = scene
    url = update_url(owner, action)
    action.ownerships.all().delete()
    action.ownerships.create(person=make_person("New Owner"))
    response = client.post(url, {"text": "x", "status": "ongoing"})
    assert response.status_code == 403 and not ActionUpdate.objects.exists()


def test_secretariat_link_for_a_party_owned_action(client, scene):
    dag, _, _ = scene
    secretary = make_person("Fraser Mathieson", email="fraser@example.org")
    Membership.objects.create(group=dag, person=secretary, role=Role.SECRETARIAT)
    action = make_action(make_meeting(dag), owner_party="Programme")
    response = client.post(
        update_url(secretary, action), {"text": "Chased", "status": ActionStatus.ONGOING}
    )
    assert response.status_code == 302
    assert ActionUpdate.objects.get().author == secretary


def test_closed_action_takes_no_update(client, scene):
    _, owner, action = scene
    action.status, action.closed_date = ActionStatus.CLOSED, datetime.date(2023, 11, 1)
    action.save()
    response = client.post(update_url(owner, action), {"text": "x", "status": "ongoing"})
    assert response.status_code == 409 and "is closed" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_preferences_link_turns_daily_digests_off_and_on(client, scene):
    _, owner, _ = scene
    url = reverse("email:preferences", args=[preferences_token(owner.pk)])
    assert "Stop daily reminder emails" in client.get(url).content.decode()
    assert client.post(url, {"daily_digest": "off"})["Location"] == url
    preference = EmailPreference.objects.get(person=owner)
    assert preference.daily_digest_opt_out and preference.daily_digest_opt_out_at
    assert "Turn daily reminders back on" in client.get(url).content.decode()
    client.post(url, {"daily_digest": "on"})
    preference.refresh_from_db()
    assert not preference.daily_digest_opt_out and preference.daily_digest_opt_out_at is None


def test_preferences_link_must_be_signed(client, scene):
    _, owner, action = scene
    # An update token is signed with another salt: no use as a preferences link.
    for bad in ("1", update_token(owner.pk, action.pk)):
        response = client.post(reverse("email:preferences", args=[bad]), {"daily_digest": "off"})
        assert response.status_code == 400
    assert not EmailPreference.objects.opted_out_of_digests().exists()
