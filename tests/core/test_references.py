"""References handed out by the system: the right format, the next free number, and never
the same one twice, also when many people save at the same moment."""

import datetime
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from actions.models import Action
from changerequests.services import change_request_create
from core.references import allocate
from decisions.services import decision_create
from meetings.models import Meeting
from raid.models import RaidItem
from raid.services import raid_item_create
from tests.factories import make_action, make_group, make_meeting

OCT_11 = datetime.date(2023, 10, 11)


@pytest.mark.django_db
def test_action_references_follow_the_meeting():
    meeting = make_meeting(number=29)
    assert make_action(meeting).reference == "DAG29-01"
    assert make_action(meeting).reference == "DAG29-02"


@pytest.mark.django_db
def test_action_reference_takes_next_free_after_hand_written_ones():
    meeting = make_meeting(number=29)
    make_action(meeting, reference="DAG29-07")
    assert make_action(meeting).reference == "DAG29-08"


@pytest.mark.django_db
def test_extraordinary_meeting_references():
    group = make_group()
    meeting = Meeting.objects.create(group=group, number=10, point=1, date=OCT_11)
    assert make_action(meeting).reference == "DAG10.1-01"
    # DAG10's own actions are a separate series from DAG10.1's.
    assert make_action(make_meeting(group, number=10)).reference == "DAG10-01"


@pytest.mark.django_db
def test_decision_and_cr_references():
    group = make_group()
    decision_create(group=group, wording="Old style", reference="DAG-DEC-29")
    decision_create(group=group, wording="Imported", reference="DAG-DEC78")
    assert decision_create(group=group, wording="Next").reference == "DAG-DEC79"
    assert decision_create(group=make_group("TMAG"), wording="First").reference == "TMAG-DEC1"
    assert change_request_create(title="First").reference == "CR001"
    change_request_create(title="Imported", reference="CR050")
    assert change_request_create(title="Next").reference == "CR051"


@pytest.mark.django_db
def test_raid_references_skip_hand_written_ones():
    raid_item_create(title="Imported", reference="R41")
    raid_item_create(title="Typed", reference="RISK-99")
    assert raid_item_create(title="Next").reference == "R42"


@pytest.mark.django_db
def test_allocate_counts_only_the_prefix_and_digits():
    """Every kind goes through allocate(): references by prefix, plain numbers without one."""
    for reference in ["R7", "R-30", "RX12", "R3a"]:
        RaidItem.objects.create(reference=reference, title=reference)
    references = RaidItem.objects.values_list("reference", flat=True)
    with transaction.atomic():
        assert allocate(kind="raid_item", scope="R", in_use=references, prefix="R") == 8
        numbers = RaidItem.objects.filter(pk__lt=0).values_list("pk", flat=True)
        assert allocate(kind="test", scope="none yet", in_use=numbers) == 1


@pytest.mark.django_db(transaction=True)
def test_allocate_needs_the_transaction_that_saves():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        allocate(kind="raid_item", scope="R", in_use=[], prefix="R")


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["DES-03-04", "DAG10.1-03", "TMAG14-01"])
def test_legacy_references_are_kept_as_written_and_unique(reference):
    meeting = make_meeting()
    assert make_action(meeting, reference=reference).reference == reference
    with pytest.raises(ValidationError) as exc_info:
        make_action(meeting, reference=reference)
    assert "reference" in exc_info.value.message_dict
    assert Action.objects.filter(reference=reference).count() == 1


def _run_in_threads(threads, per_thread, allocate):
    """Run allocate() per_thread times in each of `threads` threads; return refs and errors."""
    references, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker():
        try:
            start.wait()
            for _ in range(per_thread):
                try:
                    reference = allocate()
                except Exception as exc:  # every failure is a test failure: count it
                    with lock:
                        errors.append(repr(exc))
                else:
                    with lock:
                        references.append(reference)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return references, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_action_allocation_never_duplicates():
    """20 threads x 50 actions at one meeting, each its own PostgreSQL connection."""
    meeting = make_meeting(number=29)

    def allocate():
        return make_action(meeting, text="Concurrent", due_date=OCT_11).reference

    references, errors = _run_in_threads(20, 50, allocate)
    assert errors == []
    assert len(references) == 1000
    duplicates = [ref for ref, count in Counter(references).items() if count > 1]
    assert duplicates == []
    assert Action.objects.filter(meeting=meeting).count() == 1000
    assert set(references) == {f"DAG29-{n:02d}" for n in range(1, 1001)}


@pytest.mark.django_db(transaction=True)
def test_concurrent_decision_cr_and_raid_allocation_never_duplicates():
    group = make_group()

    def allocate():
        decision = decision_create(group=group, wording="Concurrent")
        change_request = change_request_create(title="Concurrent")
        item = raid_item_create(title="Concurrent", group=group)
        return decision.reference, change_request.reference, item.reference

    triples, errors = _run_in_threads(20, 10, allocate)
    assert errors == []
    decisions, crs, items = zip(*triples, strict=True)
    assert sorted(decisions) == sorted(f"DAG-DEC{n}" for n in range(1, 201))
    assert sorted(crs) == [f"CR{n:03d}" for n in range(1, 201)]
    assert sorted(items) == sorted(f"R{n}" for n in range(1, 201))
