"""Type-ahead person pickers in headless Chromium (issue 24): on the attendance page the
secretariat types a name, chooses with the keyboard, adds two people one after the other
without a console error (the second used to raise htmx's oobErrorNoTarget), and offers a
name nobody has to the guest form; on the correction page owners are added and removed."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from core.models import Membership, Role
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dag_meeting():
    dag = make_group("DAG")
    make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    for name in ["Seth Chapman", "Sean Cooper", "Justin Andrews"]:
        Membership.objects.create(group=dag, person=make_person(name), role=Role.MEMBER)
    make_person("Morven Hunter")  # in the tracker, not a member of DAG
    return make_meeting(dag, number=40, date=datetime.date.today() + datetime.timedelta(days=7))


def test_attendance_picker_adds_people_by_typing(page, login, dag_meeting):
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login("pmo")
    page.goto(f"/meetings/{dag_meeting.pk}/attendance/")

    person = page.get_by_role("combobox", name="Person")
    person.click()
    listbox = page.get_by_role("listbox", name="Suggestions")
    # Members first; the others on request.
    expect(listbox.get_by_role("option", name="Seth Chapman")).to_be_visible()
    expect(listbox.get_by_role("option", name="Morven Hunter")).to_have_count(0)
    listbox.get_by_role("option", name=re.compile(r"^Show everyone \(\d+ more\)")).click()
    expect(listbox.get_by_role("option", name="Morven Hunter")).to_be_visible()

    person.fill("sea")
    expect(person).to_have_attribute("aria-expanded", "true")
    person.press("Enter")  # the first match is active
    expect(person).to_have_value("Sean Cooper")
    page.get_by_role("button", name="Add to the meeting").click()
    expect(page.locator("legend.attendance-line__name", has_text="Sean Cooper")).to_be_visible()

    # The add form came back redrawn: its select is the combobox until picker.js hides
    # it behind the type-ahead, so wait for that before typing.
    expect(page.locator("#add_person")).to_be_hidden()
    person = page.get_by_role("combobox", name="Person")
    person.fill("Seth")
    page.get_by_role("listbox", name="Suggestions").get_by_role(
        "option", name="Seth Chapman"
    ).click()
    page.get_by_role("button", name="Add to the meeting").click()
    expect(page.locator("legend.attendance-line__name", has_text="Seth Chapman")).to_be_visible()
    initials = page.locator("fieldset.attendance-line").get_by_label("Initials")
    expect(initials.nth(0)).to_have_value("SC")
    expect(initials.nth(1)).to_have_value("SCh")  # never the same as another line's

    expect(page.locator("#add_person")).to_be_hidden()
    person = page.get_by_role("combobox", name="Person")
    person.fill("Zed Newcomer")
    page.get_by_role("listbox", name="Suggestions").get_by_role(
        "option", name="Add “Zed Newcomer” as a new person"
    ).click()
    expect(page.locator("#guest-form").get_by_label("Name")).to_have_value("Zed Newcomer")
    expect(page.locator("#guest-form").get_by_label("Name")).to_be_focused()
    assert errors == []


def test_correcting_owners_by_typing(page, login, dag_meeting):
    held = make_meeting(dag_meeting.group, number=39, date=datetime.date.today())
    action = make_action(held, reference="DAG39-01", owners=[])
    login("pmo")
    page.goto(f"/actions/{action.reference}/correct/")
    owners = page.get_by_role("combobox", name="Named owners")
    owners.fill("just")
    owners.press("Enter")
    owners.fill("seth")
    owners.press("Enter")
    page.get_by_role("button", name="Remove Justin Andrews").click()
    page.get_by_label("Why the correction").fill("Owner mistyped")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Seth Chapman").first).to_be_visible()
    names = list(Action.objects.get(pk=action.pk).owners.values_list("name", flat=True))
    assert names == ["Seth Chapman"]
