"""A second factor (allauth's MFA): an authenticator app's codes (TOTP, checked here with
pyotp) and recovery codes after the password; wrong codes are slowed and logged; with
MFA_REQUIRED_ROLES the secretariat is sent to set one up before any other page."""

import re
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator

from notifications.models import EmailKind, OutboundEmail
from people.models import AccountEvent, AccountEventKind, UserSession

LOGIN = "/accounts/login/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def log_in(client, username):
    return client.post(LOGIN, {"username": username, "password": "pw", "next": "/"})


@pytest.fixture
def activate_totp(client, django_capture_on_commit_callbacks):
    """activate_totp(username): sets up an authenticator app for the user, as they would
    on the page (the code from pyotp), then signs out. Returns the pyotp.TOTP."""

    def _activate(username):
        log_in(client, username)
        page = client.get("/accounts/2fa/totp/activate/")
        assert page.status_code == 200
        totp = pyotp.TOTP(page.context["form"].secret)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/2fa/totp/activate/", {"code": totp.now()})
        assert response.status_code == 302, response.content.decode()[:2000]
        client.post("/accounts/logout/")
        return totp

    return _activate


@pytest.fixture(autouse=True)
def _tolerance(settings):
    # A code is used once; the login below uses the next period's code, which a tolerance of
    # one period accepts.
    settings.MFA_TOTP_TOLERANCE = 1


def test_totp_is_asked_after_the_password_and_a_wrong_code_is_logged(
    client, member, security_log, activate_totp
):
    totp = activate_totp("member")
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert security_log.named("mfa_added")[0]["type"] == "totp"
    # The owner is told, through the outbox.
    (told,) = OutboundEmail.objects.filter(kind=EmailKind.ACCOUNT_SECURITY)
    assert told.to_address == member.person.email and "authenticator" in told.subject.lower()
    assert "Authenticator app activated." in told.body_text

    response = log_in(client, "member")
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    # The password alone did not sign in.
    assert client.get("/").status_code == 302
    wrong = client.post(AUTHENTICATE, {"code": "000000"})
    assert wrong.status_code == 200
    # The error is next to the field and tied to it.
    assert 'aria-describedby="id_code_error"' in wrong.content.decode()
    assert security_log.named("mfa_failed")
    right = client.post(AUTHENTICATE, {"code": totp.at(time.time() + 30)})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user=member).count() == 1
    assert security_log.named("login")[-1]["method"] == "password"


def test_a_recovery_code_signs_in_once(client, member, activate_totp):
    activate_totp("member")
    log_in(client, "member")
    codes = client.get("/accounts/2fa/recovery-codes/")
    assert codes.status_code == 302  # signed in only halfway: no pages but the code's
    recovery = Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]
    assert client.post(AUTHENTICATE, {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    log_in(client, "member")
    again = client.post(AUTHENTICATE, {"code": code})
    assert again.status_code == 200 and client.get("/").status_code == 302


def test_wrong_codes_are_rate_limited(client, member, activate_totp):
    totp = activate_totp("member")
    log_in(client, "member")
    for _ in range(5):
        client.post(AUTHENTICATE, {"code": "000000"})
    refused = client.post(AUTHENTICATE, {"code": totp.at(time.time() + 30)})
    assert refused.status_code == 200
    assert re.search(r"[Tt]oo many", refused.content.decode())
    assert client.get("/").status_code == 302


def test_required_roles_are_sent_to_set_up_a_second_factor(client, settings, dag_users):
    settings.MFA_REQUIRED_ROLES = {"secretariat", "chair", "administrator"}
    log_in(client, "secretariat")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert client.get("/accounts/2fa/").status_code == 200
    client.post("/accounts/logout/")
    log_in(client, "member")
    assert client.get("/").status_code == 200


def test_the_demo_logins_need_the_password_alone(client, dag_users, settings):
    settings.MFA_REQUIRED_ROLES = set()
    response = log_in(client, "secretariat")
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_secretariat_removes_a_lost_second_factor(
    client, member, secretariat, observer, activate_totp, security_log
):
    activate_totp("member")
    url = f"/people/{member.person.pk}/account/reset_second_factor/"
    # Another member of the group may not: nothing is removed.
    client.force_login(observer)
    assert client.post(url).status_code in (403, 404)
    assert Authenticator.objects.filter(user=member).count() == 2
    client.force_login(secretariat)
    page = client.get(f"/people/{member.person.pk}/account/").content.decode()
    assert "TOTP Authenticator" in page and "Remove the second factor (lost)" in page
    assert client.post(url).status_code == 302
    assert not Authenticator.objects.filter(user=member).exists()
    assert AccountEvent.objects.filter(
        person=member.person, kind=AccountEventKind.SECOND_FACTOR_RESET
    ).exists()
    assert security_log.named("mfa_reset_by_manager")
    client.logout()
    assert log_in(client, "member")["Location"] == "/"  # the password alone again
