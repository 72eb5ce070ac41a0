"""Small builders for test data. Each takes keyword overrides and saves to the database."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from actions.services import action_create
from core.models import GovernanceGroup, GroupLevel, Membership, Person
from meetings.models import Meeting

_seq = itertools.count(1)


def make_group(code="DAG", **fields):
    fields.setdefault("name", f"{code} group")
    fields.setdefault("level", GroupLevel.ADVISORY)
    group, _ = GovernanceGroup.objects.get_or_create(code=code, defaults=fields)
    return group


def make_person(name=None, **fields):
    n = next(_seq)
    return Person.objects.create(name=name or f"Person {n}", **fields)


def make_user(username=None, *, group=None, role=None, superuser=False, person_name=None):
    """A user with a linked Person, and a membership of `group` with `role` if given."""
    username = username or f"user{next(_seq)}"
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.org", "pw")
    else:
        user = User.objects.create_user(username, f"{username}@example.org", "pw")
    person = make_person(person_name or username.title(), user=user, email=user.email)
    if group is not None and role is not None:
        Membership.objects.create(group=group, person=person, role=role)
    return user


def make_meeting(group=None, number=None, **fields):
    group = group or make_group()
    fields.setdefault("date", datetime.date(2023, 10, 11))
    return Meeting.objects.create(group=group, number=number or next(_seq), **fields)


def make_action(meeting=None, **fields):
    meeting = meeting or make_meeting()
    fields.setdefault("text", "Programme to do a thing")
    fields.setdefault("date_raised", meeting.date)
    fields.setdefault("due_date", meeting.date + datetime.timedelta(days=28))
    return action_create(group=meeting.group, meeting=meeting, **fields)
