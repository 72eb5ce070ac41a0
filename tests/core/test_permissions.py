"""The full matrix of role x permission x own group / other group, decided in one module."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from actions.models import Action
from core.models import Role
from core.permissions import (
    Perm,
    filter_visible,
    get_object_for_user,
    groups_for,
    may_in_some_group,
    user_can,
)
from tests.factories import (
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

# What each role may do to a record of its OWN group. In any other group: nothing.
RAISE = Perm.RAISE_CHANGE_REQUEST
REVOKE = Perm.REVOKE_UPDATE_LINKS
EXPECTED = {
    Role.SECRETARIAT: {
        Perm.VIEW,
        Perm.EDIT,
        Perm.CLOSE_ACTION,
        Perm.UPDATE_ACTION,
        RAISE,
        REVOKE,
    },
    Role.CHAIR: {Perm.VIEW, Perm.APPROVE, Perm.CLOSE_ACTION, Perm.UPDATE_ACTION, RAISE},
    Role.MEMBER: {Perm.VIEW, RAISE},
    Role.OBSERVER: {Perm.VIEW},
}


@pytest.fixture
def world(dag):
    """An action of the DAG ("own") and one of another group ("other")."""
    return {
        "own": ActionFactory(meeting=MeetingFactory(group=dag)),
        "other": ActionFactory(meeting=MeetingFactory(group=GroupFactory(code="TMAG"))),
        "dag": dag,
    }


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", list(Perm))
@pytest.mark.parametrize("where", ["own", "other"])
def test_role_matrix(world, dag_users, role, perm, where):
    user = dag_users[role]
    expected = where == "own" and perm in EXPECTED[role]
    assert user_can(user, perm, world[where]) is expected


@pytest.mark.parametrize("perm", list(Perm))
def test_superuser_may_do_everything(world, perm):
    admin = UserFactory(superuser=True)
    assert user_can(admin, perm, world["own"])
    assert user_can(admin, perm, world["other"])


@pytest.mark.parametrize("perm", list(Perm))
def test_no_role_and_anonymous_may_do_nothing(world, perm):
    outsider = UserFactory()  # no role anywhere
    assert not user_can(outsider, perm, world["own"])
    assert not user_can(AnonymousUser(), perm, world["own"])


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER])
def test_owner_may_update_but_not_close_own_action(world, dag_users, role):
    user = dag_users[role]
    world["own"].owners.add(user.person)
    assert user_can(user, Perm.UPDATE_ACTION, world["own"])
    assert user_can(user, Perm.REVOKE_UPDATE_LINKS, world["own"])
    assert not user_can(user, Perm.CLOSE_ACTION, world["own"])
    assert not user_can(user, Perm.EDIT, world["own"])


def test_owner_outside_the_group_may_not_update(world, member):
    """Owning an action of a group you have no role in gives no access through the app."""
    world["other"].owners.add(member.person)
    assert not user_can(member, Perm.UPDATE_ACTION, world["other"])


def test_inactive_user_may_do_nothing(world, secretariat):
    secretariat.is_active = False
    assert not user_can(secretariat, Perm.VIEW, world["own"])


def test_records_inherit_the_group_of_their_meeting(world, chair):
    meeting = world["own"].meeting
    assert user_can(chair, Perm.APPROVE, meeting)
    update = world["own"].updates.create(date=meeting.date, text="Noted")
    assert user_can(chair, Perm.VIEW, update)


def test_get_object_for_user_answers_404_outside_and_403_without_right(world, member):
    queryset = Action.objects.all()
    assert get_object_for_user(member, queryset, pk=world["own"].pk) == world["own"]
    with pytest.raises(Http404):
        get_object_for_user(member, queryset, pk=world["other"].pk)
    with pytest.raises(Http404):
        get_object_for_user(member, queryset, pk=0)
    with pytest.raises(PermissionDenied):
        get_object_for_user(member, queryset, Perm.CLOSE_ACTION, pk=world["own"].pk)


def test_filter_visible(world, member):
    assert list(filter_visible(member, Action.objects.all())) == [world["own"]]
    admin = UserFactory(superuser=True)
    assert filter_visible(admin, Action.objects.all()).count() == 2


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", list(Perm))
def test_groups_for_answers_as_user_can_does(world, role, perm):
    """The groups offered in forms and filters are those user_can() allows, and
    may_in_some_group() says whether there is one (owners' update right is per action)."""
    user = make_user(group=world["dag"], role=role)
    allowed = perm in EXPECTED[role]
    assert list(groups_for(user, perm)) == ([world["dag"]] if allowed else [])
    assert may_in_some_group(user, perm) is allowed


def test_groups_for_a_superuser_is_every_group_and_for_anonymous_none(world):
    admin = make_user(superuser=True)
    assert set(groups_for(admin, Perm.EDIT)) == {world["dag"], world["other"].group}
    assert may_in_some_group(admin, Perm.APPROVE)
    assert not groups_for(AnonymousUser(), Perm.VIEW).exists()
    assert not may_in_some_group(AnonymousUser(), Perm.VIEW)
