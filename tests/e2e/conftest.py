"""End-to-end tests: real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright
against the app served by pytest-django's live_server on loopback.

Screenshots go to test-artifacts/ so a person can look at what the tests saw.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from mhhs_gov.settings import oidc_apps, oidc_origins

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls, so Django may allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """login(username, password="pw") signs in through the real login form."""

    def _login(username, password="pw"):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return _login


@pytest.fixture
def screenshot(page, request):
    """screenshot("name") saves test-artifacts/<test>-<name>.png."""

    def _shot(name):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


IDP_PASSWORD = "idp-Passphrase-2026"
IDP_USERS = ["nina@example.org", "stranger@example.org", "lee@example.org"]
IDP_CLIENTS = {
    # provider id in the tracker -> the client's name at the provider (its behaviour)
    "testidp": "good",
    "testidp-expired": "expired",
    "testidp-wrongiss": "wrong-issuer",
}


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """A real OpenID Connect provider (django-oauth-toolkit, tests/oidc_provider/) in a
    process of its own on loopback, with a user for each of IDP_USERS (user name = email,
    password IDP_PASSWORD) and a client for each of IDP_CLIENTS. Yields its issuer URL."""
    config = {
        "users": [{"username": e, "email": e, "password": IDP_PASSWORD} for e in IDP_USERS],
        "clients": [
            {
                "client_id": f"tracker-{provider_id}",
                "secret": f"secret-{provider_id}",
                "name": name,
                "redirect_uri": f"{live_server.url}/accounts/oidc/{provider_id}/login/callback/",
            }
            for provider_id, name in IDP_CLIENTS.items()
        ],
    }
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", json.dumps(config)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("listening "):
            pytest.fail(f"The test OpenID provider did not start: {line!r}")
        yield f"http://127.0.0.1:{line.split()[1]}/o"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def sso(settings, oidc_provider):
    """The tracker configured with the test provider's clients, as OIDC_PROVIDERS would."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **directives,
            "form-action": [*directives["form-action"], *oidc_origins([{"issuer": oidc_provider}])],
        },
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": oidc_apps(
                [
                    {
                        "id": provider_id,
                        "name": f"Test provider ({name})",
                        "issuer": oidc_provider,
                        "client_id": f"tracker-{provider_id}",
                        "secret": f"secret-{provider_id}",
                    }
                    for provider_id, name in IDP_CLIENTS.items()
                ]
            ),
        }
    }
    return oidc_provider


def sign_in_at_provider(page, email, password=IDP_PASSWORD):
    """At the test provider's login page: sign in, and come back to the tracker. The
    provider's page is waited for: the redirects to it may still be under way."""
    expect(page.get_by_role("heading", name="Test identity provider: sign in")).to_be_visible()
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in at the provider").click()
    # The provider is at 127.0.0.1, the tracker at localhost: wait until back.
    page.wait_for_url(lambda url: "//127.0.0.1:" not in url)
    page.wait_for_load_state()


def add_nina_to_dag_and_invite(page):
    """The DAG's secretariat, on the add-member page, picks Nina Newcomer (not yet anyone's
    member, so behind "Show everyone"), adds her as a Large Supplier Representative and
    invites her from her account page."""
    person = page.get_by_role("combobox", name="Person")
    person.fill("Nina")
    listbox = page.get_by_role("listbox", name="Suggestions").first
    listbox.get_by_role("option", name=re.compile("Show everyone")).click()
    listbox.get_by_role("option", name=re.compile("Nina Newcomer")).click()
    page.get_by_label("Constituency").fill("Large Supplier Representative")
    page.get_by_role("button", name="Add to DAG").click()
    current = page.get_by_role("region", name="Current members")
    expect(current.get_by_role("row", name=re.compile("Nina Newcomer"))).to_contain_text(
        "Large Supplier Representative"
    )
    current.get_by_role("link", name="Nina Newcomer", exact=True).click()
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Invite to log in").click()
    expect(page.get_by_text("Invitation to log in emailed to nina@example.org")).to_be_visible()


def end_ninas_membership(page):
    """The DAG's secretariat ends Nina Newcomer's membership from the members page."""
    page.goto("/groups/DAG/members/")
    page.get_by_role("link", name="End Nina Newcomer's membership").click()
    page.get_by_role("button", name="End the membership").click()
    former = page.get_by_role("region", name="Former members")
    expect(former.get_by_role("row", name=re.compile("Nina Newcomer"))).to_be_visible()
