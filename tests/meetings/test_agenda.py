"""The agenda of a meeting: add, edit, reorder and remove items."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action
from core.models import Role
from core.versions import record_version
from meetings.models import AgendaItem, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(dag):
    return make_meeting(
        dag, number=29, date=datetime.date(2023, 10, 11), start_time=datetime.time(10)
    )


@pytest.fixture
def pmo_client(client, secretariat):
    client.force_login(secretariat)
    return client


def add(meeting, number, order=None, **fields):
    return AgendaItem.objects.create(
        meeting=meeting, number=number, order=order or int(number), title=f"Item {number}", **fields
    )


def numbers(meeting):
    return list(meeting.agenda_items.order_by("order").values_list("number", flat=True))


def test_add_an_item_with_its_number_suggested(pmo_client, meeting):
    add(meeting, "1", duration_minutes=5)
    url = reverse("meetings:agenda", args=[meeting.pk])
    assert 'value="2"' in pmo_client.get(url).content.decode()
    lead = make_person("Daniel Arrowsmith")

    response = pmo_client.post(
        url,
        {
            "number": "2",
            "title": "CR032 Impact Assessment",
            "lead": lead.pk,
            "item_type": "decision",
            "duration_minutes": "20",
            "objective": "Decide whether CR032 goes to IA",
        },
    )

    assert response.status_code == 302
    item = meeting.agenda_items.get(number="2")
    assert (item.lead, item.item_type, item.order) == (lead, "decision", 2)
    page = pmo_client.get(url).content.decode()
    assert "10:05" in page and "CR032 Impact Assessment" in page


def test_a_number_typed_with_its_full_stop_is_not_doubled(pmo_client, meeting):
    """ "1." and "1. Welcome" would read "1. 1. Welcome" on the pages and papers."""
    response = pmo_client.post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {"number": "1.", "title": "1. Welcome and introductions", "item_type": "information"},
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert (item.number, item.title) == ("1", "Welcome and introductions")


def test_the_lead_is_a_type_ahead_picker_with_members_first(pmo_client, meeting, dag):
    content = pmo_client.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    assert 'name="lead" data-picker=""' in content
    assert "picker.js" in content


def test_a_taken_number_is_refused_keeping_the_input(pmo_client, meeting):
    add(meeting, "6A", order=7)
    response = pmo_client.post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {"number": "6A", "title": "Technical Assumptions", "item_type": "information"},
    )
    content = response.content.decode()
    assert "Item 6A is already on the agenda." in content
    assert 'value="Technical Assumptions"' in content
    assert meeting.agenda_items.count() == 1


def test_edit_an_item(pmo_client, meeting):
    item = add(meeting, "3")
    response = pmo_client.post(
        reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]),
        {
            "number": "3",
            "title": "PSG Update",
            "item_type": "information",
            "version": record_version(item),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "PSG Update"


def test_move_items_up_and_down(pmo_client, meeting):
    one, two, three = add(meeting, "1"), add(meeting, "2"), add(meeting, "3")
    move = reverse("meetings:agenda_move", args=[meeting.pk, three.pk])

    pmo_client.post(move, {"direction": "up"})
    assert numbers(meeting) == ["1", "3", "2"]

    response = pmo_client.post(
        reverse("meetings:agenda_move", args=[meeting.pk, one.pk]),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )
    assert numbers(meeting) == ["3", "1", "2"]
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="agenda-table">')
    # The first item cannot move further up: its button is not offered.
    assert f'id="up-{three.pk}"' not in content and f'id="down-{two.pk}"' not in content
    pmo_client.post(reverse("meetings:agenda_move", args=[meeting.pk, three.pk]), {})
    assert numbers(meeting) == ["1", "3", "2"]


def test_remove_asks_first_and_keeps_the_items_actions(pmo_client, meeting):
    item = add(meeting, "4", minutes="Discussed")
    action = make_action(meeting, agenda_item=item)
    url = reverse("meetings:agenda_item_remove", args=[meeting.pk, item.pk])

    assert "Its minutes will be removed with it." in pmo_client.get(url).content.decode()
    assert meeting.agenda_items.exists()
    pmo_client.post(url)

    assert not meeting.agenda_items.exists()
    action.refresh_from_db()
    assert action.agenda_item is None and Action.objects.count() == 1


@pytest.mark.parametrize("role", [Role.CHAIR, Role.MEMBER, Role.OBSERVER])
def test_only_the_secretariat_may_change_the_agenda(client, dag_users, meeting, role):
    item = add(meeting, "1")
    client.force_login(dag_users[role])
    assert client.get(reverse("meetings:agenda", args=[meeting.pk])).status_code == 403
    move = reverse("meetings:agenda_move", args=[meeting.pk, item.pk])
    assert client.post(move, {"direction": "down"}).status_code == 403
    remove = reverse("meetings:agenda_item_remove", args=[meeting.pk, item.pk])
    assert client.post(remove).status_code == 403
    assert meeting.agenda_items.exists()


def test_another_groups_items_are_404(client, meeting):
    item = add(meeting, "1")
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert client.get(reverse("meetings:agenda", args=[meeting.pk])).status_code == 404
    edit = reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk])
    assert client.get(edit).status_code == 404


def test_an_item_of_another_meeting_is_404(pmo_client, dag, meeting):
    other = add(make_meeting(dag, number=30, date=datetime.date(2023, 11, 8)), "1")
    edit = reverse("meetings:agenda_item_edit", args=[meeting.pk, other.pk])
    assert pmo_client.get(edit).status_code == 404


def test_the_agenda_is_locked_once_minutes_are_issued(pmo_client, meeting):
    meeting.status = MeetingStatus.MINUTES_ISSUED
    meeting.save()
    response = pmo_client.post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {"number": "1", "title": "Late item", "item_type": "information"},
    )
    assert response.status_code == 302
    assert not meeting.agenda_items.exists()
