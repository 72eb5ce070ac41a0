"""Login throttling: growing delays per client address and per user name, never a
lockout of the account (mhhs_gov/accounts.py), and the client address taken from
trusted proxies only."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from core.security import client_ip
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ATTACKER = "203.0.113.66"


@pytest.fixture
def clock(monkeypatch):
    """time.time() under the test's control (the throttle and the cache both read it)."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def advance(seconds):
        now[0] += seconds

    return advance


def attempt(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_spraying_forty_user_names_from_one_address_is_throttled(
    client, settings, security_log, clock
):
    settings.LOGIN_THROTTLE_IP_FREE = 20
    names = [make_user(f"user{n:02}").username for n in range(40)]

    statuses = [
        attempt(client, name, f"Guess{guess}!", ATTACKER).status_code
        for guess in range(5)
        for name in names
    ]

    # 20 failures are free and the 21st starts the delays: the other 179 tries were
    # refused without checking the password.
    assert statuses.count(200) == 21 and statuses.count(429) == 179
    assert len(security_log.named("login_failed")) == 21
    assert len(security_log.named("login_throttled")) == 179
    # The right password from that address waits too: nothing reveals it was right.
    refused = attempt(client, "user00", "pw", ATTACKER)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    page = refused.content.decode()
    assert "Try again in" in page and "Nothing is locked" in page
    # A delay, not a lockout: after it one more guess is checked, and the next wait is longer.
    clock(settings.LOGIN_THROTTLE_MAX_DELAY)
    assert attempt(client, "user01", "wrong", ATTACKER).status_code == 200
    assert attempt(client, "user01", "wrong", ATTACKER).status_code == 429
    clock(settings.LOGIN_THROTTLE_MAX_DELAY)
    assert attempt(client, "user01", "pw", ATTACKER).status_code == 302


def test_delays_grow_with_each_failure(client, settings, clock):
    settings.LOGIN_THROTTLE_IP_FREE = 2
    make_user("lee")
    waits = []
    for _ in range(6):
        response = attempt(client, "lee", "wrong", ATTACKER)
        while response.status_code == 429:
            waits.append(response.context["form"].non_field_errors().as_data()[0].params["wait"])
            clock(1)
            response = attempt(client, "lee", "wrong", ATTACKER)
    assert waits == [1, 2, 1, 4, 3, 2, 1]


def test_a_user_attacked_from_elsewhere_still_logs_in(client, settings, security_log, clock):
    settings.LOGIN_THROTTLE_USER_FREE = 5
    make_user("member")
    home = "198.51.100.7"
    assert attempt(client, "member", "pw", home).status_code == 302  # a login the week before
    client.post("/accounts/logout/")

    # Guesses at "member" from 30 addresses, one each: no address is slowed, the name is.
    attacker = client_class_like(client)
    for n in range(30):
        attempt(attacker, "member", f"Guess{n}!", f"192.0.2.{n + 1}")
    assert security_log.named("login_throttled")[-1]["by"] == "username"
    # Even the right password from a new address waits.
    assert attempt(attacker, "MEMBER", "pw", "192.0.2.200").status_code == 429

    # The member is not locked out: from the address they used before...
    assert attempt(client_class_like(client), "member", "pw", home).status_code == 302
    # ...and from the browser they used before, wherever it is now.
    assert attempt(client, "member", "pw", "192.0.2.250").status_code == 302
    member = get_user_model().objects.get(username="member")
    assert client.session["_auth_user_id"] == str(member.pk)


def client_class_like(client):
    """A fresh browser: no cookies."""
    return type(client)()


def test_spoofed_forwarded_for_does_not_dodge_the_address_count(client, settings):
    settings.LOGIN_THROTTLE_IP_FREE = 3
    make_user("lee")
    statuses = [
        client.post(
            LOGIN,
            {"username": "lee", "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.9.9.9"),  # no proxy trusted: the header is the client's word
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the client's own entry on the left is ignored
        (2, "6.6.6.6, 1.1.1.1, 172.16.0.2", "1.1.1.1"),
        (2, "", "10.9.9.9"),
    ],
)
def test_client_address_comes_from_the_trusted_proxies_only(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_failed_login_is_in_the_security_log(client, security_log):
    make_user("lee")
    attempt(client, "lee", "wrong", ATTACKER)
    (event,) = security_log.named("login_failed")
    assert event["username"] == "lee" and event["ip"] == ATTACKER
    assert event["path"] == LOGIN and event["time"] and event["user"] is None


def test_admin_logs_in_through_the_throttled_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


def test_demo_login_needs_the_password_alone(client, dag029):
    response = client.post(LOGIN, {"username": "secretariat", "password": "demo"})
    assert response.status_code == 302
