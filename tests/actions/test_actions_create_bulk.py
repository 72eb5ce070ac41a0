"""actions_create_bulk, the paper import's way of writing a past paper's actions: what
action_create guarantees one action at a time (references claimed and refused when held,
the model's validation, history with the owners, mentions, search vectors), for many at
once and in a few queries; a refusal names the action and writes nothing."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ActionOwner
from actions.services import actions_create_bulk
from core.mentions import naming
from core.references import TYPED_REASON
from tests.factories import make_action, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return make_meeting(make_group("DAG"), number=29)


def spec(meeting, reference, **fields):
    return {
        "reference": reference,
        "text": f"Provide the PPIR ({reference})",
        "date_raised": meeting.date,
        "meeting": meeting,
        "due_kind": "asap",
        **fields,
    }


def test_many_actions_with_their_owners_history_and_mentions_in_a_few_queries(meeting):
    ann, lee = make_person("Ann Ash"), make_person("Lee Cox")
    specs = [spec(meeting, f"DAG29-{n:02}", owners=[ann, lee]) for n in range(1, 31)]
    specs[0]["text"] = "NGESO to amend CR032 and resubmit"
    with CaptureQueriesContext(connection) as queries:
        actions = actions_create_bulk(group=meeting.group, actions=specs)
    assert len(queries) <= 20  # the same for 30 actions as for 3
    assert [a.reference for a in actions] == [s["reference"] for s in specs]
    first = Action.objects.get(reference="DAG29-01")
    assert first.sort_key and first.sort_key == actions[0].sort_key
    assert [o.person for o in ActionOwner.objects.filter(action=first)] == [ann, lee]
    [row] = first.history.all()
    assert row.history_type == "+" and row.history_change_reason == TYPED_REASON
    owner_history = apps.get_model("actions", "HistoricalActionOwner")
    assert [r.person_id for r in owner_history.objects.filter(history=row).order_by("order")] == [
        ann.pk,
        lee.pk,
    ]
    assert set(Action.objects.filter(pk__in=naming("CR032", Action))) == {first}
    if connection.vendor == "postgresql":  # the triggers fill it, as for a save
        assert Action.objects.filter(search_vector="amend", pk=first.pk).exists()


def test_a_held_or_repeated_reference_is_refused_naming_it_and_nothing_is_written(meeting):
    make_action(meeting, reference="DAG29-02", text="Already here")
    specs = [spec(meeting, "DAG29-01"), spec(meeting, "dag29-02"), spec(meeting, "DAG29-01")]
    with pytest.raises(ValidationError) as refused:
        actions_create_bulk(group=meeting.group, actions=specs)
    messages = refused.value.message_dict["reference"]
    assert any("dag29-02 is already the reference of action DAG29-02" in m for m in messages)
    assert any("DAG29-01 is given twice" in m for m in messages)
    assert not Action.objects.filter(reference="DAG29-01").exists()


def test_the_models_validation_refuses_naming_the_action(meeting):
    specs = [spec(meeting, "DAG29-01"), spec(meeting, "DAG29-02", text=" ", due_kind="date")]
    with pytest.raises(ValidationError) as refused:
        actions_create_bulk(group=meeting.group, actions=specs)
    assert all(m.startswith("Action DAG29-02: ") for m in refused.value.messages)
    assert not Action.objects.filter(reference="DAG29-01").exists()


def test_a_constraint_the_database_refuses_is_a_refusal_naming_the_action(meeting, monkeypatch):
    monkeypatch.setattr(Action, "clean", lambda self: None)  # only the database checks it
    tuesday = datetime.date(2024, 6, 4)
    specs = [
        spec(meeting, "DAG29-01"),
        spec(meeting, "DAG29-02", due_kind="wc", due_date=tuesday),
    ]
    with pytest.raises(ValidationError) as refused:
        actions_create_bulk(group=meeting.group, actions=specs)
    assert refused.value.messages
    assert all(m.startswith("Action DAG29-02: ") for m in refused.value.messages)
    assert not Action.objects.filter(reference="DAG29-01").exists()
