"""Records written in bulk (bulk_create, a data migration, a restore) have no history rows:
their pages still answer, and say from when the history is known (issue 26)."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action
from changerequests.models import ChangeRequest
from core.models import GovernanceGroup, GroupLevel, Membership, Person, Role
from decisions.models import Decision
from meetings.models import Meeting
from raid.models import RaidItem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OCT_11 = datetime.date(2023, 10, 11)


@pytest.fixture
def bulk():
    """One record of every kind with a page, all written by bulk_create: no history at all."""
    [group] = GovernanceGroup.objects.bulk_create(
        [GovernanceGroup(code="BLK", name="Bulk Group", level=GroupLevel.ADVISORY)]
    )
    [person] = Person.objects.bulk_create([Person(name="Bulk Person")])
    [meeting] = Meeting.objects.bulk_create([Meeting(group=group, number=7, date=OCT_11)])
    [action] = Action.objects.bulk_create(
        [
            Action(
                reference="BLK07-01",
                group=group,
                meeting=meeting,
                text="Bulk action",
                date_raised=OCT_11,
                due_date=OCT_11 + datetime.timedelta(days=28),
            )
        ]
    )
    [decision] = Decision.objects.bulk_create(
        [Decision(reference="BLK-DEC01", group=group, meeting=meeting, wording="Bulk decision")]
    )
    [cr] = ChangeRequest.objects.bulk_create(
        [ChangeRequest(reference="CR901", title="Bulk change", group=group)]
    )
    [raid] = RaidItem.objects.bulk_create(
        [RaidItem(reference="R901", title="Bulk risk", group=group, probability=2, impact=3)]
    )
    users = {}
    for role in (Role.SECRETARIAT, Role.MEMBER):
        users[role] = UserFactory(username=f"bulk-{role}")
        Membership.objects.bulk_create(
            [Membership(group=group, person=users[role].person, role=role)]
        )
    pages = {
        meeting.get_absolute_url(): meeting.code,
        action.get_absolute_url(): action.reference,
        decision.get_absolute_url(): decision.reference,
        cr.get_absolute_url(): cr.reference,
        raid.get_absolute_url(): raid.reference,
        group.get_absolute_url(): group.code,
        person.get_absolute_url(): person.name,
    }
    return {"users": users, "pages": pages, "meeting": meeting, "action": action}


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MEMBER])
def test_every_page_of_a_record_without_history_answers(client, bulk, role):
    client.force_login(bulk["users"][role])
    for url, reference in bulk["pages"].items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert reference in response.content.decode(), url


def test_the_secretariat_pages_of_an_empty_meeting_answer(client, bulk):
    """A meeting with no attendance, agenda, minutes or actions reviewed: every page of its
    workday opens."""
    client.force_login(bulk["users"][Role.SECRETARIAT])
    meeting = bulk["meeting"]
    for name in ("attendance", "agenda", "minutes_write", "action_review", "minutes_document"):
        response = client.get(reverse(f"meetings:{name}", args=[meeting.pk]))
        assert response.status_code == 200, name
        assert meeting.code in response.content.decode(), name


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MEMBER])
def test_registers_list_records_without_history_or_updates(client, bulk, role):
    """The registers show each record's latest update or move: these have none."""
    client.force_login(bulk["users"][role])
    lists = {
        reverse("meetings:home"): None,
        reverse("meetings:meeting_list"): bulk["meeting"].code,
        reverse("actions:action_list"): bulk["action"].reference,
        reverse("decisions:decision_list"): "BLK-DEC01",
        reverse("changerequests:cr_list"): "CR901",
        reverse("raid:raid_list"): "R901",
    }
    for url, reference in lists.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert reference is None or reference in response.content.decode(), url


def test_a_history_that_starts_with_a_change_says_when_it_starts(client, bulk):
    """The first version kept is a change, not the creation: shown with the date the history
    is known from, not as a save that changed nothing."""
    client.force_login(bulk["users"][Role.MEMBER])
    action = bulk["action"]
    action.area = "Design"
    action.save()
    saved = action.history.get().history_date

    content = client.get(action.get_absolute_url()).content.decode()

    assert "<strong>Changed</strong>" in content
    assert "Saved; no recorded field changed." not in content
    assert f"No recorded history before {saved.astimezone():%d/%m/%Y}" in content


def test_no_history_at_all_says_so(client, bulk):
    client.force_login(bulk["users"][Role.MEMBER])
    content = client.get(bulk["action"].get_absolute_url()).content.decode()
    assert "No history recorded." in content
