"""Group membership pages: the group's secretariat (or a programme administrator) adds,
changes and ends memberships and edits the terms of reference; nobody else may, and a
refused change writes nothing."""

import datetime

import pytest
from django.urls import reverse

from core.models import GovernanceGroup, Membership, Role
from meetings.models import Attendance
from meetings.services import attendance_add
from tests.factories import GroupFactory, MeetingFactory, PersonFactory, make_user

pytestmark = pytest.mark.django_db


def _add(client, group, person, **extra):
    data = {
        "person": person.pk,
        "role": Role.MEMBER,
        "constituency": "Large Supplier Representative",
        "start_date": "01/02/2024",
        **extra,
    }
    return client.post(reverse("people:member_add", args=[group.code]), data)


def test_secretariat_adds_changes_and_ends_a_membership(client, dag, secretariat):
    person, deputy = PersonFactory(name="Lee Cox"), PersonFactory(name="Dee Puty")
    client.force_login(secretariat)
    response = _add(client, dag, person, deputy=deputy.pk)  # "voting" left out: non-voting
    assert response.status_code == 302
    membership = Membership.objects.get(group=dag, person=person)
    assert (membership.role, membership.voting, membership.deputy) == (Role.MEMBER, False, deputy)
    assert membership.start_date == datetime.date(2024, 2, 1)

    edit = reverse("people:member_edit", args=[dag.code, membership.pk])
    version = client.get(edit).context["form"].initial["version"]
    client.post(
        edit,
        {
            "role": Role.OBSERVER,
            "constituency": "Ofgem (Observer)",
            "voting": "on",
            "start_date": "01/02/2024",
            "version": version,
        },
    )
    membership.refresh_from_db()
    assert (membership.role, membership.voting, membership.deputy) == (Role.OBSERVER, True, None)

    end = reverse("people:member_end", args=[dag.code, membership.pk])
    assert client.post(end, {"end_date": "31/01/2024"}).status_code == 200  # before it began
    client.post(end, {"end_date": "30/06/2024"})
    membership.refresh_from_db()
    assert not membership.active and membership.end_date == datetime.date(2024, 6, 30)
    assert membership.history.filter(history_user=secretariat).count() == 3

    page = client.get(reverse("people:members", args=[dag.code])).content.decode()
    former = page.split("Former members", 1)[1]
    assert "Lee Cox" in former and "30/06/2024" in former and "01/02/2024" in former
    assert "Role changed from Member to Observer" in page and "Left on 30/06/2024" in page


def test_ending_the_last_membership_removes_access_at_the_next_request(client, dag, secretariat):
    member = make_user(group=dag, role=Role.MEMBER)
    meeting = MeetingFactory(group=dag)
    attendance_add(meeting=meeting, person=member.person)
    client.force_login(member)
    group_page = reverse("meetings:group_detail", args=[dag.code])
    assert client.get(group_page).status_code == 200
    membership = member.person.memberships.get()
    secretariat_client = client.__class__()
    secretariat_client.force_login(secretariat)
    secretariat_client.post(
        reverse("people:member_end", args=[dag.code, membership.pk]), {"end_date": "07/12/2026"}
    )
    assert client.get(group_page).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404
    # The past meeting still lists them as it was recorded.
    assert Attendance.objects.filter(meeting=meeting, person=member.person).exists()


def test_someone_who_left_can_join_again(client, dag, secretariat):
    person = PersonFactory()
    Membership.objects.create(
        group=dag, person=person, role=Role.MEMBER, active=False, end_date=datetime.date(2023, 1, 1)
    )
    client.force_login(secretariat)
    assert _add(client, dag, person).status_code == 302
    assert Membership.objects.filter(group=dag, person=person).count() == 2
    refused = _add(client, dag, person)  # already a current member
    assert "already member of DAG" in refused.context["form"].errors["person"][0]


# The matrix: role in the group (or another group's secretariat, or a programme
# administrator) x each change. Refusals write nothing.
WHO = ["secretariat", "chair", "member", "observer", "other_secretariat", "programme_admin"]
MAY = {"secretariat", "programme_admin"}


@pytest.fixture
def actor(request, dag):
    def make(who):
        if who == "other_secretariat":
            return make_user(group=GroupFactory(code="TMAG"), role=Role.SECRETARIAT)
        if who == "programme_admin":
            user = make_user()
            user.person.programme_administrator = True
            user.person.save()
            return user
        return make_user(group=dag, role=Role(who))

    return make


@pytest.mark.parametrize("who", WHO)
def test_membership_matrix(client, dag, actor, who):
    user = actor(who)
    target = Membership.objects.create(group=dag, person=PersonFactory(), role=Role.MEMBER)
    newcomer = PersonFactory()
    client.force_login(user)
    before = (Membership.objects.count(), Membership.history.count())
    tor_before = GovernanceGroup.objects.get(pk=dag.pk).terms_of_reference
    posts = [
        (reverse("people:member_add", args=[dag.code]), {"person": newcomer.pk, "role": "member"}),
        (
            reverse("people:member_edit", args=[dag.code, target.pk]),
            {"role": "chair", "version": target.history.latest().history_id},
        ),
        (reverse("people:member_end", args=[dag.code, target.pk]), {"end_date": "07/12/2026"}),
        (
            reverse("people:terms_of_reference", args=[dag.code]),
            {"terms_of_reference": "New terms", "version": dag.history.latest().history_id},
        ),
    ]
    statuses = [client.post(url, data).status_code for url, data in posts]
    if who in MAY:
        assert statuses == [302, 302, 302, 302]
        assert GovernanceGroup.objects.get(pk=dag.pk).terms_of_reference == "New terms"
    else:
        expected = 404 if who == "other_secretariat" else 403
        assert statuses == [expected] * 4
        assert (Membership.objects.count(), Membership.history.count()) == before
        assert GovernanceGroup.objects.get(pk=dag.pk).terms_of_reference == tor_before
        target.refresh_from_db()
        assert target.active and target.role == Role.MEMBER


def test_programme_administrator_creates_a_group_with_its_secretariat(client, dag, actor):
    admin = actor("programme_admin")
    appointed = PersonFactory(name="New Secretary")
    client.force_login(admin)
    response = client.post(
        reverse("people:programme_groups"),
        {
            "code": "SDWG",
            "name": "Solution Design Working Group",
            "level": 4,
            "parent": dag.pk,
            "secretariat": appointed.pk,
        },
    )
    assert response.status_code == 302
    group = GovernanceGroup.objects.get(code="SDWG")
    assert group.memberships.get().person == appointed
    assert group.memberships.get().role == Role.SECRETARIAT
    assert group.history.get().history_user == admin


@pytest.mark.parametrize("who", ["secretariat", "chair"])
def test_only_a_programme_administrator_creates_groups(client, dag, actor, who):
    client.force_login(actor(who))
    response = client.post(
        reverse("people:programme_groups"),
        {"code": "XWG", "name": "X", "level": 4, "secretariat": PersonFactory().pk},
    )
    assert response.status_code == 403
    assert not GovernanceGroup.objects.filter(code="XWG").exists()
