"""Audit history: every create, update and delete of the audited records is kept with who,
when and what changed."""

import pytest

from actions.models import Action, ActionStatus
from changerequests.services import change_request_create
from decisions.services import decision_create
from meetings.models import AgendaItem, Attendance, AttendanceCategory, Meeting
from raid.services import raid_item_create
from tests.factories import make_action, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db


def _make_each():
    meeting = make_meeting()
    return [
        meeting,
        Attendance.objects.create(
            meeting=meeting, person=make_person(), category=AttendanceCategory.INDUSTRY
        ),
        AgendaItem.objects.create(meeting=meeting, number="1", title="Welcome"),
        make_action(meeting),
        decision_create(group=meeting.group, wording="Agreed"),
        change_request_create(title="Change"),
        raid_item_create(title="Risk", probability=2, impact=3),
    ]


def test_create_update_delete_are_recorded_for_every_audited_model():
    for obj in _make_each():
        field = {
            Meeting: "venue",
            Attendance: "role",
            AgendaItem: "title",
            Action: "area",
        }.get(type(obj), "title" if hasattr(obj, "title") else "wording")
        setattr(obj, field, "Changed")
        obj.save()
        history = list(obj.history.order_by("history_date"))
        assert [h.history_type for h in history] == ["+", "~"], type(obj)
        delta = history[1].diff_against(history[0])
        assert [change.field for change in delta.changes] == [field]
        assert delta.changes[0].new == "Changed"
        model = type(obj)
        pk = obj.pk
        if model is Meeting:
            continue  # protected by its actions; its deletion is covered below
        obj.delete()
        assert model.history.filter(id=pk).latest().history_type == "-"


def test_meeting_deletion_is_recorded():
    meeting = make_meeting()
    pk = meeting.pk
    meeting.delete()
    assert Meeting.history.filter(id=pk).latest().history_type == "-"


def test_who_changed_is_recorded():
    user = make_user("secretariat")
    action = make_action()
    action.status = ActionStatus.ONGOING
    action._history_user = user
    action.save()
    assert action.history.latest().history_user == user


def test_owner_changes_are_recorded():
    action = make_action()
    person = make_person("Lee Cox")
    action.owners.add(person)
    latest = action.history.latest()
    assert [owner.person_id for owner in latest.owners.all()] == [person.pk]
