"""Password reset: sent through the outbox (not inside the request), limited per address
and per client address, the same answer whether an account has the address or not."""

import re

import pytest
from django.contrib.auth import get_user_model

from notifications.models import EmailKind, OutboundEmail
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"


def ask(client, email, ip="198.51.100.20"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_reset_goes_through_the_outbox_and_the_link_sets_a_password(client, mailbox, security_log):
    make_user("lee")

    response = ask(client, "lee@example.org")

    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mailbox.messages == []  # nothing sent inside the request
    email = OutboundEmail.objects.get()
    assert email.kind == EmailKind.PASSWORD_RESET and email.person is None
    mailbox.deliver()
    (message,) = mailbox.to("lee@example.org")
    body = message.get_payload(decode=True).decode()
    link = re.search(r"https://governance\.example\.org(/accounts/reset/\S+/)", body)[1]

    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Tr0ub4dor&3x", "new_password2": "Tr0ub4dor&3x"},
    )
    assert done.status_code == 302
    assert get_user_model().objects.get(username="lee").check_password("Tr0ub4dor&3x")
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]
    events = [e["event"] for e in security_log.events]
    assert events == [
        "password_reset_requested",
        "password_reset_link_opened",
        "password_reset_done",
        "password_reset_link_invalid",
    ]


def test_a_burst_at_one_inbox_sends_three_emails(client, mailbox, settings, security_log):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    make_user("lee")

    responses = [ask(client, "Lee@Example.org", ip=f"192.0.2.{n}") for n in range(20)]

    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, "/accounts/password_reset/done/")
    }
    mailbox.deliver()
    assert len(mailbox.to("lee@example.org")) == 3
    assert len(security_log.named("password_reset_throttled")) == 17


def test_one_address_cannot_flood_many_inboxes(client, mailbox, settings):
    settings.PASSWORD_RESET_PER_IP = 10
    for n in range(15):
        make_user(f"user{n}")

    statuses = [ask(client, f"user{n}@example.org").status_code for n in range(15)]

    assert statuses == [302] * 10 + [429] * 5
    assert OutboundEmail.objects.count() == 10
    mailbox.deliver()
    assert len(mailbox.messages) == 10
    # Another address is not held up.
    assert ask(client, "user14@example.org", ip="198.51.100.99").status_code == 302


def test_same_answer_whether_the_account_exists_or_not(client, mailbox):
    make_user("lee")

    known = ask(client, "lee@example.org")
    unknown = ask(client, "nobody@example.org")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.content == unknown.content
    mailbox.deliver()
    assert [m["To"] for m in mailbox.messages] == ["lee@example.org"]
