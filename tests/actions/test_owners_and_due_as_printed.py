"""Owners and due dates as the papers print them, entered in the ordinary pages: an owner
cell split into party, team and named people with the printed form kept; due dates as a
date, ASAP, TBC, Ongoing, "w/c" (a Monday) and "Next DAG", each with its overdue rule and
its place in the reminders."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Action, DueKind
from actions.owners import read_owner
from actions.reminders import chased_actions, plan_digests, section_of
from core.models import Person, Role
from core.versions import record_version
from meetings.models import AgendaItem, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

OCT_11 = datetime.date(2023, 10, 11)


@pytest.mark.parametrize(
    ("printed", "party", "team", "names"),
    [
        ("Programme (PMO)", "Programme", "PMO", []),
        ("Programme (Design Team)", "Programme", "Design Team", []),
        ("Ofgem / Ian Smith", "Ofgem", "", ["Ian Smith"]),
        (
            "Matt Hall, Simon Berry, Kate Goodman",
            "",
            "",
            ["Matt Hall", "Simon Berry", "Kate Goodman"],
        ),
        ("Programme (Paul Pettitt & Lee Cox)", "Programme", "", ["Paul Pettitt", "Lee Cox"]),
        ("Programme (PMO & Lee Cox)", "Programme", "PMO", ["Lee Cox"]),
        ("DAG members", "DAG members", "", []),
        ("PMO", "PMO", "", []),
    ],
)
def test_an_owner_cell_is_read_into_party_team_and_people(printed, party, team, names):
    reading = read_owner(printed)
    assert (reading.party, reading.team, reading.names) == (party, team, names)


def test_a_known_one_word_person_counts_as_a_person():
    assert read_owner("Ofgem / Cher", known={"cher"}).names == ["Cher"]


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def meeting(dag):
    meeting = make_meeting(dag, number=29, date=OCT_11, status=MeetingStatus.HELD)
    return meeting


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("sam", group=dag, role=Role.SECRETARIAT, person_name="Sam Sec"))
    return client


def raise_action(client, meeting, **fields):
    item, _ = AgendaItem.objects.get_or_create(meeting=meeting, number="1", order=1, title="Design")
    data = {"text": "Provide the PPIR", "due_kind": "asap", "owner_party": "Programme"} | fields
    return client.post(
        reverse("meetings:inline_record", args=[meeting.pk, item.pk, "action"]),
        {f"action{item.pk}-{key}": value for key, value in data.items()},
    )


def test_a_printed_owner_is_split_and_printed_as_typed(pmo, meeting):
    ian = make_person("Ian Smith")
    response = raise_action(pmo, meeting, owner_printed="Ofgem /  Ian Smith")
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner_party == "Ofgem"
    assert list(action.owners.all()) == [ian]
    assert action.owner_display() == "Ofgem / Ian Smith"


def test_a_team_is_not_a_person(pmo, meeting):
    assert raise_action(pmo, meeting, owner_printed="Programme (Design Team)").status_code == 302
    action = Action.objects.get()
    assert (action.owner_party, action.owner_team) == ("Programme", "Design Team")
    assert not action.owners.exists() and not Person.objects.filter(name="Design Team").exists()
    assert action.owner_display() == "Programme (Design Team)"


def test_people_not_in_the_app_are_refused_at_the_field_unless_added(pmo, meeting):
    make_person("Matt Hall")
    printed = "Matt Hall, Simon Berry, Kate Goodman"
    response = raise_action(pmo, meeting, owner_printed=printed)
    assert response.status_code == 200
    assert (
        "Not in the app yet: Simon Berry, Kate Goodman"
        in (response.context["form"].errors["owner_printed"][0])
    )
    assert response.context["form"]["owner_printed"].value() == printed
    assert not Action.objects.exists() and Person.objects.count() == 2  # Sam and Matt Hall
    response = raise_action(pmo, meeting, owner_printed=printed, add_people="on")
    assert response.status_code == 302
    action = Action.objects.get()
    assert [p.name for p in action.owners.order_by("ownerships__order")] == [
        "Matt Hall", "Simon Berry", "Kate Goodman",
    ]  # fmt: skip
    assert action.owner_display() == printed


def test_the_secretariat_corrects_an_owner_as_printed_and_the_history_keeps_it(client, dag):
    user = make_user("sam", group=dag, role=Role.SECRETARIAT, person_name="Sam Secretary")
    client.force_login(user)
    action = make_action(make_meeting(dag, number=29), owner_party="Programme")
    data = {
        "text": action.text,
        "owner_printed": "Programme (PMO)",
        "owner_party": "",
        "area": "",
        "due_kind": "date",
        "due_date": f"{action.due_date:%Y-%m-%d}",
        "date_raised": f"{action.date_raised:%Y-%m-%d}",
        "reason": "As printed",
        "version": record_version(action),
    }
    response = client.post(reverse("actions:action_correct", args=[action.reference]), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner_party, action.owner_team, action.owner_printed) == (
        "Programme", "PMO", "Programme (PMO)",
    )  # fmt: skip
    latest = action.history.first()
    assert latest.history_user == user and latest.owner_printed == "Programme (PMO)"


# Due dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "shown"),
    [("asap", "ASAP"), ("tbc", "TBC"), ("ongoing", "Ongoing"), ("next_meeting", "Next DAG")],
)
def test_undated_dues_are_shown_as_written_and_never_overdue(pmo, meeting, kind, shown):
    assert raise_action(pmo, meeting, due_kind=kind, due_date="2023-10-20").status_code == 302
    action = Action.objects.get()
    assert action.due_date is None and action.due_display() == shown
    assert not action.is_overdue(datetime.date(2030, 1, 1))
    assert not Action.objects.overdue(datetime.date(2030, 1, 1)).exists()


def test_week_commencing_must_be_a_monday(pmo, meeting):
    response = raise_action(pmo, meeting, due_kind="wc", due_date="2023-10-17")
    assert response.status_code == 200
    error = response.context["form"].errors["due_date"][0]
    assert "17/10/2023 is a Tuesday" in error and "16/10/2023" in error
    assert not Action.objects.exists()


def test_week_commencing_is_overdue_after_its_week(pmo, meeting):
    assert raise_action(pmo, meeting, due_kind="wc", due_date="2023-10-16").status_code == 302
    action = Action.objects.get()
    assert action.due_display() == "w/c 16/10/2023"
    sunday, monday = datetime.date(2023, 10, 22), datetime.date(2023, 10, 23)
    assert not action.is_overdue(sunday) and action.is_overdue(monday)
    assert not Action.objects.overdue(sunday).exists()
    assert Action.objects.overdue(monday).get() == action


def test_next_dag_resolves_once_the_next_meeting_is_scheduled(pmo, dag, meeting):
    assert raise_action(pmo, meeting, due_kind="next_meeting").status_code == 302
    action = Action.objects.get()
    assert action.due_display() == "Next DAG"
    later = datetime.date(2024, 1, 1)
    assert not action.is_overdue(later) and not Action.objects.overdue(later).exists()
    make_meeting(dag, number=31, date=datetime.date(2023, 12, 6), status=MeetingStatus.CANCELLED)
    make_meeting(dag, number=30, date=datetime.date(2023, 11, 8))
    action = Action.objects.get()
    assert action.due_display() == "08/11/2023 (Next DAG)"
    listed = Action.objects.for_list().get()
    assert listed.due_display() == "08/11/2023 (Next DAG)"
    assert not action.is_overdue(datetime.date(2023, 11, 8))
    assert action.is_overdue(datetime.date(2023, 11, 9))
    assert Action.objects.overdue(datetime.date(2023, 11, 9)).get() == action


def test_reminders_chase_by_each_kinds_deadline(dag, meeting):
    owner = make_person("Lee Cox", email="lee@example.com")
    week = make_action(meeting, owners=[owner], due_kind=DueKind.WEEK_COMMENCING,
                       due_date=datetime.date(2023, 10, 16))  # fmt: skip
    nxt = make_action(meeting, owners=[owner], due_kind=DueKind.NEXT_MEETING, due_date=None)
    for kind in (DueKind.ASAP, DueKind.TBC, DueKind.ONGOING):
        make_action(meeting, owners=[owner], due_kind=kind, due_date=None)
    assert [a.pk for a in chased_actions()] == [week.pk]  # no next meeting yet
    make_meeting(dag, number=30, date=datetime.date(2023, 11, 8))
    chased = {a.pk: a for a in chased_actions()}
    assert set(chased) == {week.pk, nxt.pk}
    assert section_of(chased[week.pk], datetime.date(2023, 10, 20)) == "soon"
    assert section_of(chased[week.pk], datetime.date(2023, 10, 22)) == "today"
    assert section_of(chased[week.pk], datetime.date(2023, 10, 23)) == "overdue"
    digest = plan_digests(datetime.date(2023, 11, 9), person=owner)[0]
    lines = {line.action.pk: line for line in digest.lines}
    assert lines[week.pk].days_overdue == 18 and lines[nxt.pk].days_overdue == 1
    assert lines[nxt.pk].item(lambda ref: ref)["due"] == "08/11/2023 (Next DAG)"


def test_week_commencing_check_runs_in_validation_with_or_without_a_date(meeting, caplog):
    """Django validates the constraint with the typed values: a missing due date used to be
    a bare NULL that PostgreSQL could not type for EXTRACT, so the check was skipped with
    a logged database error on every action without a date."""
    undated = Action(group=meeting.group, meeting=meeting, reference="DAG29-90", text="t",
                     date_raised=meeting.date, due_kind=DueKind.ASAP, due_date=None)  # fmt: skip
    with caplog.at_level("WARNING", logger="django.db.models"):
        undated.validate_constraints()
    assert not caplog.records
    tuesday = Action(group=meeting.group, meeting=meeting, reference="DAG29-91", text="t",
                     date_raised=meeting.date, due_kind=DueKind.WEEK_COMMENCING,
                     due_date=datetime.date(2023, 10, 17))  # fmt: skip
    with pytest.raises(ValidationError):
        tuesday.validate_constraints()
