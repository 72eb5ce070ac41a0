"""Issue 21 item 8: the chair approves a decision with the keyboard alone, in headless
Chromium: from the menu's "Chair's queue" to the decision's review, "Approve with amended
wording" chosen with the arrow keys, the wording rewritten and a comment typed, then sent
with Enter. Every control passed shows its focus."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from decisions.models import DecisionStatus
from decisions.services import decision_create
from tests.factories import make_group, make_meeting, make_user

from .keyboard import choose, follow, log_in, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROPOSED = "The SRO agreed CR032 should be issued to Impact Assessment"
AMENDED = "The SRO agreed CR032 should be issued to Impact Assessment, subject to amendments"


def test_the_chair_approves_a_decision_with_the_keyboard_alone(page):
    group = make_group("DAG")
    make_user("chair", group=group, role=Role.CHAIR, person_name="Justin Andrews")
    decision = decision_create(group=group, wording=PROPOSED, meeting=make_meeting(group, 29))
    assert decision.status == DecisionStatus.PROPOSED

    log_in(page, "chair")
    follow(page, "Chair's queue")
    follow(page, f"Review {decision.reference}")

    tab_to(page, lambda f: f["type"] == "radio")
    choose(page, "Approve with amended wording")
    tab_to(page, "Amended wording")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(AMENDED)
    tab_to(page, "Comment")
    page.keyboard.type("Wording as agreed in the meeting.")
    follow(page, "Record my decision")
    expect(page.get_by_text(f"{decision.reference} approved with amended wording.")).to_be_visible()

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    assert (decision.wording, decision.proposed_wording) == (AMENDED, PROPOSED)
    assert decision.approval_comment == "Wording as agreed in the meeting."
