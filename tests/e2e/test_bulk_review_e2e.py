"""The secretariat, in headless Chromium and with the keyboard alone, chooses every action at
the review of open actions, recommends them all closed in one step, then undoes the step."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ActionStatus
from tests.factories import make_action, make_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_bulk_step_and_undo_by_keyboard(page, login, screenshot, dag, secretariat):
    earlier = make_meeting(dag, number=28, date=datetime.date(2023, 9, 13))
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    actions = [make_action(earlier) for _ in range(3)]
    login("secretariat")
    page.goto(reverse("meetings:action_review", args=[meeting.pk]))

    page.get_by_label("Choose all actions on this page").focus()
    page.keyboard.press("Space")
    for action in actions:
        expect(page.get_by_label(f"Choose {action.reference} for a bulk step")).to_be_checked()
    page.get_by_label("Recommend closed", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Apply to the chosen actions").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("3 actions changed in one step")).to_be_visible()
    screenshot("after-step")
    for action in actions:
        action.refresh_from_db()
        assert action.status == ActionStatus.RECOMMEND_CLOSED

    page.get_by_role("button", name="Undo this step").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Undone: recommend closed.")).to_be_visible()
    for action in actions:
        action.refresh_from_db()
        assert action.status == ActionStatus.OPEN
