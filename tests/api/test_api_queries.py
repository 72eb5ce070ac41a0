"""No API list grows its query count with the data: each register is read at one row and
at four rows of everything it shows (owners, latest updates, raisers, organisations), and
must take the same number of queries."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actions.services import action_add_update
from core.models import Organisation, Role
from documents.models import Document
from tests.factories import (
    ChangeRequestFactory,
    DecisionFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    RaidItemFactory,
    make_action,
    make_meeting,
)

REGISTERS = [
    "/api/groups/",
    "/api/people/",
    "/api/meetings/",
    "/api/actions/",
    "/api/decisions/",
    "/api/change-requests/",
    "/api/raid/",
    "/api/documents/",
]


def add_rows(dag, reader, count, start):
    """`count` more of every record, each with its related rows, and groups of `reader`."""
    organisation = Organisation.objects.get_or_create(name="Elexon")[0]
    for n in range(start, start + count):
        MembershipFactory(
            group=GroupFactory(code=f"WG{n}"), person=reader.person, role=Role.OBSERVER
        )
        meeting = make_meeting(group=dag, number=n)
        owner = PersonFactory(organisation=organisation)
        action = make_action(meeting=meeting, owners=[owner])
        action_add_update(action=action, text="On track.", date=meeting.date)
        DecisionFactory(group=dag, meeting=None)
        ChangeRequestFactory(group=dag, raiser_person=owner, raiser_organisation=organisation)
        RaidItemFactory(group=dag, owner=owner)
        Document.objects.create(
            kind="minutes", scope=f"meeting:{meeting.pk}", version=1, meeting=meeting
        )


def queries(user_pk, url):
    client = APIClient()
    # A fresh user each time: the roles cached on a user object are read again.
    client.force_authenticate(get_user_model().objects.get(pk=user_pk))
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context), len(response.json()["results"])


def test_list_queries_do_not_grow_with_the_rows(observer, dag, django_assert_num_queries):
    add_rows(dag, observer, 1, start=1)
    small = {url: queries(observer.pk, url) for url in REGISTERS}
    add_rows(dag, observer, 3, start=2)
    for url, (count, rows) in small.items():
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(pk=observer.pk))
        with django_assert_num_queries(count):
            response = client.get(url)
        assert len(response.json()["results"]) > rows, url
