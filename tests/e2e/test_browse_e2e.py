"""A member logs in through the real login form in headless Chromium and reads DAG029."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_member_logs_in_and_reads_dag029(page, login, screenshot):
    call_command("load_demo", verbosity=0)
    login("member", "demo")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("home")

    page.get_by_role("link", name="Meetings", exact=True).first.click()
    page.get_by_role("link", name="DAG029").first.click()
    expect(page.get_by_text("Virtual – MS Teams").first).to_be_visible()
    expect(page.get_by_text("Morven Hunter").first).to_be_visible()
    screenshot("dag029")

    page.goto("/actions/DAG29-04/")
    expect(page.get_by_text("Programme (Paul Pettitt & Lee Cox)").first).to_be_visible()
    screenshot("action")


def test_wrong_password_shows_an_error_and_keeps_the_username(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("nobody")
