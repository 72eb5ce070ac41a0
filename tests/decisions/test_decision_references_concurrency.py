"""Decision references (DAG-DEC75) stay unique and gap-free per group while many people
record, approve and send decisions round at the same moment: threads, each with its own
PostgreSQL connection, really commit in parallel here."""

import datetime
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from core.models import Role
from decisions import services
from decisions.models import Decision, DecisionStatus
from meetings.minutes_approval import minutes_approve
from meetings.models import Meeting, MeetingStatus
from notifications import outbox
from tests.factories import make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, ROUNDS = 6, 3


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """Emails planned by correspondence rounds stay in the outbox: no Celery broker here."""
    monkeypatch.setattr(outbox.send_outbound_email, "delay", lambda pk: None)


def run_in_threads(work, threads=THREADS):
    """work(thread_number) in each thread, started together; returns (results, errors)."""
    results, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker(number):
        try:
            start.wait()
            try:
                result = work(number)
            except Exception as exc:  # collected and asserted on by the test
                with lock:
                    errors.append(exc)
            else:
                with lock:
                    results.append(result)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, errors


def references(group):
    return list(Decision.objects.filter(group=group).values_list("reference", flat=True))


def test_references_are_unique_and_gap_free_under_concurrent_approvals_and_creates():
    dag, psg = make_group("DAG"), make_group("PSG")
    chair = make_user("chair", group=dag, role=Role.CHAIR)
    secretariat = make_user("pmo", group=dag, role=Role.SECRETARIAT)
    make_user("member", group=dag, role=Role.MEMBER)
    services.decision_create(group=dag, wording="Imported", reference="DAG-DEC74")
    services.decision_create(group=dag, wording="Old style", reference="DAG-DEC-29")
    issued = [
        make_meeting(
            dag,
            number=n,
            date=datetime.date(2023, 1, 1) + datetime.timedelta(days=n),
            status=MeetingStatus.MINUTES_ISSUED,
        )
        for n in range(1, 2 * THREADS * ROUNDS + 1)
    ]
    deadline = timezone.localdate() + datetime.timedelta(days=10)

    def work(number):
        for i in range(ROUNDS):
            # Recorded, then approved with amended words by the chair.
            proposed = services.decision_create(group=dag, wording=f"Proposed {number}.{i}")
            services.decision_approve(
                decision=proposed, user=chair, wording=f"Amended {number}.{i}"
            )
            # Minutes approved at a meeting, and minutes sent round by correspondence.
            slot = 2 * (number * ROUNDS + i)
            minutes_approve(meeting=issued[slot], user=chair)
            services.correspondence_round_open(
                group=dag,
                title=f"Round {number}.{i}",
                deadline=deadline,
                user=secretariat,
                minutes_of=[issued[slot + 1]],
            )
            # Another group numbers its decisions on its own.
            services.decision_create(group=psg, wording=f"PSG {number}.{i}")

    results, errors = run_in_threads(work)

    assert errors == []
    assert len(results) == THREADS
    dag_refs, psg_refs = references(dag), references(psg)
    per_thread = 3 * ROUNDS  # three DAG decisions per round of work
    assert [ref for ref, n in Counter(dag_refs + psg_refs).items() if n > 1] == []
    assert set(dag_refs) == {"DAG-DEC74", "DAG-DEC-29"} | {
        f"DAG-DEC{n}" for n in range(75, 75 + THREADS * per_thread)
    }
    assert set(psg_refs) == {f"PSG-DEC{n}" for n in range(1, 1 + THREADS * ROUNDS)}
    assert Decision.objects.filter(status=DecisionStatus.APPROVED).count() == 2 * THREADS * ROUNDS
    assert Meeting.objects.filter(status=MeetingStatus.MINUTES_APPROVED).count() == (
        THREADS * ROUNDS
    )


def test_one_decision_approved_at_once_by_many_is_approved_once():
    dag = make_group("DAG")
    chairs = [make_user(f"chair{n}", group=dag, role=Role.CHAIR) for n in range(THREADS)]
    decision = services.decision_create(group=dag, wording="Proposed")

    def work(number):
        return services.decision_approve(
            decision=decision, user=chairs[number], wording=f"Amended by {number}"
        )

    results, errors = run_in_threads(work)

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(exc, ValidationError) for exc in errors)
    assert all("was already approved" in exc.messages[0] for exc in errors)
    decision.refresh_from_db()
    (winner,) = results
    assert (decision.wording, decision.decided_by_user_id) == (
        winner.wording,
        winner.decided_by_user_id,
    )
    assert decision.proposed_wording == "Proposed"


def test_one_set_of_minutes_approved_at_once_by_many_makes_one_decision_and_no_gap():
    dag = make_group("DAG")
    chair = make_user("chair", group=dag, role=Role.CHAIR)
    meeting = make_meeting(dag, status=MeetingStatus.MINUTES_ISSUED)

    def work(number):
        if number % 2:
            return services.decision_create(group=dag, wording=f"Other {number}").reference
        return minutes_approve(meeting=meeting, user=chair).reference

    results, errors = run_in_threads(work)

    assert len(errors) == THREADS // 2 - 1
    assert all(isinstance(exc, ValidationError) for exc in errors)
    assert Decision.objects.filter(approves_minutes_of=meeting).count() == 1
    assert sorted(references(dag)) == sorted(f"DAG-DEC{n}" for n in range(1, len(results) + 1))
