"""The "update this action" links in emails: rate-limited, withdrawable by the action's
owner or secretariat, and each use shown in the action's history and the security log."""

import time

import pytest
from django.urls import reverse

from actions.models import ActionStatus, ActionUpdate, LinkEventKind, UpdateLinkEvent
from actions.reminders import update_token
from tests.factories import make_action, make_meeting

pytestmark = pytest.mark.django_db

LEAKED_AT = "203.0.113.50"


@pytest.fixture
def action(dag, member):
    return make_action(make_meeting(dag), owners=[member.person], text="Circulate the DIP paper")


def link(person, action):
    return reverse("email:action_update", args=[update_token(person.pk, action.pk)])


def post_update(client, url, ip=LEAKED_AT, text="Done."):
    return client.post(url, {"text": text, "status": ActionStatus.ONGOING}, REMOTE_ADDR=ip)


def test_the_link_page_is_rate_limited_per_address(client, action, member, settings, security_log):
    settings.UPDATE_LINK_RATE = 5
    url = link(member.person, action)
    # Guessing at tokens counts as much as using one.
    for n in range(4):
        assert client.get(f"/email/update/guess{n}/", REMOTE_ADDR=LEAKED_AT).status_code == 400
    assert client.get(url, REMOTE_ADDR=LEAKED_AT).status_code == 200

    response = post_update(client, url)

    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert not ActionUpdate.objects.exists()
    assert security_log.named("update_link_throttled")[0]["ip"] == LEAKED_AT
    # The owner at their own address is not held up.
    assert post_update(client, url, ip="198.51.100.8").status_code == 302


def test_the_owner_withdraws_the_links_and_a_forwarded_one_stops_working(
    client, action, member, security_log, monkeypatch
):
    forwarded = link(member.person, action)
    client.force_login(member)

    response = client.post(reverse("actions:action_revoke_links", args=[action.reference]))

    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    client.logout()
    for attempt in (client.get(forwarded), post_update(client, forwarded)):
        assert attempt.status_code == 410
        assert "This link has been withdrawn" in attempt.content.decode()
    assert not ActionUpdate.objects.exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert UpdateLinkEvent.objects.filter(kind=LinkEventKind.REFUSED).count() == 2
    assert security_log.named("update_links_revoked")[0]["user"] == "member"
    assert len(security_log.named("update_link_withdrawn")) == 2

    # A link in a later email works.
    later = time.time() + 2
    monkeypatch.setattr(time, "time", lambda: later)
    assert post_update(client, link(member.person, action)).status_code == 302
    assert ActionUpdate.objects.get().author == member.person


def test_the_secretariat_withdraws_the_links(client, action, member, secretariat):
    forwarded = link(member.person, action)
    client.force_login(secretariat)
    client.post(reverse("actions:action_revoke_links", args=[action.reference]))
    assert client.get(forwarded).status_code == 410
    event = UpdateLinkEvent.objects.get(kind=LinkEventKind.REVOKED)
    assert event.by == secretariat


@pytest.mark.parametrize(("who", "status"), [("observer", 403), ("chair", 403), ("outsider", 404)])
def test_others_may_not_withdraw_the_links(client, action, member, request, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("actions:action_revoke_links", args=[action.reference]))
    assert response.status_code == status
    assert not UpdateLinkEvent.objects.exists()
    assert client.get(link(member.person, action)).status_code == 200  # still works


def test_each_use_of_a_link_shows_in_the_actions_history(client, action, member, security_log):
    url = link(member.person, action)
    client.get(url, REMOTE_ADDR=LEAKED_AT)
    post_update(client, url)

    client.force_login(member)
    page = client.get(action.get_absolute_url()).content.decode()

    assert "Update links sent by email" in page
    assert page.count("Link opened") == 1 and "Update posted by link" in page
    assert page.count(LEAKED_AT) == 2 and "Paul Pettitt" in page
    assert "Withdraw the links sent so far" in page
    assert [e["event"] for e in security_log.events] == ["update_link_opened", "update_link_used"]
    assert security_log.events[1]["ip"] == LEAKED_AT


def test_observers_see_the_history_but_no_withdraw_button(client, action, observer):
    client.force_login(observer)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Update links sent by email" in page and "Withdraw the links" not in page
