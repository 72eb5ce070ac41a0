"""Document kinds come from the feature apps through documents/registry.py: documents
itself names none, the model's choices and the pages follow the registry, and a kind
nobody registered is refused by the service."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from documents.models import Document
from documents.registry import GROUP, MEETING, get_kind, kinds, register_kind
from documents.services import request_document
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db


def test_each_app_contributes_its_kinds_in_the_order_pages_show_them():
    assert [kind.key for kind in kinds(MEETING)] == ["minutes", "headline"]
    assert [kind.key for kind in kinds(GROUP)] == ["open_actions", "cr_status", "raid"]
    assert get_kind("cr_status").period and not get_kind("raid").period
    assert get_kind("minutes").source.__module__ == "meetings.documents"
    assert get_kind("open_actions").source.__module__ == "actions.documents"
    choices = dict(Document._meta.get_field("kind").choices)
    assert choices["raid"] == "RAID report" and len(choices) == 5


def test_a_kind_nobody_registered_is_refused():
    meeting = make_meeting(make_group("TG"), number=3, date=datetime.date(2024, 3, 13))
    with pytest.raises(ValidationError):
        request_document(kind="agenda", meeting=meeting)
    assert not Document.objects.exists()


def test_registering_a_kind_twice_or_a_group_kind_without_its_form_is_an_error():
    minutes = get_kind("minutes")
    assert register_kind("minutes", minutes.label, scope=MEETING, source=minutes.source)
    with pytest.raises(ImproperlyConfigured):
        register_kind("minutes", "Other minutes", scope=MEETING, source=minutes.source)
    with pytest.raises(ImproperlyConfigured):
        register_kind("agenda", "Agenda", scope=GROUP, source=minutes.source)
    assert get_kind("minutes") == minutes and "agenda" not in dict(
        Document._meta.get_field("kind").choices
    )
