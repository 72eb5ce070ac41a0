"""The API's pages in Chromium: a user makes a token on the API tokens page, then reads the
interactive docs, which Swagger UI (from the sidecar's static files) draws under the strict
Content-Security-Policy with no violation, and which call the API with the session."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_csp_e2e import RECORD_VIOLATIONS

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_user_makes_a_token_and_reads_the_api_docs(page, login, observer, screenshot):
    page.add_init_script(RECORD_VIOLATIONS)
    login("observer")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Power BI")
    page.get_by_role("button", name="Make the token").click()
    token = page.locator("code").filter(has_text=re.compile(r"^mhhs_")).first.inner_text()
    assert len(token) > 40
    expect(page.get_by_role("cell", name="Power BI", exact=True)).to_be_visible()

    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto("/api/docs/")
    # Swagger UI draws the operations once it has read the schema, which the app builds.
    operation = page.locator(".opblock-summary-path", has_text="/api/actions/").first
    expect(operation).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Governance tracker API").first).to_be_visible()
    screenshot("docs")
    answer = page.evaluate(
        "fetch('/api/actions/', {credentials: 'same-origin'}).then(r => r.status)"
    )
    assert answer == 200
    assert page.evaluate("window.__cspViolations") == [], console
