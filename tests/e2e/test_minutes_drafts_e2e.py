"""Nothing typed is lost, in headless Chromium: the secretariat types an item's minutes, the
draft is kept while they type, the tab is closed, and a new tab on the same page has the
text back; leaving with unsaved text asks first, leaving once it is saved does not."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.models import Role
from meetings.models import AgendaItem, MeetingStatus, MinutesDraft
from tests.factories import make_group, make_meeting, make_user
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TYPED = "NGESO presented the CR032 impact assessment."


@pytest.fixture
def item():
    group = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
    make_user("secretariat", group=group, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    meeting = make_meeting(
        group, number=29, date=datetime.date(2023, 10, 11), status=MeetingStatus.HELD
    )
    return AgendaItem.objects.create(
        meeting=meeting, number="4", order=4, title="CR032 Impact Assessment"
    )


def test_typed_minutes_survive_a_closed_tab(item, page, login, screenshot):
    login("secretariat")
    write_url = reverse("meetings:minutes_write", args=[item.meeting_id])
    page.goto(write_url)
    page.get_by_label("Minutes of item 4").press_sequentially(TYPED)

    expect(page.locator(f"#item{item.pk}_draft")).to_contain_text("Draft kept at")
    wait_until(
        lambda: MinutesDraft.objects.filter(item=item, text=TYPED).exists(),
        what="the draft kept while typing",
    )
    typed_shot = screenshot("typed")
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(write_url)
    editor = page.get_by_label("Minutes of item 4")
    expect(editor).to_have_value(TYPED)
    expect(page.get_by_text("Restored your unsaved draft from")).to_be_visible()
    # screenshot() shoots the fixture's tab, closed now: this one goes beside it.
    page.screenshot(path=str(typed_shot).removesuffix("typed.png") + "restored.png")
    item.refresh_from_db()
    assert item.minutes == ""  # a draft, not the minutes

    # Leaving with text not saved as the minutes asks first.
    dialogs = []

    def leave_anyway(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave_anyway)
    editor.press_sequentially(" More.")
    page.goto(reverse("meetings:meeting_detail", args=[item.meeting_id]))
    assert dialogs == ["beforeunload"]

    # Once saved, the draft is gone and leaving asks nothing.
    page.goto(write_url)
    expect(page.get_by_label("Minutes of item 4")).to_have_value(
        MinutesDraft.objects.get(item=item).text
    )
    page.get_by_role("button", name="Save item 4").click()
    expect(page.locator(f"#item{item.pk}_status")).to_contain_text("Saved at")
    wait_until(lambda: not MinutesDraft.objects.exists(), what="the draft to go on saving")
    page.goto(reverse("meetings:meeting_detail", args=[item.meeting_id]))
    assert dialogs == ["beforeunload"]
    item.refresh_from_db()
    assert item.minutes.startswith(TYPED)
