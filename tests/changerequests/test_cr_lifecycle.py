"""Change control: the transition table, what each move records, the impact-assessment
deadline in UK working days, and the approval status that always matches the stage."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from changerequests.models import (
    ALL_MOVES,
    MOVES,
    STAGE_APPROVAL_STATUS,
    ApprovalStatus,
    ChangeRequest,
    Stage,
)
from changerequests.services import change_request_create, change_request_move
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 12)


def at_stage(stage, **fields):
    return change_request_create(title="A change", stage=stage, **fields)


def do(cr, move, date=TODAY, today=TODAY, **fields):
    return change_request_move(
        change_request=cr, move=move, date=date, by=None, reason="Why", today=today, **fields
    )


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("move", ALL_MOVES, ids=lambda move: move.name)
def test_transition_table(stage, move):
    cr = at_stage(stage)
    if move in MOVES.get(stage, ()):
        do(cr, move.name)
        cr.refresh_from_db()
        assert cr.stage == move.to_stage
        assert cr.approval_status == STAGE_APPROVAL_STATUS[move.to_stage]
        assert cr.transitions.get().from_stage == stage
    else:
        with pytest.raises(ValidationError, match="is not an allowed move from stage"):
            do(cr, move.name)
        cr.refresh_from_db()
        assert (cr.stage, cr.transitions.count()) == (stage, 0)


def test_the_lifecycle_of_the_papers():
    """Raised -> impact assessment -> approval decision -> implementation -> complete."""
    cr = change_request_create(title="A change", decision_body="DAG")
    for name, stage in [
        ("start_ia", Stage.IMPACT_ASSESSMENT),
        ("to_decision", Stage.APPROVAL_DECISION),
        ("approve", Stage.IMPLEMENTATION),
        ("complete", Stage.COMPLETE),
    ]:
        do(cr, name)
        assert cr.stage == stage
    assert cr.approval_status == ApprovalStatus.APPROVED
    assert [t.to_stage for t in cr.transitions.all()] == [
        Stage.IMPACT_ASSESSMENT,
        Stage.APPROVAL_DECISION,
        Stage.IMPLEMENTATION,
        Stage.COMPLETE,
    ]
    assert MOVES.get(Stage.COMPLETE) is None  # final


def test_rejection_closes_and_withdrawal_withdraws():
    rejected = at_stage(Stage.APPROVAL_DECISION, decision_body="PSG")
    withdrawn = at_stage(Stage.IMPACT_ASSESSMENT)

    do(rejected, "reject", date=datetime.date(2024, 6, 4))
    do(withdrawn, "withdraw")

    assert (rejected.stage, rejected.approval_status) == (Stage.CLOSED, ApprovalStatus.REJECTED)
    assert rejected.latest_action == "Rejected by PSG (04/06/2024)"
    assert (withdrawn.stage, withdrawn.approval_status) == (Stage.WITHDRAWN, "withdrawn")
    assert withdrawn.latest_action == "Withdrawn by Change Raiser"


def test_latest_action_wording_and_who_moved_it():
    secretariat = make_user("secretariat")
    cr = at_stage(Stage.APPROVAL_DECISION, decision_body="DAG")

    change_request_move(
        change_request=cr,
        move="approve",
        date=datetime.date(2024, 3, 13),
        by=secretariat,
        reason="Approved at DAG",
        today=TODAY,
    )

    assert cr.latest_action == "Approved by DAG (13/03/2024)"
    assert cr.status_updated == datetime.date(2024, 3, 13)
    transition = cr.transitions.get()
    assert (transition.by, transition.reason) == (secretariat, "Approved at DAG")

    do(cr, "complete", latest_action="Implemented in IR8.1")
    assert cr.latest_action == "Implemented in IR8.1"


@pytest.mark.parametrize(
    ("body", "move", "wording"),
    [
        ("ofgem", "to_decision", "Awaiting Ofgem approval decision"),
        ("PSG", "to_decision", "Awaiting PSG approval decision"),
        ("", "to_decision", "Awaiting approval decision"),
        ("change_board", "approve", "Approved by Change Board (12/06/2024)"),
        ("", "approve", "Approved (12/06/2024)"),
        ("", "reject", "Rejected (12/06/2024)"),
    ],
)
def test_standard_latest_action_wording_reads_like_the_papers(body, move, wording):
    stage = Stage.IMPACT_ASSESSMENT if move == "to_decision" else Stage.APPROVAL_DECISION
    cr = at_stage(stage, decision_body=body)

    do(cr, move)

    assert cr.latest_action == wording


def test_impact_assessment_deadline_skips_weekends_and_bank_holidays():
    cr = at_stage(Stage.RAISED)

    # Friday 20 December 2024: Christmas, Boxing Day and New Year's Day are not counted.
    do(cr, "start_ia", date=datetime.date(2024, 12, 20), today=datetime.date(2025, 1, 6))

    assert cr.ia_deadline == datetime.date(2025, 1, 8)
    assert cr.ia_days_left(datetime.date(2025, 1, 6)) == 2
    assert cr.ia_days_left(datetime.date(2025, 1, 10)) == -2
    assert "responses due 08/01/2025" in cr.latest_action


def test_returning_to_impact_assessment_resets_the_deadline():
    cr = at_stage(Stage.APPROVAL_DECISION, ia_deadline=datetime.date(2024, 5, 29))

    do(cr, "return_to_ia", date=datetime.date(2024, 6, 3), ia_working_days=5)

    assert cr.ia_deadline == datetime.date(2024, 6, 10)
    assert cr.ia_working_days == 5


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (TODAY + datetime.timedelta(days=1), "future date"),
        (datetime.date(2024, 5, 31), "previous move was on 03/06/2024"),
    ],
)
def test_moves_out_of_date_order_are_refused(date, message):
    cr = at_stage(Stage.RAISED, date_raised=datetime.date(2024, 5, 1))
    do(cr, "start_ia", date=datetime.date(2024, 6, 3))

    with pytest.raises(ValidationError, match=message):
        do(cr, "to_decision", date=date)
    cr.refresh_from_db()
    assert cr.stage == Stage.IMPACT_ASSESSMENT


def test_a_move_needs_a_reason():
    cr = at_stage(Stage.RAISED)
    with pytest.raises(ValidationError, match="Say why"):
        change_request_move(
            change_request=cr, move="start_ia", date=TODAY, by=None, reason="  ", today=TODAY
        )


def test_approval_status_follows_the_stage_on_create():
    assert at_stage(Stage.IMPLEMENTATION).approval_status == ApprovalStatus.APPROVED
    assert at_stage(Stage.CLOSED).approval_status == ApprovalStatus.REJECTED
    with pytest.raises(ValidationError) as exc_info:
        at_stage(Stage.IMPLEMENTATION, approval_status=ApprovalStatus.OPEN)
    assert "approval_status" in exc_info.value.message_dict


def test_the_database_refuses_a_status_that_does_not_match_the_stage():
    cr = at_stage(Stage.RAISED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.filter(pk=cr.pk).update(stage=Stage.COMPLETE)


# Any sequence of attempted moves leaves a CR consistent: the allowed ones recorded, the
# others refused without a trace.
@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([move.name for move in ALL_MOVES]), max_size=8))
def test_any_sequence_of_moves_keeps_the_cr_consistent(names):
    cr = change_request_create(title="Fuzzed", group=make_group("DAG"))
    made = 0
    for name in names:
        allowed = name in {move.name for move in cr.allowed_moves()}
        try:
            do(cr, name)
        except ValidationError:
            assert not allowed
        else:
            assert allowed
            made += 1
    cr.refresh_from_db()
    assert cr.approval_status == STAGE_APPROVAL_STATUS[cr.stage]
    assert cr.transitions.count() == made
