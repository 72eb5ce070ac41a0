"""The issue's "done when", in headless Chromium: the DAG's secretariat adds someone new to
DAG and invites them; they accept through the test OpenID provider (single sign-on, no
password of ours), register a passkey (Chromium's virtual authenticator), sign in again
with it as their second factor and see DAG's records; the secretariat ends the membership
and their next request for DAG's records is refused. Nobody opens /admin/."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from core.models import Person, Role
from notifications.models import EmailKind, OutboundEmail
from tests.e2e.conftest import (
    add_nina_to_dag_and_invite,
    end_ninas_membership,
    sign_in_at_provider,
)
from tests.factories import make_group, make_person, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def add_virtual_passkey(page):
    """Chromium's virtual authenticator (CDP WebAuthn domain): a platform authenticator
    that verifies the user and answers at once, like a laptop's fingerprint reader."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_secretariat_invites_a_member_who_signs_in_by_sso_with_a_passkey(
    browser, live_server, page, login, sso, security_log
):
    dag = make_group("DAG")
    make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    make_person("Nina Newcomer", email="nina@example.org")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login("pmo")

    page.goto("/groups/DAG/members/add/")
    add_nina_to_dag_and_invite(page)

    # The newcomer accepts with their organisation's account.
    email = OutboundEmail.objects.get(kind=EmailKind.ACCOUNT_INVITATION)
    link = re.search(r"/accounts/invitation/\S+/", email.body_text).group(0)
    newcomer = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    newcomer.on("pageerror", lambda exc: errors.append(str(exc)))
    add_virtual_passkey(newcomer)
    newcomer.goto(link)
    newcomer.get_by_role("button", name="Sign in with Test provider (good)").click()
    sign_in_at_provider(newcomer, "nina@example.org")
    assert newcomer.goto("/groups/DAG/").status == 200
    nina = Person.objects.get(email="nina@example.org").user
    assert nina is not None and not nina.has_usable_password()

    # A passkey, registered with the virtual authenticator.
    newcomer.goto("/accounts/2fa/webauthn/add/")
    newcomer.get_by_label("Name").fill("Laptop")
    newcomer.get_by_role("button", name="Add").click()
    newcomer.wait_for_url(lambda url: "/webauthn/add/" not in url)
    expect(newcomer.get_by_role("heading", level=1)).to_be_visible()
    assert Authenticator.objects.filter(user=nina, type=Authenticator.Type.WEBAUTHN).exists()

    # Signing in again: the provider, then the passkey, before any page of the tracker.
    newcomer.get_by_role("button", name="Log out").click()
    newcomer.goto("/accounts/login/")
    newcomer.get_by_role("button", name="Sign in with Test provider (good)").click()
    newcomer.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    newcomer.get_by_role("button", name="Use a security key").click()
    newcomer.wait_for_url(f"{live_server.url}/")
    assert security_log.named("mfa_used")[-1]["type"] == "webauthn"
    dag_page = newcomer.goto(f"{live_server.url}/groups/DAG/")
    assert dag_page.status == 200

    end_ninas_membership(page)

    assert newcomer.goto(f"{live_server.url}/groups/DAG/").status == 404
    newcomer.context.close()
    assert not errors
