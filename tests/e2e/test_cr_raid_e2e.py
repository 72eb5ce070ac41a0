"""The secretariat, in headless Chromium on the demo data: raises a change request, moves
it to impact assessment (the deadline shows), links an action to it; raises a risk,
re-scores it and sees the heat map's cell counts change."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core.workdays import add_working_days

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def heat_map_count(page, probability, impact):
    cell = page.locator(f'td[data-probability="{probability}"][data-impact="{impact}"]')
    return int(cell.locator(".heat-map__count").inner_text())


def test_secretariat_runs_a_cr_and_a_risk(page, login, screenshot):
    call_command("load_demo", verbosity=0)
    login("secretariat", "demo")

    # Raise a change request: it takes the next reference after the demo's CR050.
    page.goto("/change-requests/")
    page.get_by_role("link", name="Raise a change request").click()
    page.get_by_label("Title", exact=True).fill("Publish the DIP message catalogue weekly")
    page.get_by_role("button", name="Raise change request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "CR051 Publish the DIP message catalogue weekly"
    )

    # Move it to impact assessment: the response deadline in working days appears.
    page.get_by_label("Start impact assessment").check()
    page.get_by_label("Why").fill("Agreed by DAG to issue for impact assessment")
    page.get_by_role("button", name="Record move").click()
    deadline = add_working_days(timezone.localdate(), 10)
    notice = page.locator("#ia-deadline")
    expect(notice).to_contain_text(f"IA responses due {deadline:%d/%m/%Y}")
    expect(notice).to_contain_text("working days left")
    expect(page.get_by_text("Issued to Impact Assessment").first).to_be_visible()

    # Link an action to it.
    page.get_by_label("Reference of an action, decision or RAID item").fill("DAG29-01")
    page.get_by_role("button", name="Link to CR051").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="DAG29-01"))
    expect(row).to_contain_text("Linked")
    screenshot("cr051")

    # Raise a risk scored 2 x 2: its heat map cell counts it.
    page.goto("/raid/")
    before = heat_map_count(page, 2, 2)
    page.get_by_role("link", name="Raise a RAID item").click()
    page.get_by_label("Title", exact=True).fill("There is a risk the catalogue is published late")
    page.get_by_label("Probability (optional)").select_option(label="2 – Unlikely")
    page.get_by_label("Impact (optional)").select_option(label="2 – Minor")
    page.get_by_role("button", name="Raise RAID item").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("R437")
    page.goto("/raid/")
    assert heat_map_count(page, 2, 2) == before + 1
    critical = heat_map_count(page, 4, 5)
    screenshot("heat-map-before")

    # Re-score it 4 x 5: it moves to the critical cell.
    page.goto("/raid/R437/")
    page.get_by_role("link", name="Update").click()
    page.get_by_label("Probability (optional)").select_option("4")
    page.get_by_label("Impact (optional)").select_option("5")
    page.get_by_label("Why the change (optional)").fill("Re-scored after the DIP outage")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Probability 2 → 4; Impact 2 → 5")).to_be_visible()
    expect(page.get_by_text("Score trend: 4 → 20")).to_be_visible()
    page.goto("/raid/")
    assert heat_map_count(page, 2, 2) == before
    assert heat_map_count(page, 4, 5) == critical + 1
    page.locator('td[data-probability="4"][data-impact="5"] a').click()
    expect(page.get_by_role("link", name="R437")).to_be_visible()
    screenshot("heat-map-after")
