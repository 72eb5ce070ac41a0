"""The chair clears the queue in headless Chromium: the secretariat records a proposed
decision under an agenda item and opens a correspondence round for a meeting's minutes;
a member answers through the emailed link without logging in; the chair logs in, sees
everything in the queue, amends and approves the decision, approves the previous
meeting's minutes and concludes the round; the decision log shows the approved words with
the chair's name and time."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Role
from decisions.models import Decision, DecisionStatus
from meetings.models import AgendaItem, MeetingStatus
from notifications import outbox
from notifications.models import EmailKind, OutboundEmail
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_group, make_meeting, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROPOSED = "The SRO agreed CR032 should be issued to Impact Assessment"
AMENDED = (
    "The SRO agreed CR032 (Change to Interface IF-165 P0210 TUoS Reporting) should be issued "
    "to Impact Assessment, subject to amendments to be undertaken by the Change Raiser"
)


@pytest.fixture
def dag(monkeypatch):
    """DAG with its secretariat, chair and a member; DAG029 being minuted; the minutes of
    DAG027 and DAG028 issued and awaiting approval."""
    # Round emails stay in the outbox, where the test reads the member's link: no broker.
    monkeypatch.setattr(outbox.send_outbound_email, "delay", lambda pk: None)
    group = make_group("DAG", name="Design Advisory Group")
    make_user("pmo", group=group, role=Role.SECRETARIAT, person_name="Pat Morgan")
    make_user("chair", group=group, role=Role.CHAIR, person_name="Ian Smith")
    make_user("alice", group=group, role=Role.MEMBER, person_name="Alice Ames")
    for number, day in ((27, datetime.date(2023, 8, 9)), (28, datetime.date(2023, 9, 13))):
        make_meeting(group, number=number, date=day, status=MeetingStatus.MINUTES_ISSUED)
    dag029 = make_meeting(group, number=29, status=MeetingStatus.MINUTES_DRAFT)
    AgendaItem.objects.create(
        meeting=dag029, number="4", order=4, title="CR032 Impact Assessment", item_type="decision"
    )
    return dag029


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_the_chair_clears_the_queue(page, browser, live_server, login, screenshot, request, dag):
    # The secretariat records a proposed decision under item 4 while writing the minutes.
    login("pmo")
    page.goto(f"/meetings/{dag.pk}/minutes/write/")
    page.get_by_role("link", name="Record decision under item 4").click()
    page.get_by_label("Decision", exact=True).fill(PROPOSED)
    expect(page.get_by_label("Area")).to_have_value("CR032 Impact Assessment")
    page.get_by_role("button", name="Record a decision").click()
    expect(
        page.get_by_text("DECISION DAG-DEC1 recorded, awaiting the chair's approval.")
    ).to_be_visible()
    screenshot("recorded")

    # ... and sends DAG027's minutes round for approval by correspondence.
    page.goto("/decisions/correspondence/")
    page.get_by_role("link", name="DAG", exact=True).click()
    page.get_by_label("Title").fill("DAG027 minutes")
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Respond by").fill(f"{deadline:%d/%m/%Y}")
    minutes = page.get_by_role("group", name="Minutes awaiting approval")
    minutes.get_by_label("DAG027, held 09/08/2023").check()
    page.get_by_role("button", name="Open round and email members").click()
    expect(page.get_by_text("Round opened: 1 members asked to respond by")).to_be_visible()
    round_url = page.url
    log_out(page)

    # The member answers through the emailed link, without logging in.
    email = OutboundEmail.objects.get(kind=EmailKind.CORRESPONDENCE, to_address="alice@example.org")
    link = re.search(r"http\S+/decisions/correspondence/respond/\S+/", email.body_text).group()
    member = browser.new_context(base_url=live_server.url, locale="en-GB")
    member_page = member.new_page()
    member_page.goto(link.split("127.0.0.1:8000", 1)[-1])
    member_page.get_by_role("radio", name="Approve").check()
    member_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-respond.png"), full_page=True)
    member_page.get_by_role("button", name="Send my response").click()
    expect(member_page.get_by_role("heading", name="Your response is recorded")).to_be_visible()
    member.close()

    # The chair logs in: three things wait in the queue.
    login("chair")
    queue_link = page.get_by_role("link", name=re.compile(r"Chair's queue"))
    expect(queue_link).to_contain_text("3")
    queue_link.click()
    row = page.get_by_role("row").filter(has_text="DAG-DEC1")
    expect(row).to_contain_text(PROPOSED)
    screenshot("queue")

    # Amend and approve the decision.
    page.get_by_role("link", name="Review DAG-DEC1").click()
    page.get_by_label("Approve with amended wording").check()
    page.get_by_role("textbox", name="Amended wording").fill(AMENDED)
    page.get_by_label("Comment (optional)").fill("Wording as agreed in the meeting.")
    screenshot("approve")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("DAG-DEC1 approved with amended wording.")).to_be_visible()

    # Approve DAG028's minutes, as amended.
    page.get_by_role("link", name="Approve minutes of DAG028").click()
    page.get_by_label("The minutes were change marked").check()
    page.get_by_role("button", name="Approve minutes").click()
    expect(page.get_by_text("Minutes of DAG028 approved: DAG-DEC3.")).to_be_visible()

    # Conclude the round: Alice's answer is there.
    page.get_by_role("link", name="DAG027 minutes").click()
    assert page.url == round_url
    expect(page.get_by_role("region", name="Responses", exact=True)).to_contain_text("Alice Ames")
    page.get_by_role("radio", name="Approve").check()
    screenshot("round")
    page.get_by_role("button", name="Conclude round").click()
    expect(page.get_by_text("Round concluded")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"Chair's queue")).click()
    expect(page.get_by_role("link", name=re.compile(r"Chair's queue"))).to_contain_text("0")
    expect(page.get_by_text("No proposed decisions are waiting for you.")).to_be_visible()
    expect(page.get_by_text("No issued minutes are waiting for approval.")).to_be_visible()
    expect(page.get_by_text("No correspondence rounds are open.")).to_be_visible()
    screenshot("queue-cleared")

    # The decision log: the approved words, by whom and when.
    approved = Decision.objects.get(reference="DAG-DEC1")
    assert approved.status == DecisionStatus.APPROVED
    assert (approved.wording, approved.proposed_wording) == (AMENDED, PROPOSED)
    when = timezone.localtime(approved.decided_at)
    page.get_by_role("link", name="Decisions", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="DAG-DEC1"))
    expect(row).to_contain_text(AMENDED)
    expect(row).to_contain_text(f"Ian Smith, {when:%d/%m/%Y %H:%M}")
    minutes_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="DAG-DEC3"))
    expect(minutes_row).to_contain_text(
        "Headline Report and change marked Minutes of DAG meeting held 13 September 2023 approved"
    )
    round_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="DAG-DEC2"))
    expect(round_row).to_contain_text("By correspondence")
    screenshot("decision-log")

    # The decision page keeps both wordings.
    page.get_by_role("link", name="DAG-DEC1").click()
    expect(page.get_by_text("Wording as proposed")).to_be_visible()
    expect(page.locator("blockquote").filter(has_text=PROPOSED)).to_have_text(PROPOSED)
    screenshot("decision")
