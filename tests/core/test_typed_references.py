"""References typed by the secretariat for past records, in the ordinary pages: every kind
takes one (DAG10.1-03, DAG-DEC-29, CR-D040, R185), unique in any case with the holder
named at the field and nothing saved, odd shapes kept with a warning, the allocator
carrying on after the highest number, and every held shape linked in minutes."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from actions.models import Action
from changerequests.models import ChangeRequest
from changerequests.services import change_request_create
from core.markup import render_markdown
from core.models import Role
from core.references import TYPED_REASON, reference_warning
from decisions.models import Decision
from decisions.services import decision_create
from meetings.models import AgendaItem
from raid.models import RaidItem
from raid.services import raid_item_create
from tests.factories import make_action, make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def pmo(client, dag):
    user = make_user("pmo", group=dag, role=Role.SECRETARIAT)
    client.force_login(user)
    return user


def raise_action(client, meeting, **fields):
    item = AgendaItem.objects.get_or_create(
        meeting=meeting, number=1, defaults={"title": "Design"}
    )[0]
    prefix = f"action{item.pk}-"
    data = {"text": "Provide the PPIR", "owner_party": "Programme", "due_kind": "asap"} | fields
    return client.post(
        reverse("meetings:inline_record", args=[meeting.pk, item.pk, "action"]),
        {prefix + key: value for key, value in data.items()},
    )


def test_an_action_takes_its_papers_reference_and_the_allocator_carries_on(client, dag, pmo):
    meeting = make_meeting(dag, number=10, point=1)
    response = raise_action(client, meeting, reference=" dag10.1-03 ")
    assert response.status_code == 302
    action = Action.objects.get(reference="DAG10.1-03")
    assert action.history.first().history_change_reason == TYPED_REASON
    assert action.history.first().history_user == pmo
    raise_action(client, meeting)
    assert Action.objects.filter(reference="DAG10.1-04").exists()


def test_a_taken_action_reference_is_refused_at_the_field_naming_the_holder(client, dag, pmo):
    meeting = make_meeting(dag, number=29)
    make_action(meeting, reference="DAG29-03", text="Publish the design baseline")
    response = raise_action(client, meeting, reference="dag29-03", text="Another")
    assert response.status_code == 200
    errors = response.context["form"].errors["reference"]
    assert "DAG29-03 is already the reference of action DAG29-03" in errors[0]
    assert "Publish the design baseline" in errors[0]
    assert response.context["form"]["text"].value() == "Another"  # what was typed is kept
    assert Action.objects.count() == 1


def test_an_odd_action_reference_is_kept_with_a_warning(client, dag, pmo):
    meeting = make_meeting(dag, number=3)
    response = raise_action(client, meeting, reference="DES-03-04")
    assert response.status_code == 302
    assert Action.objects.filter(reference="DES-03-04").exists()
    shown = [str(message) for message in response.wsgi_request._messages]
    assert any("DES-03-04 is not in the usual form of an action reference" in m for m in shown)


@pytest.mark.parametrize("reference", ["DAG-DEC-29", "DAG-DEC76"])
def test_a_decision_takes_a_typed_reference(client, dag, pmo, reference):
    response = client.post(
        reverse("decisions:decision_create"),
        {"group": dag.pk, "wording": "Approved the minutes", "reference": reference.lower()},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(reference=reference)
    assert decision.history.first().history_user == pmo
    assert decision_create(group=dag, wording="Next").reference == "DAG-DEC" + str(
        76 + 1 if reference == "DAG-DEC76" else 1
    )


def test_a_taken_decision_reference_is_refused_and_nothing_saved(client, dag, pmo):
    decision_create(group=dag, wording="The SRO agreed CR032", reference="DAG-DEC76")
    response = client.post(
        reverse("decisions:decision_create"),
        {"group": dag.pk, "wording": "Other words", "reference": "dag-dec76"},
    )
    assert response.status_code == 200
    assert (
        "already the reference of decision DAG-DEC76 (“The SRO agreed CR032”)"
        in (response.context["form"].errors["reference"][0])
    )
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("reference", "odd"), [("CR-D040", False), ("CR013", False), ("C-13", True)]
)
def test_a_change_request_takes_a_typed_reference(client, dag, pmo, reference, odd):
    response = client.post(
        reverse("changerequests:cr_new"),
        {
            "group": dag.pk,
            "reference": reference,
            "title": "Design change",
            "date_raised": "2022-08-01",
            "change_type": "full_ia",
            "ia_working_days": 10,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert ChangeRequest.objects.filter(reference=reference).exists()
    assert bool(reference_warning(ChangeRequest, reference)) is odd
    assert change_request_create(title="Next").reference == (
        "CR014" if reference == "CR013" else "CR001"
    )


def test_a_taken_cr_reference_is_refused(client, dag, pmo):
    change_request_create(title="Data cleansing", reference="CR-D040")
    response = client.post(
        reverse("changerequests:cr_new"),
        {
            "group": dag.pk,
            "reference": "cr-d040",
            "title": "Another",
            "date_raised": "2022-08-01",
            "change_type": "full_ia",
            "ia_working_days": 10,
        },
    )
    assert response.status_code == 200
    assert (
        "change request CR-D040 (“Data cleansing”)"
        in response.context["form"].errors["reference"][0]
    )
    assert ChangeRequest.objects.count() == 1


def test_a_raid_item_takes_a_typed_reference_and_refuses_a_taken_one(client, dag, pmo):
    data = {"group": dag.pk, "raid_type": "risk", "title": "Late design", "reference": "r185"}
    response = client.post(reverse("raid:raid_new"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert RaidItem.objects.filter(reference="R185").exists()
    assert raid_item_create(title="Next").reference == "R186"
    response = client.post(reverse("raid:raid_new"), data | {"title": "Again"})
    assert response.status_code == 200
    assert (
        "R185 is already the reference of RAID item R185"
        in (response.context["form"].errors["reference"][0])
    )
    assert RaidItem.objects.count() == 2


def test_every_held_shape_links_in_minutes(dag):
    meeting = make_meeting(dag, number=10, point=1)
    make_action(meeting, reference="DAG10.1-03")
    make_action(meeting, reference="DES-03-04")
    decision_create(group=dag, wording="Old", reference="DAG-DEC-29")
    decision_create(group=dag, wording="New", reference="DAG-DEC76")
    change_request_create(title="Design", reference="CR-D040")
    change_request_create(title="Old", reference="CR013")
    raid_item_create(title="Risk", reference="R185")
    raid_item_create(title="Risk", reference="RISK-99")
    text = (
        "DAG10.1-03, DES-03-04, DAG-DEC-29, DAG-DEC76, CR-D040, CR013, R185 and RISK-99 "
        "discussed; CR-D041 and MHHS-DEL1056 are not held."
    )
    html = render_markdown(text)
    for reference in [
        "DAG10.1-03",
        "DES-03-04",
        "DAG-DEC-29",
        "DAG-DEC76",
        "CR-D040",
        "CR013",
        "R185",
        "RISK-99",
    ]:
        assert f">{reference}</a>" in html, reference
    assert html.count("<a ") == 8


def test_a_forbidden_user_cannot_type_a_reference(client, dag):
    member = make_user("member", group=dag, role=Role.MEMBER)
    client.force_login(member)
    meeting = make_meeting(dag, number=29)
    response = raise_action(client, meeting, reference="DAG29-07")
    assert response.status_code in (403, 404)
    assert not Action.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_typed_and_allocated_references_never_collide_under_concurrency():
    """Threads typing DAG29-01..06 and threads asking for the next reference, at once:
    every save lands, no reference is given twice, and the allocated ones come after the
    highest typed before them."""
    from actions.services import action_create

    dag = make_group("DAG")
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    results, errors = [], []
    lock = threading.Lock()
    threads = 8
    start = threading.Barrier(threads)

    def worker(n):
        try:
            start.wait()
            reference = f"DAG29-{n + 1:02d}" if n % 2 == 0 else ""
            action = action_create(
                group=dag,
                meeting=meeting,
                text=f"Action {n}",
                date_raised=meeting.date,
                owner_party="Programme",
                due_kind="asap",
                reference=reference,
            )
            with lock:
                results.append(action.reference)
        except Exception as exc:  # counted below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    held = sorted(Action.objects.values_list("reference", flat=True))
    assert len(set(results)) == len(results) == len(held)
    # A typed reference taken by an allocator that got there first is refused cleanly.
    for error in errors:
        assert "already the reference of action" in str(error)
    assert len(results) + len(errors) == threads


def test_an_odd_decision_reference_is_kept_with_a_warning_after_saving(client, dag, pmo):
    response = client.post(
        reverse("decisions:decision_create"),
        {"group": dag.pk, "wording": "Agreed by the group", "reference": "DEC 29"},
        follow=True,
    )
    assert Decision.objects.filter(reference="DEC29").exists()
    shown = [str(message) for message in response.context["messages"]]
    assert any("DEC29 is not in the usual form of a decision reference" in m for m in shown)
