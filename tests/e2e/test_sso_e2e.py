"""Single sign-on with OpenID Connect in headless Chromium, against a real provider on
loopback (django-oauth-toolkit, tests/oidc_provider/): the authorization code flow with
PKCE signs in the person whose verified email the provider vouches for; an unknown email,
an expired ID token, an ID token from another issuer and a replayed answer are each
refused with a page saying so, and nobody is signed in."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from core.models import Role
from people.models import UserSession
from tests.e2e import axe
from tests.e2e.conftest import sign_in_at_provider
from tests.factories import make_group, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def start_sso(page, provider_name):
    page.goto("/accounts/login/")
    page.get_by_role("button", name=f"Sign in with Test provider ({provider_name})").click()
    page.wait_for_load_state()


def test_known_email_signs_in_with_pkce_and_a_replayed_answer_is_refused(page, sso, security_log):
    lee = make_user("lee", group=make_group("DAG"), role=Role.MEMBER)
    lee.person.email = "Lee@Example.org"
    lee.person.save()
    authorize, callbacks = [], []
    page.on(
        "request",
        lambda r: (
            (authorize if "/o/authorize/" in r.url else callbacks).append(r.url)
            if "/o/authorize/" in r.url or "/login/callback/" in r.url
            else None
        ),
    )
    start_sso(page, "good")
    sign_in_at_provider(page, "lee@example.org")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert (
        page.url.rstrip("/") == page.url.split("/accounts")[0].rstrip("/")
        or "/accounts" not in page.url
    )
    assert "code_challenge=" in authorize[0] and "code_challenge_method=S256" in authorize[0]
    assert UserSession.objects.filter(user=lee).count() == 1
    (login,) = security_log.named("login")
    assert login["method"] == "sso" and login["provider"] == "testidp"
    assert security_log.named("sso_linked")[0]["account"] == lee.pk

    # The provider's answer again (the browser's back button, or someone who copied it):
    # its state was used up, so it is refused with a page saying so.
    response = page.goto(callbacks[-1])
    assert response.status >= 400
    expect(page.get_by_role("heading", name="Single sign-on did not work")).to_be_visible()
    assert security_log.named("sso_failed")


def test_an_unknown_email_gets_no_account(page, sso, security_log):
    users = get_user_model().objects.count()
    start_sso(page, "good")
    sign_in_at_provider(page, "stranger@example.org")
    expect(page.get_by_role("heading", name="You cannot sign in with that account")).to_be_visible()
    expect(page.get_by_text(re.compile("without an invitation"))).to_be_visible()
    assert get_user_model().objects.count() == users
    assert security_log.named("sso_refused")[0]["reason"] == "unknown"
    assert page.goto("/").url.endswith("/accounts/login/?next=/")


@pytest.mark.parametrize("provider", ["expired", "wrong-issuer"])
def test_an_expired_token_or_another_issuer_is_refused(page, sso, security_log, provider):
    lee = make_user("lee")
    lee.person.email = "lee@example.org"
    lee.person.save()
    start_sso(page, provider)
    sign_in_at_provider(page, "lee@example.org")
    expect(page.get_by_role("heading", name="Single sign-on did not work")).to_be_visible()
    assert not UserSession.objects.exists()
    assert security_log.named("sso_failed")
    assert not security_log.named("login")
    assert page.goto("/").url.endswith("/accounts/login/?next=/")


def test_sign_in_and_second_factor_pages_pass_axe(page, sso, login):
    """The pages allauth draws in the app's layout: no WCAG 2.2 A or AA violation, nor in
    their error state (a form sent empty)."""
    make_user("lee", group=make_group("DAG"), role=Role.MEMBER)
    problems = []

    def check(url, *, errors=False):
        page.goto(url)
        problems.extend(f"{url}: {v}" for v in axe.violations(page))
        if errors and axe.show_form_errors(page):
            problems.extend(f"{url} (errors): {v}" for v in axe.violations(page))

    check("/accounts/login/")
    login("lee")
    for url in ["/account/sessions/", "/accounts/2fa/", "/accounts/2fa/webauthn/add/"]:
        check(url)
    check("/accounts/2fa/totp/activate/", errors=True)
    assert not problems, "\n".join(problems)
