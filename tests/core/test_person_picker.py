"""Person pickers (issue 24): the selects that static/js/picker.js turns into a type-ahead
mark the group's members, so that they come first, and work as plain selects without it."""

import datetime

import pytest

from actions.forms import ActionCorrectForm
from changerequests.models import ChangeRequest
from core.models import Membership, Person, Role
from core.templatetags.audit import plain_field_name
from core.widgets import PeopleSelect, PersonSelect, with_membership
from meetings.forms import AgendaItemForm
from meetings.inline_forms import RaiseActionForm
from tests.factories import make_action, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db


def member_options(html):
    return html.count('data-member="1"')


def test_with_membership_marks_active_members_only(dag):
    seth = make_person("Seth Chapman")
    Membership.objects.create(group=dag, person=seth, role=Role.MEMBER)
    left = make_person("Left Earlier")
    Membership.objects.create(group=dag, person=left, role=Role.MEMBER, active=False)
    other = make_person("Other Group")
    Membership.objects.create(group=make_group("TMAG"), person=other, role=Role.MEMBER)

    marked = dict(with_membership(Person.objects.all(), dag).values_list("name", "is_member"))

    assert marked["Seth Chapman"] is True
    assert marked["Left Earlier"] is False and marked["Other Group"] is False


def test_plain_choices_are_marked_from_the_ids_given():
    widget = PersonSelect(members=[2], add="#guest_name")
    widget.choices = [("", "Choose a person"), ("1", "Ann"), ("2", "Bob")]
    html = widget.render("person", "")
    assert 'data-picker=""' in html and 'data-picker-add="#guest_name"' in html
    assert '<option value="2" data-member="1">Bob</option>' in html
    assert '<option value="1">Ann</option>' in html


def test_raise_action_agenda_and_correct_forms_mark_the_groups_members(dag):
    meeting = make_meeting(dag, date=datetime.date(2023, 10, 11))
    seth = make_person("Seth Chapman")
    Membership.objects.create(group=dag, person=seth, role=Role.MEMBER)
    make_person("Not A Member")
    action = make_action(meeting)

    for form, name in [
        (RaiseActionForm(meeting=meeting), "owners"),
        (AgendaItemForm(meeting=meeting), "lead"),
        (ActionCorrectForm(instance=action), "owners"),
    ]:
        html = str(form[name])
        assert "data-picker" in html, name
        assert f'value="{seth.pk}" data-member="1"' in html, name
        assert member_options(html) == 1, name
    assert isinstance(RaiseActionForm(meeting=meeting).fields["owners"].widget, PeopleSelect)


def test_history_names_fields_in_plain_words():
    field = ChangeRequest._meta.get_field("ia_deadline")
    assert plain_field_name(field) == "Impact assessment deadline"
    assert plain_field_name(ChangeRequest._meta.get_field("title")) == "Title"
