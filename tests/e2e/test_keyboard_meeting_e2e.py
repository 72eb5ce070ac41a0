"""Issue 21 item 8: the secretariat runs a meeting with the keyboard alone, in headless
Chromium: from the meetings list to DAG029, the attendance (the group's members added, a
guest added, who came marked with the arrow keys), the minutes of an agenda item saved, an
action raised with its owner chosen from the type-ahead picker (a missing due date refused
first) and a decision recorded under the item (its form, which the crawl never opens,
checked by axe; Cancel tried). Each htmx swap leaves the focus somewhere useful, never on
<body>, and every control passed on the way shows its focus."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from core.models import Membership, Role
from decisions.models import Decision
from meetings.models import AgendaItem, Attendance, AttendanceStatus
from tests.factories import make_group, make_meeting, make_person, make_user

from . import axe
from .keyboard import choose, focused, follow, log_in, tab_to, visible_focus

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dag029():
    group = make_group("DAG", name="Design Advisory Group")
    make_user("secretariat", group=group, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    for name in ("Paul Pettitt", "Seth Chapman"):
        Membership.objects.create(group=group, person=make_person(name), role=Role.MEMBER)
    meeting = make_meeting(group, number=29, date=timezone.localdate())
    AgendaItem.objects.create(meeting=meeting, number="2", order=2, title="Minutes and Actions")
    return meeting


def test_the_secretariat_runs_a_meeting_with_the_keyboard_alone(page, dag029):
    log_in(page, "secretariat")
    follow(page, "Meetings")
    follow(page, "DAG029")
    follow(page, "Attendance")

    # The members in one step: the button stays, and the focus with it.
    tab_to(page, "Add the group's members as expected")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="members added")).to_be_visible()
    assert "Add the group's members" in focused(page)["text"]

    # A guest new to the tracker: the add form is redrawn, and the focus goes to the new
    # line (its Attendance radios) instead of falling to <body> with the old form.
    tab_to(page, lambda f: f["tag"] == "INPUT" and f["label"] == "Name")
    page.keyboard.type("Morven Hunter")
    tab_to(page, "Add guest")
    page.keyboard.press("Enter")
    expect(page.locator("legend", has_text="Morven Hunter")).to_be_visible()
    assert visible_focus(page)["legends"][:1] == ["Morven Hunter"]
    choose(page, "Present")

    # Shift+Tab back up the lines; Tab or Shift+Tab enters a line's radios on its checked
    # one, and the arrows choose.
    for name, wanted in (("Seth Chapman", "Apologies"), ("Paul Pettitt", "Present")):
        tab_to(
            page,
            lambda f, name=name: f["legends"][:1] == [name] and f["type"] == "radio",
            back=True,
        )
        choose(page, wanted)
    follow(page, "Save attendance")
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    statuses = dict(Attendance.objects.values_list("person__name", "status"))
    assert statuses["Paul Pettitt"] == AttendanceStatus.PRESENT
    assert statuses["Seth Chapman"] == AttendanceStatus.APOLOGIES
    assert statuses["Morven Hunter"] == AttendanceStatus.PRESENT

    # The minutes of item 2, saved by htmx: the focus stays on the Save button.
    follow(page, "Write minutes", back=True)
    tab_to(page, "Minutes of item 2")
    page.keyboard.type("The minutes of DAG028 were approved.")
    tab_to(page, "Save item 2")
    page.keyboard.press("Enter")
    item = page.locator("section.minutes-item", has_text="2. Minutes and Actions")
    expect(item.locator(".save-status")).to_contain_text("Saved at")
    assert focused(page)["text"].startswith("Save item 2")

    # Raise an action: the form comes in with the focus on its first field.
    tab_to(page, "Raise action under item 2")
    page.keyboard.press("Enter")
    expect(item.locator("form.inline-form")).to_be_visible()
    assert visible_focus(page)["label"].startswith("Action")
    page.keyboard.type("Programme to publish the design release plan")
    tab_to(page, "Owners")
    page.keyboard.type("Pett")
    expect(page.get_by_role("option", name="Paul Pettitt")).to_be_visible()
    page.keyboard.press("Enter")
    tab_to(page, "Raise an action")
    page.keyboard.press("Enter")
    # Refused without a due date: the form comes back with the focus on its summary of
    # what is wrong, read out first; the field is a Tab or two away.
    expect(item.locator(".inline-records__slot")).to_contain_text("Give a due date")
    assert visible_focus(page)["text"].startswith("There is a problem")
    tab_to(page, lambda f: f["tag"] == "INPUT" and f["label"].startswith("Due date"))
    page.keyboard.type(f"{timezone.localdate() + datetime.timedelta(days=28):%d/%m/%Y}")
    tab_to(page, "Raise an action")
    page.keyboard.press("Enter")
    expect(item.locator(".inline-records__slot")).to_contain_text("ACTION DAG29-01 raised.")
    # The form gave way to its message: the focus is on the message, not lost.
    assert "DAG29-01 raised" in visible_focus(page)["text"]

    # Record a decision the same way; Cancel gives the focus back to the link.
    tab_to(page, "Record decision under item 2")
    page.keyboard.press("Enter")
    expect(item.locator("form.inline-form")).to_be_visible()
    assert axe.violations(page) == []  # the inline form, which the crawl never opens
    tab_to(page, "Cancel")
    page.keyboard.press("Enter")
    expect(item.locator("form.inline-form")).to_have_count(0)
    assert visible_focus(page)["text"] == "Record decision under item 2"
    page.keyboard.press("Enter")
    expect(item.locator("form.inline-form")).to_be_visible()
    assert visible_focus(page)["label"].startswith("Decision")
    page.keyboard.type("Design release plan approved")
    tab_to(page, "Record a decision")
    page.keyboard.press("Enter")
    expect(item.locator(".inline-records__slot")).to_contain_text("DECISION DAG-DEC1")
    assert "DAG-DEC1" in visible_focus(page)["text"]
    expect(item.locator(".minutes-preview")).to_contain_text("ACTION DAG29-01:")

    action = Action.objects.get(reference="DAG29-01")
    assert list(action.owners.values_list("name", flat=True)) == ["Paul Pettitt"]
    assert Decision.objects.get(meeting=dag029).wording == "Design release plan approved"
    assert AgendaItem.objects.get(meeting=dag029).minutes == "The minutes of DAG028 were approved."
