"""LOCAL_PASSWORDS=0: a deployment whose people all sign in through their organisation. The
login page offers the single sign-on providers only; a password posted anyway is refused
and logged; the password reset and change pages are gone, and an invitation is accepted
only by signing in with a provider."""

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _passwords_off(settings):
    settings.LOCAL_PASSWORDS = False


def test_a_password_is_refused_and_logged(client, security_log):
    make_user("lee")
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page and "Forgotten your password" not in page
    response = client.post("/accounts/login/", {"username": "lee", "password": "pw"})
    assert response.status_code == 403
    assert "Passwords are switched off" in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    assert security_log.named("login_password_disabled")


def test_password_pages_are_gone(client):
    assert client.get("/accounts/password_reset/").status_code == 404
    assert client.get("/accounts/password/reset/", follow=True).status_code == 404
    client.force_login(make_user("lee"))
    assert client.get("/accounts/password_change/").status_code == 404
    assert client.get("/accounts/password/change/", follow=True).status_code == 404


def test_allauth_signup_leads_to_the_login_page(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
