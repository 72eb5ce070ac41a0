"""An action the minutes name without its record (closed at this meeting, say, its text
and owner not given): held as a known reference with what is known, from the minutes page."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action, ActionStatus
from core.models import Role
from meetings.models import AgendaItem, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db

OCT_11 = datetime.date(2023, 10, 11)


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def meeting(dag):
    return make_meeting(dag, number=29, date=OCT_11, status=MeetingStatus.HELD)


@pytest.fixture
def item(meeting):
    return AgendaItem.objects.create(meeting=meeting, number="2", order=2, title="Actions")


def post(client, item, **fields):
    data = {"status": "closed"} | fields
    return client.post(
        reverse("meetings:inline_record", args=[item.meeting_id, item.pk, "known_action"]),
        {f"known_action{item.pk}-{key}": value for key, value in data.items()},
    )


@pytest.fixture
def pmo(client, dag):
    user = make_user("pmo", group=dag, role=Role.SECRETARIAT)
    client.force_login(user)
    return user


def test_an_action_closed_here_is_held_by_its_reference_alone(client, pmo, item, meeting):
    response = post(client, item, reference="dag21-04", note="Closed: the PPIR was issued.")
    assert response.status_code == 302
    action = Action.objects.get(reference="DAG21-04")
    assert action.known_only and action.text == "" and not action.owners.exists()
    assert action.status == ActionStatus.CLOSED
    assert (action.closed_date, action.closed_meeting) == (OCT_11, meeting)
    assert action.meeting is None and action.date_raised == OCT_11  # on or before
    update = action.updates.get()
    assert update.text == "Closed: the PPIR was issued." and update.recorded_by == pmo
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Known by its reference only" in page and "Raised on or before" in page
    register = client.get(reverse("actions:action_list"), {"status": "all"}).content.decode()
    assert "DAG21-04" in register and "Known by its reference only" in register


def test_its_own_meeting_dates_it_when_the_app_holds_that_meeting(client, pmo, dag, item):
    earlier = make_meeting(dag, number=27, date=datetime.date(2023, 8, 9))
    assert post(client, item, reference="DAG27-03", status="open").status_code == 302
    action = Action.objects.get(reference="DAG27-03")
    assert (action.meeting, action.date_raised) == (earlier, earlier.date)
    assert action.status == ActionStatus.OPEN


def test_what_is_known_is_kept(client, pmo, item):
    response = post(
        client, item, reference="DAG21-05", text="Issue the PPIR", owner_printed="Programme (PMO)"
    )
    assert response.status_code == 302
    action = Action.objects.get(reference="DAG21-05")
    assert not action.known_only and action.text == "Issue the PPIR"
    assert action.owner_display() == "Programme (PMO)"


def test_a_held_reference_is_refused_naming_it_and_nothing_is_saved(client, pmo, item, meeting):
    make_action(meeting, reference="DAG21-04", text="Publish the plan")
    response = post(client, item, reference="DAG21-04")
    assert response.status_code == 200
    assert (
        "already the reference of action DAG21-04 (“Publish the plan”)"
        in (response.context["form"].errors["reference"][0])
    )
    assert Action.objects.count() == 1 and not Action.objects.get().updates.exists()


def test_a_reference_is_needed(client, pmo, item):
    response = post(client, item, reference="")
    assert response.context["form"].errors["reference"]
    assert not Action.objects.exists()


def test_a_member_may_not_record_one(client, dag, item):
    client.force_login(make_user("member", group=dag, role=Role.MEMBER))
    assert post(client, item, reference="DAG21-04").status_code in (403, 404)
    assert not Action.objects.exists()


def test_another_groups_secretariat_gets_404(client, item):
    client.force_login(make_user("other", group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert post(client, item, reference="DAG21-04").status_code == 404
    assert not Action.objects.exists()
