"""A member, in headless Chromium with the demo data: opens "My actions", keeps the overdue
ones, recommends one for closure and downloads the register as Excel."""

import datetime
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from actions.models import Action, ActionStatus

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_member_finds_updates_and_exports_overdue_actions(page, login, screenshot, tmp_path):
    call_command("load_demo", verbosity=0)
    login("member", "demo")

    page.get_by_role("link", name="My actions", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    # Paul Pettitt's open actions, DAG35-03 first in natural order (before DAG60-01).
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("DAG35-03")
    screenshot("my-actions")

    page.get_by_label("Due", exact=True).select_option("overdue")  # htmx swaps the results
    expect(page).to_have_url(re.compile(r"/actions/\?.*due=overdue"))  # a link to share
    assert "owner=me" in page.url
    rows = page.locator("tbody tr")
    expect(rows.first).to_have_class("is-overdue")
    expect(rows.first.locator(".badge--overdue")).to_have_text("Overdue")
    screenshot("overdue")

    page.get_by_role("link", name="DAG60-01").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action DAG60-01")
    page.get_by_label("Update", exact=True).fill("Paper issued to the group; nothing left to do.")
    page.get_by_label("RECOMMEND CLOSED").check()
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_role("status").filter(has_text="Update to DAG60-01 posted.")).to_be_visible()
    expect(page.locator(".details")).to_contain_text("RECOMMEND CLOSED")
    expect(page.get_by_text("Paper issued to the group; nothing left to do.")).to_be_visible()
    screenshot("updated")
    action = Action.objects.get(reference="DAG60-01")
    assert action.status == ActionStatus.RECOMMEND_CLOSED
    assert action.updates.get(text__startswith="Paper issued").author.name == "Paul Pettitt"

    page.go_back()
    page.reload()
    expect(page.locator("tbody")).to_contain_text("RECOMMEND CLOSED")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:7] == ("Ref", "Date raised", "Area", "Action", "Owner", "Due", "Status")
    row = next(row for row in rows if row[0] == "DAG60-01")
    assert row[6] == "RECOMMEND CLOSED"
    assert row[7] == "Paper issued to the group; nothing left to do."
    assert isinstance(row[8], datetime.datetime)
    assert all(r[0] != "DAG28-08" for r in rows[1:])  # closed: not in the export
