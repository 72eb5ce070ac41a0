"""Adding someone new to the tracker from a person picker, in headless Chromium (issue 24,
item 4): on the minutes page the secretariat raises an action whose owner is nobody in the
tracker yet; the picker offers "Add … as a new person", its form opens in place with the
initials suggested, a name already in the tracker is refused at the field, and the person
saved becomes the action's owner. No console error under the Content Security Policy. On a
change request, someone added as the raiser can be chosen as its owner straight away."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from core.models import Membership, Organisation, Person, Role
from meetings.models import AgendaItem
from tests.factories import make_group, make_meeting, make_person, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def item():
    dag = make_group("DAG")
    make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    Membership.objects.create(group=dag, person=make_person("Seth Chapman"), role=Role.MEMBER)
    make_person("Morven Hunter", organisation=Organisation.objects.create(name="Elexon"))
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    return AgendaItem.objects.create(meeting=meeting, number="2", title="Minutes and Actions")


def test_raising_an_action_for_an_owner_new_to_the_tracker(page, login, item, screenshot):
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login("pmo")
    page.goto(f"/meetings/{item.meeting_id}/minutes/write/")
    section = page.locator("section.minutes-item", has_text="2. Minutes and Actions")
    section.get_by_role("link", name="Raise action under item 2").click()
    form = section.locator("form.inline-form")
    form.get_by_label("Action", exact=True).fill("Elexon to share the settlement timetable")
    expect(form.get_by_role("link", name="Someone new? Add a person to the tracker")).to_be_hidden()

    owners = form.get_by_role("combobox", name="Owners")
    owners.fill("morven hunter")  # already in the tracker: chosen, not added
    listbox = form.get_by_role("listbox", name="Suggestions")
    expect(listbox.get_by_role("option", name="Show everyone (1 more)")).to_be_visible()
    expect(listbox.get_by_role("option", name="Add “morven hunter” as a new person")).to_have_count(
        0
    )

    owners.fill("Zara Quinn")
    listbox.get_by_role("option", name="Add “Zara Quinn” as a new person").click()
    dialog = page.get_by_role("dialog", name="Add a person to the tracker")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Name")).to_have_value("Zara Quinn")
    expect(dialog.get_by_label("Initials")).to_have_value("ZQ")

    # A name already in the tracker is refused at the field, naming who has it.
    dialog.get_by_label("Name").fill("MORVEN HUNTER")
    expect(dialog.get_by_label("Initials")).to_have_value("MH")  # follows the name
    dialog.get_by_role("button", name="Add the person").click()
    expect(dialog.locator("#new_person_name_error")).to_have_text(
        "Morven Hunter (Elexon) is already in the tracker: choose them from the list."
    )

    dialog.get_by_label("Name").fill("Zara Quinn")
    dialog.get_by_label("Organisation").fill("Elexon")
    expect(dialog.get_by_label("Initials")).to_have_value("ZQ")
    screenshot("dialog")
    dialog.get_by_role("button", name="Add the person").click()
    expect(dialog).to_be_hidden()
    expect(form.locator(".picker__chosen")).to_contain_text("Zara Quinn")

    form.get_by_label("Owning party").fill("Elexon")
    form.get_by_label("Due date").fill("2023-11-08")
    form.get_by_role("button", name="Raise an action").click()
    expect(section.locator(".inline-records__slot")).to_contain_text("ACTION DAG29-01 raised.")
    screenshot("raised")

    zara = Person.objects.get(name="Zara Quinn")
    assert zara.organisation.name == "Elexon"
    assert zara.initials == "ZQ"
    assert zara.history.get().history_user.username == "pmo"
    action = Action.objects.get(reference="DAG29-01")
    assert list(action.owners.all()) == [zara]
    assert errors == []


def test_someone_added_as_raiser_can_be_chosen_as_owner(page, login, item):
    login("pmo")
    page.goto("/change-requests/new/")
    raiser = page.get_by_role("combobox", name="Change raiser (optional)")
    raiser.fill("Zara Quinn")
    page.get_by_role("option", name="Add “Zara Quinn” as a new person").click()
    dialog = page.get_by_role("dialog", name="Add a person to the tracker")
    dialog.get_by_role("button", name="Add the person").click()
    expect(dialog).to_be_hidden()
    expect(raiser).to_have_value("Zara Quinn")

    owner = page.get_by_role("combobox", name=re.compile(r"^Change owner"))
    owner.fill("zara")
    page.get_by_role("option", name="Zara Quinn").click()
    expect(owner).to_have_value("Zara Quinn")
    zara = Person.objects.get(name="Zara Quinn")
    assert page.locator("select#id_change_owner").input_value() == str(zara.pk)
