"""decisions_create_bulk, the paper import's way of writing a past paper's decisions:
decision_create's guarantees (references claimed and refused when held, validation,
history, mentions) for many at once; a refusal names the decision and writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.mentions import naming
from core.references import TYPED_REASON
from decisions.models import Decision, DecisionStatus
from decisions.services import decisions_create_bulk
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db


def spec(meeting, reference, **fields):
    taken = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(10)))
    return {
        "reference": reference,
        "wording": f"The group approved {reference}",
        "meeting": meeting,
        "status": DecisionStatus.APPROVED,
        "decided_at": taken,
        **fields,
    }


def test_decisions_with_history_and_mentions_and_a_held_reference_refused():
    meeting = make_meeting(make_group("DAG"), number=29)
    specs = [spec(meeting, "DAG-DEC75", wording="Approve CR032"), spec(meeting, "DAG-DEC76")]
    first, _ = decisions_create_bulk(group=meeting.group, decisions=specs)
    [row] = Decision.objects.get(reference="DAG-DEC75").history.all()
    assert row.history_type == "+" and row.history_change_reason == TYPED_REASON
    assert set(Decision.objects.filter(pk__in=naming("CR032", Decision))) == {first}

    again = [spec(meeting, "DAG-DEC77"), spec(meeting, "dag-dec76")]
    with pytest.raises(ValidationError) as refused:
        decisions_create_bulk(group=meeting.group, decisions=again)
    assert "dag-dec76 is already the reference of decision DAG-DEC76" in str(refused.value)
    assert not Decision.objects.filter(reference="DAG-DEC77").exists()


def test_a_decision_the_model_refuses_is_named():
    meeting = make_meeting(make_group("DAG"), number=29)
    specs = [spec(meeting, "DAG-DEC75"), spec(meeting, "DAG-DEC76", decided_at=None)]
    with pytest.raises(ValidationError) as refused:
        decisions_create_bulk(group=meeting.group, decisions=specs)
    assert all(m.startswith("Decision DAG-DEC76: ") for m in refused.value.messages)
    assert not Decision.objects.exists()
