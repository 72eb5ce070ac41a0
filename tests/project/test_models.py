"""Constraints in the database, mirrored by model validation: bad input is a ValidationError
with a message at the field, and the database refuses it even when validation is bypassed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action, ActionStatus, DueKind
from changerequests.models import ApprovalStatus, ChangeRequest, Stage
from core.models import GovernanceGroup
from decisions.models import Decision, DecisionStatus
from meetings.models import Attendance, Meeting
from raid.models import RaidItem, RaidStatus
from tests.factories import make_action, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db

OCT_11 = datetime.date(2023, 10, 11)


def assert_field_error(exc_info, field):
    assert field in exc_info.value.message_dict, exc_info.value.message_dict


def assert_db_refuses(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.mark.parametrize("field", ["probability", "impact"])
@pytest.mark.parametrize("value", [0, 6, 99])
def test_raid_scores_outside_1_to_5_are_refused(field, value):
    item = RaidItem(reference="R1", title="A risk", probability=3, impact=3)
    setattr(item, field, value)
    with pytest.raises(ValidationError) as exc_info:
        item.full_clean()
    assert_field_error(exc_info, field)
    assert_db_refuses(item)


def test_raid_score_and_band():
    assert RaidItem(probability=5, impact=4).band == "Critical"
    assert RaidItem(probability=3, impact=4).score == 12
    assert RaidItem(probability=3, impact=4).band == "High"
    assert RaidItem(probability=2, impact=3).band == "Medium"
    assert RaidItem(probability=1, impact=4).band == "Low"
    assert RaidItem().band == ""


def test_raid_supersede_loop_is_refused():
    first = RaidItem.objects.create(reference="R1", title="First")
    second = RaidItem.objects.create(reference="R2", title="Second")
    first.status, first.superseded_by = RaidStatus.SUPERSEDED, second
    first.full_clean()
    first.save()
    second.status, second.superseded_by = RaidStatus.SUPERSEDED, first
    with pytest.raises(ValidationError) as exc_info:
        second.full_clean()
    assert_field_error(exc_info, "superseded_by")


def test_raid_superseded_needs_successor():
    item = RaidItem(reference="R1", title="Orphan", status=RaidStatus.SUPERSEDED)
    with pytest.raises(ValidationError) as exc_info:
        item.full_clean()
    assert_field_error(exc_info, "superseded_by")
    assert_db_refuses(item)


@pytest.mark.parametrize(
    "model, fields",
    [
        (Action, {"text": "x", "date_raised": OCT_11, "due_date": OCT_11}),
        (Decision, {"wording": "x"}),
        (ChangeRequest, {"title": "x"}),
        (RaidItem, {"title": "x"}),
    ],
)
def test_duplicate_references_are_refused(model, fields):
    group = make_group()
    if model in (Action, Decision):
        fields = {**fields, "group": group}
    model.objects.create(reference="DUP-01", **fields)
    duplicate = model(reference="DUP-01", **fields)
    with pytest.raises(ValidationError) as exc_info:
        duplicate.full_clean()
    assert_field_error(exc_info, "reference")
    assert_db_refuses(duplicate)


def test_meeting_must_end_after_it_starts():
    meeting = Meeting(
        group=make_group(),
        number=1,
        date=OCT_11,
        start_time=datetime.time(13),
        end_time=datetime.time(10),
    )
    with pytest.raises(ValidationError) as exc_info:
        meeting.full_clean()
    assert_field_error(exc_info, "end_time")
    assert_db_refuses(meeting)


def test_next_meeting_must_be_after_this_one():
    meeting = Meeting(
        group=make_group(), number=1, date=OCT_11, next_meeting_date=datetime.date(2023, 10, 1)
    )
    with pytest.raises(ValidationError) as exc_info:
        meeting.full_clean()
    assert_field_error(exc_info, "next_meeting_date")
    assert_db_refuses(meeting)


def test_meeting_numbers_unique_per_group_but_point_numbers_allowed():
    group = make_group()
    Meeting.objects.create(group=group, number=10, date=OCT_11)
    extraordinary = Meeting(group=group, number=10, point=1, date=OCT_11)
    extraordinary.full_clean()
    extraordinary.save()
    assert extraordinary.code == "DAG010.1"
    assert extraordinary.action_prefix == "DAG10.1"
    with pytest.raises(ValidationError):
        Meeting(group=group, number=10, date=OCT_11).full_clean()


def test_bad_date_string_is_a_validation_error_not_a_crash():
    meeting = Meeting(group=make_group(), number=1, date="31/02/2023")
    with pytest.raises(ValidationError) as exc_info:
        meeting.full_clean()
    assert_field_error(exc_info, "date")


def test_dated_action_needs_a_due_date():
    action = Action(
        reference="X-01", group=make_group(), text="x", date_raised=OCT_11, due_kind=DueKind.DATE
    )
    with pytest.raises(ValidationError) as exc_info:
        action.full_clean()
    assert_field_error(exc_info, "due_date")
    assert_db_refuses(action)
    action.due_kind = DueKind.ASAP
    action.full_clean()


def test_action_cannot_close_before_it_was_raised():
    action = make_action(status=ActionStatus.OPEN)
    action.status = ActionStatus.CLOSED
    action.closed_date = action.date_raised - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        action.full_clean()
    assert_field_error(exc_info, "closed_date")


def test_open_action_has_no_closed_date():
    action = make_action()
    action.closed_date = OCT_11
    with pytest.raises(ValidationError):
        action.full_clean()
    assert_db_refuses(action)


def test_invalid_status_is_refused_by_database():
    action = make_action()
    action.status = "finished"
    with pytest.raises(ValidationError) as exc_info:
        action.full_clean()
    assert_field_error(exc_info, "status")
    assert_db_refuses(action)


def test_action_meeting_must_be_of_its_group():
    meeting = make_meeting(group=make_group("TMAG"))
    action = Action(
        reference="X-01",
        group=make_group("DAG"),
        meeting=meeting,
        text="x",
        date_raised=OCT_11,
        due_kind=DueKind.ASAP,
    )
    with pytest.raises(ValidationError) as exc_info:
        action.full_clean()
    assert_field_error(exc_info, "meeting")


def test_approved_decision_needs_its_date():
    decision = Decision(
        reference="DAG-DEC1", group=make_group(), wording="x", status=DecisionStatus.APPROVED
    )
    with pytest.raises(ValidationError) as exc_info:
        decision.full_clean()
    assert_field_error(exc_info, "decided_at")
    assert_db_refuses(decision)


def test_change_request_choices_are_constrained():
    cr = ChangeRequest(reference="CR001", title="x", stage="limbo")
    with pytest.raises(ValidationError) as exc_info:
        cr.full_clean()
    assert_field_error(exc_info, "stage")
    assert_db_refuses(cr)


def test_withdrawn_cr_has_withdrawn_status():
    cr = ChangeRequest(
        reference="CR049", title="x", stage=Stage.WITHDRAWN, approval_status=ApprovalStatus.OPEN
    )
    with pytest.raises(ValidationError) as exc_info:
        cr.full_clean()
    assert_field_error(exc_info, "approval_status")


def test_attendance_not_on_own_behalf():
    person = make_person("Morven Hunter")
    attendance = Attendance(
        meeting=make_meeting(), person=person, category="industry", on_behalf_of=person
    )
    with pytest.raises(ValidationError) as exc_info:
        attendance.full_clean()
    assert_field_error(exc_info, "on_behalf_of")
    assert_db_refuses(attendance)


def test_group_code_format_and_no_cycles():
    with pytest.raises(ValidationError) as exc_info:
        GovernanceGroup(code="dag x", name="x", level=3).full_clean()
    assert_field_error(exc_info, "code")
    psg = make_group("PSG", level=2)
    dag = make_group("DAG")
    dag.parent = psg
    dag.save()
    psg.parent = dag
    with pytest.raises(ValidationError) as exc_info:
        psg.full_clean()
    assert_field_error(exc_info, "parent")


def test_owner_display_keeps_the_papers_order():
    paul, lee = make_person("Paul Pettitt"), make_person("Lee Cox")
    action = make_action(owner_party="Programme", owners=[paul, lee])
    assert action.owner_display() == "Programme (Paul Pettitt & Lee Cox)"
    assert make_action(owner_party="Ofgem").owner_display() == "Ofgem"
    assert make_action(owners=[lee]).owner_display() == "Lee Cox"
