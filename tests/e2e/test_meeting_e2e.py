"""The secretariat logs a whole meeting in headless Chromium, from an empty meeting to
issued minutes: schedule DAG029, record attendance (apologies, a deputy on behalf of a
member, a guest added in place, the "SC" initials clash), build the agenda, write the
minutes of two items with htmx saves, raise two actions and a decision inline, review an
action of DAG028, issue the minutes; then the minutes page is read against the DAG029
paper, and a member finds it read-only. Screenshots of each page go to test-artifacts/.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action, ActionStatus
from core.models import Membership, Organisation, Person, Role
from core.workdays import add_working_days
from decisions.models import Decision, DecisionStatus
from meetings.models import Meeting, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DAG029_DATE = datetime.date(2023, 10, 11)


def member(group, name, constituency="", role=Role.MEMBER, organisation=None):
    person = make_person(name, organisation=organisation)
    Membership.objects.create(group=group, person=person, role=role, constituency=constituency)
    return person


@pytest.fixture
def dag():
    """The DAG as the DAG029 paper has it (a few of its people), and DAG028 with an
    action still open."""
    group = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
    make_user("secretariat", group=group, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    make_user("chair", group=group, role=Role.CHAIR, person_name="Justin Andrews")
    mhhs = Organisation.objects.create(name="MHHS")
    paul = make_user("member", group=group, role=Role.MEMBER, person_name="Paul Pettitt").person
    Person.objects.filter(pk=paul.pk).update(organisation=mhhs)
    Membership.objects.filter(person=paul).update(constituency="Design Lead")
    member(group, "Seth Chapman", "Supplier Agent Representative")
    member(group, "Sean Cooper", "Design Team", organisation=mhhs)
    member(group, "Caroline Farquhar", "Consumer Representative")
    member(group, "Donna Jamieson", "iDNO Representative")
    member(group, "Danielle Walton", "Ofgem", role=Role.OBSERVER)
    dag028 = make_meeting(group, number=28, date=datetime.date(2023, 9, 13))
    make_action(
        dag028,
        reference="DAG28-04",
        text="Programme to raise Design Issue Notifications for CR024 and CR025",
        area="CR024 and CR025",
        owner_party="Programme",
        due_date=DAG029_DATE,
    )
    return group


def test_secretariat_logs_dag029_from_empty_meeting_to_issued_minutes(dag, page, login, screenshot):
    login("secretariat")

    # 1. Schedule DAG029 from the group page: the number after DAG028 is suggested.
    page.goto("/groups/DAG/")
    page.get_by_role("link", name="Schedule the next meeting").click()
    expect(page.get_by_label("Number")).to_have_value("29")
    page.get_by_label("Date", exact=True).fill("2023-10-11")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("13:00")
    expect(page.get_by_label("Venue")).to_have_value("Virtual – MS Teams")
    page.get_by_label("Classification").select_option(label="Public")
    screenshot("schedule")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DAG029")
    meeting = Meeting.objects.get(group=dag, number=29)

    # The date of the next meeting, which inline actions fall due at.
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Next meeting date").fill("2023-11-08")
    page.get_by_label("Next meeting time").fill("10:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("DAG029 saved.")).to_be_visible()

    # 2. Agenda: three items, the last moved up, two renumbered.
    page.get_by_role("link", name="Agenda", exact=True).click()
    for title, minutes in [
        ("Welcome and Introductions", "5"),
        ("CR032 Impact Assessment", "30"),
        ("Minutes and Actions", "10"),
    ]:
        page.get_by_label("Title").fill(title)
        page.get_by_label("Time (minutes)").fill(minutes)
        page.get_by_role("button", name="Add item").click()
        expect(page.get_by_role("cell", name=title)).to_be_visible()
    page.get_by_role("button", name="Move up item 3").click()
    rows = page.locator("#agenda-table tbody tr")
    expect(rows.nth(1)).to_contain_text("Minutes and Actions")
    expect(rows.nth(1)).to_contain_text("10:05")
    # Moving keeps the numbers typed; the secretariat renumbers as the paper reads.
    for old_number, new_number in [("2", "4"), ("3", "2")]:
        page.get_by_role("link", name=f"Edit item {old_number}").click()
        page.get_by_label("Number").fill(new_number)
        page.get_by_role("button", name="Save item").click()
        expect(page.get_by_text(f"Item {new_number} saved.")).to_be_visible()
    expect(rows.nth(1).get_by_role("cell").first).to_have_text("2")
    expect(rows.nth(2).get_by_role("cell").first).to_have_text("4")
    screenshot("agenda")

    # 3. Attendance: the members in one click, then who came.
    def line(name):
        return page.locator("fieldset.attendance-line").filter(
            has=page.locator("legend.attendance-line__name", has_text=name)
        )

    page.get_by_role("link", name="Attendance", exact=True).click()
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name="Add the group's members as expected").click()
    expect(page.get_by_role("status").filter(has_text="members added")).to_be_visible()
    # Suggested initials never clash: Sean Cooper is "SCo" beside Seth Chapman's "SC".
    expect(line("Sean Cooper").get_by_label("Initials")).to_have_value("SCo")
    expect(page.locator("#clashes")).not_to_contain_text("SC:")

    # A guest new to the tracker, added without leaving the page.
    guest = page.locator("#guest-form")
    guest.get_by_label("Name").fill("Morven Hunter")
    guest.get_by_label("Organisation").fill("Electricity North West")
    guest.get_by_label("Section").select_option(label="Industry Representatives")
    guest.get_by_label("Role in the minutes").fill("iDNO Representative")
    guest.get_by_role("button", name="Add guest").click()
    morven = line("Morven Hunter")
    expect(morven).to_be_visible()
    assert page.evaluate("window.sameDocument") is True

    for name in ["Justin Andrews", "Fraser Mathieson", "Paul Pettitt", "Seth Chapman"]:
        line(name).get_by_label("Present").check()
    line("Sean Cooper").get_by_label("Present").check()
    line("Sean Cooper").get_by_label("Part meeting").check()
    line("Danielle Walton").get_by_label("Present").check()
    line("Caroline Farquhar").get_by_label("Apologies").check()
    line("Donna Jamieson").get_by_label("Apologies").check()
    line("Donna Jamieson").get_by_label("Remove from the list").check()
    morven.get_by_label("Present").check()
    morven.get_by_label("Initials").fill("MHu")
    morven.get_by_label("On behalf of").select_option(label="Donna Jamieson")
    line("Sean Cooper").get_by_label("Initials").fill("SC")  # as the DAG029 paper prints
    screenshot("attendance-typed")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    expect(line("Seth Chapman").locator(".flag")).to_contain_text("Also used by Sean Cooper")
    expect(line("Donna Jamieson")).to_have_count(0)
    screenshot("attendance")

    # 4. Minutes of two items, saved with htmx: the page is never reloaded.
    page.get_by_role("link", name="Write minutes").click()
    page.evaluate("window.sameDocument = true")
    welcome = page.locator("section.minutes-item", has_text="1. Welcome and Introductions")
    welcome.get_by_label("Minutes of item 1").fill(
        "The Chair welcomed attendees and gave an overview of the **agenda**."
    )
    welcome.get_by_role("button", name="Save item 1").click()
    expect(welcome.locator(".save-status")).to_contain_text("Saved at")
    expect(welcome.locator(".minutes-preview strong")).to_have_text("agenda")

    actions_item = page.locator("section.minutes-item", has_text="2. Minutes and Actions")
    actions_item.get_by_label("Minutes of item 2").fill(
        "The minutes of DAG028 were approved.\n\n"
        "The DAG reviewed DAG28-04 and the other open actions.\n\n"
        "<script>alert('x')</script>"
    )
    actions_item.get_by_role("button", name="Save item 2").click()
    expect(actions_item.locator(".save-status")).to_contain_text("Saved at")
    preview = actions_item.locator(".minutes-preview")
    expect(preview.get_by_role("link", name="DAG28-04")).to_be_visible()
    expect(preview.locator("script")).to_have_count(0)

    # Two actions and a decision raised inline under item 2, in the page.
    slot = actions_item.locator(".inline-records__slot")
    actions_item.get_by_role("link", name="Raise action under item 2").click()
    form = actions_item.locator("form.inline-form")
    expect(form.get_by_label("Due date")).to_have_value("08/11/2023")
    form.get_by_label("Action", exact=True).fill(
        "Programme to consider regular updates to DAG on design and testing releases"
    )
    form.get_by_role("combobox", name="Owners").fill("Pettitt")
    form.get_by_role("option", name="Paul Pettitt").click()
    form.get_by_label("Owning party").fill("Programme")
    form.get_by_role("button", name="Raise an action").click()
    expect(slot).to_contain_text("ACTION DAG29-01 raised.")
    expect(preview).to_contain_text("ACTION DAG29-01:")

    actions_item.get_by_role("link", name="Raise action under item 2").click()
    form = actions_item.locator("form.inline-form")
    form.get_by_label("Action", exact=True).fill("Programme to provide the RAID form link")
    form.get_by_label("Owning party").fill("Programme (PMO)")
    form.get_by_label("ASAP").check()
    form.get_by_role("button", name="Raise an action").click()
    expect(slot).to_contain_text("ACTION DAG29-02 raised.")

    actions_item.get_by_role("link", name="Record decision under item 2").click()
    form = actions_item.locator("form.inline-form")
    form.get_by_label("Decision", exact=True).fill(
        "Headline Report and Minutes of DAG meeting held 13 September 2023 approved"
    )
    form.get_by_role("button", name="Record a decision").click()
    expect(slot).to_contain_text("awaiting the chair's approval")
    expect(preview).to_contain_text("ACTION DAG29-02:")
    expect(preview).to_contain_text("DECISION DAG-DEC1:")
    assert page.evaluate("window.sameDocument") is True
    screenshot("write-minutes")

    # 5. Review of open actions, by keyboard only: status, update, submit.
    page.get_by_role("link", name="Review of actions").click()
    row = page.locator("article.review-row", has_text="DAG28-04")
    expect(row).to_be_visible()
    status = row.get_by_label("New status of DAG28-04")
    status.focus()
    page.keyboard.type("ONGOING")  # the select's type-ahead, as a keyboard user picks
    expect(status).to_have_value("ongoing")
    page.keyboard.press("Tab")
    expect(row.get_by_label("Update on DAG28-04")).to_be_focused()
    page.keyboard.type("DINs 685 and 686 raised; kept open until the CRs are implemented.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Record updates")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 update recorded.")).to_be_visible()
    screenshot("review")

    # 6. Issue the minutes: issue date set, deadline shown as missed (issued long after).
    page.get_by_role("link", name="Minutes", exact=True).click()
    deadline = add_working_days(DAG029_DATE, 10)
    expect(page.locator(".minutes-controls")).to_contain_text(f"{deadline:%d/%m/%Y}")
    # The decision raised above still awaits the chair: issuing asks to confirm.
    page.get_by_label("Issue the minutes with decisions awaiting approval").check()
    page.get_by_role("button", name="Issue minutes").click()
    today = timezone.localdate()
    expect(page.get_by_text(f"Minutes of DAG029 issued on {today:%d/%m/%Y}")).to_be_visible()
    expect(page.locator(".minutes-controls")).to_contain_text("Published late")
    screenshot("minutes-issued")

    # 7. The minutes page reads like the paper, everything in its place.
    paper = page.locator("article.paper")
    box = paper.locator("table.paper__box")
    for text in ["DAG029", "Virtual – MS Teams", "11 October 2023 1000-1300", "Public"]:
        expect(box).to_contain_text(text)
    expect(paper.locator(".paper__issue")).to_contain_text(f"{today:%d/%m/%Y}")

    attendees = paper.locator("table.attendees")
    sections = attendees.locator("tbody")
    expect(sections.nth(0)).to_contain_text("Chair")
    expect(sections.nth(0)).to_contain_text("Justin Andrews")
    industry = attendees.locator("tbody", has_text="Industry Representatives")
    morven_row = industry.get_by_role("row", name="Morven Hunter")
    expect(morven_row).to_contain_text("Morven Hunter (MHu) (on behalf of Donna Jamieson)")
    expect(morven_row).to_contain_text("iDNO Representative")
    expect(industry).to_contain_text("Seth Chapman (SC)")
    mhhs = attendees.locator("tbody", has_text="MHHS")
    expect(mhhs).to_contain_text("Sean Cooper (SC) (part meeting)")
    others = attendees.locator("tbody", has_text="Other Attendees")
    expect(others).to_contain_text("Danielle Walton")
    apologies = attendees.locator("tbody", has_text="Apologies")
    expect(apologies).to_contain_text("Caroline Farquhar")
    expect(apologies).not_to_contain_text("Seth Chapman")
    expect(attendees).not_to_contain_text("Donna Jamieson (")

    actions_table = paper.get_by_role("region", name="New and outstanding actions")
    groups = actions_table.locator("tbody")
    expect(groups.nth(0)).to_contain_text("Minutes and Actions")
    expect(groups.nth(0)).to_contain_text("DAG29-01")
    expect(groups.nth(0)).to_contain_text("Programme (Paul Pettitt)")
    expect(groups.nth(0)).to_contain_text("08/11/2023")
    expect(groups.nth(0)).to_contain_text("DAG29-02")
    expect(groups.nth(0)).to_contain_text("ASAP")
    expect(groups.last).to_contain_text("Previous Meeting(s)")
    expect(groups.last).to_contain_text("DAG28-04")

    decisions = paper.get_by_role("region", name="Decisions")
    expect(decisions).to_contain_text("DAG-DEC1")
    expect(decisions).to_contain_text("Awaiting approval")

    reviewed = paper.locator("#reviewed-actions")
    expect(reviewed).to_contain_text("DAG28-04")
    expect(reviewed).to_contain_text("ONGOING")
    expect(reviewed).to_contain_text("DINs 685 and 686 raised")

    items = paper.locator("section.paper__item")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("1. Welcome and Introductions")
    expect(items.nth(0)).to_contain_text("overview of the agenda")
    expect(items.nth(1)).to_contain_text("2. Minutes and Actions")
    expect(items.nth(1).get_by_role("link", name="DAG28-04")).to_be_visible()
    for line in ["ACTION DAG29-01:", "ACTION DAG29-02:", "DECISION DAG-DEC1:"]:
        expect(items.nth(1).locator(".minutes-record", has_text=line)).to_be_visible()
        expect(items.nth(0)).not_to_contain_text(line)
    # The typed <script> is shown as text, never run.
    expect(paper.locator("script")).to_have_count(0)
    expect(items.nth(2)).to_contain_text("4. CR032 Impact Assessment")
    expect(paper).to_contain_text("08 November 2023 10am")
    screenshot("minutes")
    page.get_by_role("link", name="Overview").click()
    expect(page.locator("table.attendees")).to_contain_text("Morven Hunter (MHu)")
    screenshot("overview")

    # The records are in the database as the page says.
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_ISSUED and meeting.minutes_issue_date == today
    assert list(Action.objects.filter(meeting=meeting).values_list("reference", flat=True)) == [
        "DAG29-01",
        "DAG29-02",
    ]
    assert Decision.objects.get(meeting=meeting).status == DecisionStatus.PROPOSED
    assert Action.objects.get(reference="DAG28-04").status == ActionStatus.ONGOING

    # Issued minutes are locked: the editing pages send the secretariat back.
    page.goto(f"/meetings/{meeting.pk}/minutes/write/")
    expect(page.get_by_text("have been issued, so they are read-only")).to_be_visible()
    expect(page.get_by_role("link", name="Write minutes")).to_have_count(0)

    # 8. A member reads the minutes and cannot change them.
    page.context.clear_cookies()
    login("member")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    expect(page.locator("article.paper")).to_contain_text("DAG29-01")
    expect(page.get_by_role("button", name="Issue minutes")).to_have_count(0)
    expect(page.get_by_role("link", name="Reopen the minutes")).to_have_count(0)
    for tab in ["Attendance", "Agenda", "Write minutes"]:
        expect(page.get_by_role("link", name=tab, exact=True)).to_have_count(0)
    screenshot("member-minutes")
    for path in ["minutes/write/", "attendance/", "agenda/", "minutes/reopen/"]:
        response = page.goto(f"/meetings/{meeting.pk}/{path}")
        assert response.status == 403, path
