"""Issue 21 item 8: an action's owner updates it with the keyboard alone, in headless Chromium:
the skip link, Tab through the page with the focus always visible, type the update, choose
"recommend closed" with the arrow keys, date it yesterday from the calendar (opened with
Enter, moved with the arrow keys, chosen with Enter; axe finds nothing wrong in it) and post
it with Enter."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import ActionOwner, ActionStatus
from core.models import Role
from tests.factories import make_action, make_group, make_meeting, make_user

from . import axe

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {id: element.id, text: element.innerText || '', tag: element.tagName,
          visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'};
}"""


def tab_to(page, found, limit=60):
    """Presses Tab until `found(focused)` holds; every element passed shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["visible"], f"focus not visible on {focused}"
        if found(focused):
            return focused
    raise AssertionError("never reached by Tab")


def test_an_owner_updates_an_action_with_the_keyboard_alone(page, login):
    group = make_group("DAG")
    action = make_action(make_meeting(group, number=29), text="Programme to publish the plan")
    owner = make_user("owner", group=group, role=Role.MEMBER)
    ActionOwner.objects.create(action=action, person=owner.person)
    login("owner")
    page.goto(action.get_absolute_url())

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    tab_to(page, lambda focused: focused["id"] == "id_text")
    page.keyboard.type("Plan published on the portal.")
    # Tab enters the radio group on its checked choice; the arrow keys move and choose.
    tab_to(page, lambda focused: focused["id"].startswith("id_status"))
    while not page.get_by_label("RECOMMEND CLOSED").is_checked():
        page.keyboard.press("ArrowDown")

    tab_to(page, lambda focused: focused["id"] == "id_date")
    tab_to(page, lambda focused: focused["text"] == "Choose date")
    page.keyboard.press("Enter")
    calendar = page.get_by_role("dialog")
    expect(calendar).to_be_visible()
    assert axe.violations(page) == []  # the calendar, which the crawl never opens
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(calendar).to_be_hidden()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expect(page.get_by_label("Date of the update")).to_have_value(f"{yesterday:%d/%m/%Y}")
    expect(page.get_by_label("Date of the update")).to_be_focused()

    tab_to(page, lambda focused: focused["text"] == "Post update")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="posted")).to_be_visible()

    action.refresh_from_db()
    assert action.status == ActionStatus.RECOMMEND_CLOSED
    update = action.updates.get()
    assert update.text == "Plan published on the portal." and update.date == yesterday
