"""Test data: factory_boy factories for people, groups and the main records, and the short
make_* builders the older tests call (thin wrappers over the factories).

Records are created through their services (action_create, decision_create...), as the app
creates them, so references are allocated and history is written the same way. Every factory
takes keyword overrides: ActionFactory(meeting=m, owners=[p], due_date=...).
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from actions.models import Action
from actions.services import action_create
from changerequests.models import ChangeRequest
from changerequests.services import change_request_create
from core.models import GovernanceGroup, GroupLevel, Membership, Person, Role
from decisions.models import Decision
from decisions.services import decision_create
from meetings.models import Meeting
from notifications.preferences import set_daily_digest_opt_out
from raid.models import RaidItem
from raid.services import raid_item_create


class GroupFactory(DjangoModelFactory):
    """A level 3 group; the same code twice gives the same group (as make_group always did)."""

    class Meta:
        model = GovernanceGroup
        django_get_or_create = ("code",)

    code = "DAG"
    name = factory.LazyAttribute(lambda group: f"{group.code} group")
    level = GroupLevel.ADVISORY


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n + 1}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    role = Role.MEMBER


class UserFactory(DjangoModelFactory):
    """A user with a linked Person (named `person_name`, else after the username); with
    `group` and `role`, a membership of the group in that role. UserFactory(superuser=True)
    for an administrator. The password is "pw"."""

    class Meta:
        model = get_user_model()

    class Params:
        superuser = factory.Trait(is_superuser=True, is_staff=True)

    username = factory.Sequence(lambda n: f"user{n + 1}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password("pw")

    @classmethod
    def _create(cls, model_class, *args, group=None, role=None, person_name=None, **fields):
        user = super()._create(model_class, *args, **fields)
        person = PersonFactory(
            name=person_name or user.username.title(), email=user.email, user=user
        )
        if group is not None and role is not None:
            MembershipFactory(group=group, person=person, role=role)
        return user


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2023, 10, 11)


class ActionFactory(DjangoModelFactory):
    """An action raised at a meeting (a new one of the DAG unless given), due four weeks on."""

    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    group = factory.SelfAttribute("meeting.group")
    text = "Programme to do a thing"
    date_raised = factory.SelfAttribute("meeting.date")
    due_date = factory.LazyAttribute(lambda a: a.date_raised + datetime.timedelta(days=28))

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return action_create(**fields)


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    group = factory.SubFactory(GroupFactory)
    wording = "The group agreed the approach."

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return decision_create(**fields)


class ChangeRequestFactory(DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    title = factory.Sequence(lambda n: f"Change {n + 1}")

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return change_request_create(**fields)


class RaidItemFactory(DjangoModelFactory):
    """A risk scored 2 x 3."""

    class Meta:
        model = RaidItem

    title = factory.Sequence(lambda n: f"Risk {n + 1}")
    probability = 2
    impact = 3

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return raid_item_create(**fields)


# The builders the older tests call: positional arguments kept, the factories do the work.


def make_group(code="DAG", **fields):
    return GroupFactory(code=code, **fields)


def make_person(name=None, *, daily_digest_opt_out=False, **fields):
    """A person; `daily_digest_opt_out` records that they turned daily digests off (their
    notifications.EmailPreference)."""
    person = PersonFactory(**({"name": name} if name else {}), **fields)
    if daily_digest_opt_out:
        set_daily_digest_opt_out(person=person, opt_out=True)
    return person


def make_user(username=None, *, group=None, role=None, superuser=False, person_name=None):
    """A user with a linked Person, and a membership of `group` with `role` if given."""
    fields = {"username": username} if username else {}
    return UserFactory(
        **fields, group=group, role=role, superuser=superuser, person_name=person_name
    )


def make_meeting(group=None, number=None, **fields):
    return MeetingFactory(
        group=group or make_group(), **({"number": number} if number else {}), **fields
    )


def make_action(meeting=None, **fields):
    meeting = meeting or make_meeting()
    fields.setdefault("due_date", meeting.date + datetime.timedelta(days=28))  # whenever raised
    return ActionFactory(meeting=meeting, **fields)
