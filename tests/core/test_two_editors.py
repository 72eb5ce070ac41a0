"""No lost edits on any edit form: two editors open the same form, the first saves, the
second's save is refused with both versions shown (the saved values beside the typed ones),
what the second typed is still in the form, and the record holds the first's values.

Every edit form of the app is listed in FORMS; each case names a record, its form's
address, the form's field to pick it by on the page, and one change per editor.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from actions.models import Action
from changerequests.models import ChangeRequest
from changerequests.services import change_request_create
from core.models import Role
from decisions.models import Decision
from decisions.services import decision_create
from meetings.models import AgendaItem, Attendance, Meeting
from raid.models import RaidItem, RaidReview
from raid.services import raid_item_create
from tests.factories import make_action, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


class FormReader(HTMLParser):
    """The fields of each <form> on a page as a browser would post them: {name: [values]}."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {}
            self.forms.append(self.form)
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.form.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.form.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self.select, self.multiple, self.first = name, "multiple" in attrs, None
            self.form.setdefault(name, [])
        elif tag == "option" and self.select:
            if self.first is None:
                self.first = attrs.get("value", "")
            if "selected" in attrs:
                self.form[self.select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.form[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.form[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            # A single choice with none marked posts the first; a list may post none.
            if not self.form[self.select] and not self.multiple and self.first is not None:
                self.form[self.select].append(self.first)
            self.select = None
        elif tag == "textarea":
            value = self.form[self.textarea][0]
            self.form[self.textarea][0] = value[1:] if value.startswith("\n") else value
            self.textarea = None
        elif tag == "form":
            self.form = None


def open_form(client, url, field):
    """Load the page and return the data of its form that has `field`, ready to post."""
    response = client.get(url)
    assert response.status_code == 200, url
    return form_data(response.content.decode(), field)


def form_data(page, field):
    """The data a browser would post from the page's form that has `field`."""
    reader = FormReader()
    reader.feed(page)
    form = next(form for form in reader.forms if field in form)
    return {name: v if len(v) > 1 else v[0] for name, v in form.items() if v}


# The edit forms: each builds its record and returns (address, a field of the form,
# the first editor's change, the second editor's change, the record's value of each).


def meeting_header(dag):
    meeting = make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=7))
    return (
        f"/meetings/{meeting.pk}/edit/",
        "venue",
        {"venue": "Room A, Elexon"},
        {"title": "Typed by the second editor"},
        lambda: Meeting.objects.values_list("venue", "title").get(pk=meeting.pk),
    )


def agenda_item(dag):
    meeting = make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=7))
    item = AgendaItem.objects.create(meeting=meeting, number="3", title="CR032", order=1)
    return (
        f"/meetings/{meeting.pk}/agenda/{item.pk}/edit/",
        "title",
        {"title": "CR032 Impact Assessment"},
        {"objective": "Typed by the second editor"},
        lambda: AgendaItem.objects.values_list("title", "objective").get(pk=item.pk),
    )


def attendance_line(dag):
    meeting = make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=7))
    line = Attendance.objects.create(
        meeting=meeting, person=make_person("Seth Chapman"), category="industry"
    )
    prefix = f"line-{line.pk}"
    return (
        f"/meetings/{meeting.pk}/attendance/",
        f"{prefix}-initials",
        {f"{prefix}-role": "Chair"},
        {f"{prefix}-initials": "XY"},
        lambda: Attendance.objects.values_list("role", "initials").get(pk=line.pk),
    )


def action(dag):
    meeting = make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=20))
    record = make_action(meeting, reference="DAG29-02", text="Programme to issue the PPIR")
    return (
        f"/actions/{record.reference}/correct/",
        "text",
        {"area": "Agenda item 4"},
        {"text": "Typed by the second editor"},
        lambda: Action.objects.values_list("area", "text").get(pk=record.pk),
    )


def decision(dag):
    meeting = make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=7))
    record = decision_create(group=dag, meeting=meeting, wording="CR032 to go to IA", area="")
    return (
        f"/decisions/{record.reference}/edit/",
        "wording",
        {"area": "CR032 Impact Assessment"},
        {"wording": "Typed by the second editor"},
        lambda: Decision.objects.values_list("area", "wording").get(pk=record.pk),
    )


def change_request(dag):
    record = change_request_create(title="Change to IF-165", group=dag, reference="CR032")
    return (
        f"/change-requests/{record.reference}/edit/",
        "title",
        {"title": "Change to Interface IF-165 P0210"},
        {"key_detail": "Typed by the second editor"},
        lambda: ChangeRequest.objects.values_list("title", "key_detail").get(pk=record.pk),
    )


def raid_item(dag):
    record = raid_item_create(group=dag, title="A risk", owner=make_person("Paul Pettitt"))
    return (
        f"/raid/{record.reference}/edit/",
        "title",
        {"title": "There is a risk that CRs change the design"},
        {"mitigation": "Typed by the second editor"},
        lambda: RaidItem.objects.values_list("title", "mitigation").get(pk=record.pk),
    )


def raid_review(dag):
    meeting = make_meeting(dag, number=29, date=TODAY - datetime.timedelta(days=7))
    risk = raid_item_create(group=dag, title="A risk", owner=make_person("Paul Pettitt"))
    RaidReview.objects.create(raid_item=risk, meeting=meeting, discussion="Discussed")
    prefix = f"item-{risk.pk}"
    return (
        f"/raid/review/{meeting.pk}/",
        f"{prefix}-discussion",
        {f"{prefix}-discussion": "Reworded at DAG"},
        {f"{prefix}-conclusion": "Typed by the second editor"},
        lambda: RaidReview.objects.values_list("discussion", "conclusion").get(raid_item=risk),
    )


FORMS = [
    meeting_header,
    agenda_item,
    attendance_line,
    action,
    decision,
    change_request,
    raid_item,
    raid_review,
]


@pytest.mark.parametrize("edit_form", FORMS, ids=[f.__name__ for f in FORMS])
def test_the_second_of_two_editors_is_refused_and_loses_nothing(client, dag, edit_form):
    first, second = (
        make_user(name, group=dag, role=Role.SECRETARIAT, person_name=person)
        for name, person in (("first", "Fraser Mathieson"), ("second", "Sam Secretary"))
    )
    url, field, first_change, second_change, stored = edit_form(dag)
    before = stored()
    client.force_login(first)
    first_form = open_form(client, url, field)
    client.force_login(second)
    second_form = open_form(client, url, field)

    client.force_login(first)
    saved = client.post(url, first_form | first_change)
    assert saved.status_code == 302, saved.content.decode()
    after_first = stored()
    assert after_first != before

    client.force_login(second)
    refused = client.post(url, second_form | second_change)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "was changed by Fraser Mathieson" in page and "your changes were not saved" in page
    # Both versions: what the first editor saved, and what the second typed.
    assert "stale-versions" in page
    (first_value,) = first_change.values()
    (second_value,) = second_change.values()
    assert first_value in page and second_value in page
    # What the second editor typed is still in the form, ready to save again.
    typed = form_data(page, field)
    assert all(typed[name] == value for name, value in second_change.items())
    # The record holds the first editor's values.
    assert stored() == after_first
    # Saved again, knowingly (the form now carries the current version), the second wins.
    again = client.post(url, typed)
    assert again.status_code == 302
    assert second_value in stored()
