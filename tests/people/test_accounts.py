"""Accounts: an invitation by email through the outbox with a single-use, expiring link;
deactivation ending sessions and withdrawing the person's update links; programme
administrators appointed by a superuser only. Security events are logged."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import LinkEventKind, UpdateLinkEvent
from actions.reminders import update_token
from core.models import Role
from notifications.models import EmailKind, OutboundEmail
from people.models import AccountEvent, AccountEventKind, Invitation
from tests.factories import (
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    PersonFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/invitation/(\S+)/")


@pytest.fixture
def newcomer(dag):
    person = PersonFactory(name="Nina Newcomer", email="nina@example.org")
    person.memberships.create(group=dag, role=Role.MEMBER)
    return person


def _invite(client, person):
    return client.post(reverse("people:account_change", args=[person.pk, "invite"]))


def _token(email):
    return LINK.search(email.body_text).group(1)


def test_invitation_through_the_outbox_works_once(client, secretariat, newcomer, security_log):
    client.force_login(secretariat)
    assert _invite(client, newcomer).status_code == 302
    email = OutboundEmail.objects.get(kind=EmailKind.ACCOUNT_INVITATION)
    assert email.to_address == "nina@example.org" and email.person is None
    assert "DAG" in email.body_text
    accept = reverse("people:invitation_accept", args=[_token(email)])
    guest = Client()
    assert guest.get(accept).status_code == 200
    short = guest.post(accept, {"username": "nina", "password1": "x", "password2": "x"})
    assert short.status_code == 200 and short.context["form"]["username"].value() == "nina"
    password = "a-long-Passphrase-2026"
    response = guest.post(
        accept, {"username": "nina", "password1": password, "password2": password}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nina")
    newcomer.refresh_from_db()
    assert newcomer.user == user and user.check_password(password)
    assert guest.get(reverse("meetings:group_detail", args=["DAG"])).status_code == 200
    assert Client().get(accept).status_code == 410  # used once
    kinds = set(AccountEvent.objects.filter(person=newcomer).values_list("kind", flat=True))
    assert kinds == {AccountEventKind.INVITED, AccountEventKind.ACCEPTED}
    assert security_log.named("invitation_sent") and security_log.named("invitation_accepted")


def test_an_invitation_expires_and_a_newer_one_replaces_it(client, secretariat, newcomer):
    client.force_login(secretariat)
    _invite(client, newcomer)
    _invite(client, newcomer)
    first, second = OutboundEmail.objects.filter(kind=EmailKind.ACCOUNT_INVITATION).order_by("pk")
    assert (
        Client().get(reverse("people:invitation_accept", args=[_token(first)])).status_code == 410
    )
    Invitation.objects.filter(revoked_at__isnull=True).update(
        created_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert (
        Client().get(reverse("people:invitation_accept", args=[_token(second)])).status_code == 410
    )
    assert Client().get(reverse("people:invitation_accept", args=["made-up"])).status_code == 404


def test_deactivation_ends_sessions_and_withdraws_only_their_links(
    client, dag, secretariat, member, security_log
):
    other_owner = PersonFactory()
    action = ActionFactory(meeting=MeetingFactory(group=dag), owners=[member.person, other_owner])
    # The links emailed before the account was deactivated.
    mine = reverse("email:action_update", args=[update_token(member.person.pk, action.pk)])
    theirs = reverse("email:action_update", args=[update_token(other_owner.pk, action.pk)])
    member_session = Client()
    member_session.force_login(member)
    assert member_session.get(reverse("meetings:home")).status_code == 200
    client.force_login(secretariat)
    response = client.post(reverse("people:account_change", args=[member.person.pk, "deactivate"]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert member_session.get(reverse("meetings:home")).status_code == 302  # to the login
    assert Client().get(mine).status_code == 410
    assert Client().get(theirs).status_code == 200
    assert UpdateLinkEvent.objects.filter(kind=LinkEventKind.REVOKED, person=member.person).exists()
    assert security_log.named("account_deactivated")[0]["sessions_ended"] == 1


@pytest.mark.parametrize("role", [Role.CHAIR, Role.MEMBER, Role.OBSERVER])
def test_only_the_secretariat_manages_accounts(client, dag, member, role, newcomer):
    client.force_login(make_user(group=dag, role=role))
    target = member.person
    for change in ("invite", "deactivate", "grant_admin", "reset_second_factor"):
        url = reverse("people:account_change", args=[target.pk, change])
        assert client.post(url).status_code == 403
    assert (
        client.post(reverse("people:account_change", args=[newcomer.pk, "invite"])).status_code
        == 403
    )
    member.refresh_from_db()
    assert member.is_active and not OutboundEmail.objects.exists()
    assert not AccountEvent.objects.exists()


def test_another_groups_secretariat_may_not_touch_the_account(client, member, newcomer):
    client.force_login(make_user(group=GroupFactory(code="TMAG"), role=Role.SECRETARIAT))
    url = reverse("people:account_change", args=[member.person.pk, "deactivate"])
    assert client.post(url).status_code == 403
    member.refresh_from_db()
    assert member.is_active


def test_only_a_superuser_appoints_programme_administrators(client, secretariat, member):
    client.force_login(secretariat)
    url = reverse("people:account_change", args=[member.person.pk, "grant_admin"])
    assert client.post(url).status_code == 403
    member.person.refresh_from_db()
    assert not member.person.programme_administrator
    client.force_login(make_user(superuser=True))
    assert client.post(url).status_code == 302
    member.person.refresh_from_db()
    assert member.person.programme_administrator
    # The secretariat may not then deactivate the one who appoints it.
    client.force_login(secretariat)
    deactivate = reverse("people:account_change", args=[member.person.pk, "deactivate"])
    assert client.post(deactivate).status_code == 403


def test_the_invitation_page_is_rate_limited(settings, security_log, db):
    settings.INVITATION_RATE = 2
    url = reverse("people:invitation_accept", args=["guessed-token"])
    assert [Client().get(url).status_code for _ in range(3)] == [404, 404, 429]
    assert security_log.named("invitation_throttled")
    assert len(security_log.named("invitation_invalid")) == 2
