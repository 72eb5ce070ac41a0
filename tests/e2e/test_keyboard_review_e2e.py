"""Issue 21 item 8: the secretariat records the review of open actions with the keyboard
alone, in headless Chromium: a status chosen by type-ahead and an update typed for one
action; then a bulk step (two actions chosen with Space, "Set a new due date" chosen with
the arrow keys, the date picked from the calendar with Page Down and Enter) and its undo.
Every control passed shows its focus."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import ActionStatus
from core.models import Role
from tests.factories import make_action, make_group, make_meeting, make_user

from .keyboard import choose, focused, follow, log_in, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_review_of_open_actions_with_the_keyboard_alone(page):
    group = make_group("DAG")
    make_user("secretariat", group=group, role=Role.SECRETARIAT)
    dag028 = make_meeting(group, number=28, date=timezone.localdate() - datetime.timedelta(28))
    make_meeting(group, number=29, date=timezone.localdate())
    first, second, third = (make_action(dag028) for _ in range(3))
    due_before = second.due_date

    log_in(page, "secretariat")
    follow(page, "Meetings")
    follow(page, "DAG029")
    follow(page, "Review of actions")

    # One action's review: its new status by type-ahead, then what was said.
    tab_to(page, f"New status of {first.reference}")
    page.keyboard.type("ONGOING")
    tab_to(page, f"Update on {first.reference}")
    page.keyboard.type("Plan drafted; kept open for the next release.")
    follow(page, "Record updates")
    expect(page.get_by_text("1 update recorded.")).to_be_visible()
    first.refresh_from_db()
    assert first.status == ActionStatus.ONGOING

    # A bulk step: two actions chosen with Space.
    for action in (second, third):
        tab_to(page, f"Choose {action.reference}")
        page.keyboard.press("Space")
        assert focused(page)["checked"]
    # Tab enters the radio group on its checked choice; the arrows move and choose.
    tab_to(page, lambda f: f["legends"][-1:] == ["What to do with the chosen actions"])
    choose(page, "Set a new due date")
    tab_to(page, "New due date")
    tab_to(page, "Choose date")
    page.keyboard.press("Enter")
    calendar = page.get_by_role("dialog")
    expect(calendar).to_be_visible()
    page.keyboard.press("PageDown")  # a month on
    page.keyboard.press("Enter")
    expect(calendar).to_be_hidden()
    due = page.get_by_role("textbox", name="New due date")
    expect(due).to_be_focused()
    new_due = datetime.datetime.strptime(due.input_value(), "%d/%m/%Y").date()
    assert new_due > timezone.localdate()
    follow(page, "Apply to the chosen actions")
    expect(page.get_by_text("2 actions changed in one step")).to_be_visible()
    for action in (second, third):
        action.refresh_from_db()
        assert action.due_date == new_due

    # One undo for the step.
    follow(page, "Undo this step")
    expect(page.get_by_text("Undone: set a new due date.")).to_be_visible()
    for action in (second, third):
        action.refresh_from_db()
        assert action.due_date == due_before
