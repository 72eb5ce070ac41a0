"""Every model of the tracker is in the Django admin, and its pages render."""

import datetime

import pytest
from django.contrib import admin

from actions.models import ActionOwner, ActionUpdate
from changerequests.models import ChangeRequestTransition, Stage
from changerequests.services import change_request_create
from core.models import Membership, Organisation
from decisions.services import decision_create
from meetings.models import AgendaItem, Attendance, AttendanceCategory
from notifications.preferences import set_daily_digest_opt_out
from raid.models import RaidReview
from raid.services import raid_item_create
from tests.factories import make_action, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

APPS = {
    "core",
    "notifications",
    "documents",
    "meetings",
    "actions",
    "decisions",
    "changerequests",
    "raid",
}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def records():
    """One of everything, so changelists render rows and change pages have an object."""
    meeting = make_meeting()
    person = make_person(organisation=Organisation.objects.create(name="Elexon"))
    Membership.objects.create(group=meeting.group, person=person)
    Attendance.objects.create(meeting=meeting, person=person, category=AttendanceCategory.CHAIR)
    item = AgendaItem.objects.create(meeting=meeting, number="1", title="Welcome", lead=person)
    cr = change_request_create(title="A change", group=meeting.group)
    ChangeRequestTransition.objects.create(
        change_request=cr, to_stage=Stage.IMPACT_ASSESSMENT, date=datetime.date(2023, 10, 12)
    )
    action = make_action(meeting, agenda_item=item, owners=[person], change_requests=[cr])
    ActionUpdate.objects.create(action=action, date=meeting.date, text="Started")
    decision_create(group=meeting.group, meeting=meeting, wording="Agreed")
    risk = raid_item_create(title="A risk", group=meeting.group, owner=person)
    RaidReview.objects.create(raid_item=risk, meeting=meeting, discussion="Keep")
    set_daily_digest_opt_out(person=person, opt_out=True)


def test_every_model_is_registered():
    registered = {model._meta.label for model in MODELS}
    assert {
        "core.Organisation",
        "core.Person",
        "core.GovernanceGroup",
        "core.Membership",
        "meetings.Meeting",
        "meetings.Attendance",
        "meetings.AgendaItem",
        "actions.Action",
        "actions.ActionUpdate",
        "decisions.Decision",
        "changerequests.ChangeRequest",
        "changerequests.ChangeRequestTransition",
        "raid.RaidItem",
        "raid.RaidReview",
        "notifications.EmailPreference",
    } <= registered
    assert ActionOwner not in admin.site._registry  # edited inline on the action


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_render(client, records, model):
    client.force_login(make_user(superuser=True))
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"

    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 200
    obj = model.objects.first()
    assert client.get(f"{base}{obj.pk}/change/").status_code == 200
    if hasattr(model, "history"):
        assert client.get(f"{base}{obj.pk}/history/").status_code == 200
