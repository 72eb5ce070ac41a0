"""No API list or detail grows its query count with the data: each register is read at one
row and at four rows of everything it shows (owners, latest updates, raisers,
organisations), each record at one and five of every row it shows, and each must take the
same number of queries."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from actions.services import action_add_update, set_owners
from api.tokens import token_create
from core.models import Organisation, Role
from documents.models import Document
from meetings.models import AgendaItem, Attendance, AttendanceCategory
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


def add_to_one_of_each(dag, meeting, action, records, count, start):
    """`count` more of every row one record's detail shows: the meeting's attendance lines
    and agenda items with their leads, the action's owners and updates, and a version more
    of each versioned record (its ETag is its latest)."""
    for n in range(start, start + count):
        person = PersonFactory(organisation=Organisation.objects.get_or_create(name="Elexon")[0])
        MembershipFactory(group=dag, person=person, role=Role.MEMBER)
        Attendance.objects.create(
            meeting=meeting, person=person, category=AttendanceCategory.INDUSTRY, initials=f"P{n}"
        )
        AgendaItem.objects.create(
            meeting=meeting, number=str(n), order=n, title=f"Item {n}", lead=person
        )
        set_owners(action=action, owners=[*action.owners.all(), person])
        action_add_update(action=action, text=f"Update {n}.", date=meeting.date, author=person)
        for record in records:
            record.save()


def test_detail_queries_do_not_grow_with_the_rows(observer, dag, django_assert_num_queries):
    """Each record's detail, and an action's updates, read as many queries with one of each
    related row as with five: the meeting's attendance (with each person) and agenda (with
    each lead) are prefetched, the action's owners and updates come with their people, and
    the ETag is one query for the latest version (not a query per row or per version)."""
    organisation = Organisation.objects.create(name="Elexon")
    meeting = make_meeting(group=dag, number=1)
    owner = PersonFactory(organisation=organisation)
    action = make_action(meeting=meeting, owners=[owner])
    decision = DecisionFactory(group=dag, meeting=meeting)
    cr = ChangeRequestFactory(group=dag, raiser_person=owner, raiser_organisation=organisation)
    raid = RaidItemFactory(group=dag, owner=owner)
    document = Document.objects.create(
        kind="minutes", scope=f"meeting:{meeting.pk}", version=1, meeting=meeting
    )
    urls = [
        f"/api/groups/{dag.code}/",
        f"/api/people/{owner.pk}/",
        f"/api/meetings/{meeting.pk}/",
        f"/api/actions/{action.reference}/",
        f"/api/actions/{action.reference}/updates/",
        f"/api/decisions/{decision.reference}/",
        f"/api/change-requests/{cr.reference}/",
        f"/api/raid/{raid.reference}/",
        f"/api/documents/{document.pk}/",
    ]
    records = [dag, action, decision, cr, raid]
    add_to_one_of_each(dag, meeting, action, records, 1, start=1)

    def read(url):
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(pk=observer.pk))
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        return len(context)

    small = {url: read(url) for url in urls}
    add_to_one_of_each(dag, meeting, action, records, 4, start=2)
    for url, count in small.items():
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(pk=observer.pk))
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    shown = APIClient()
    shown.force_authenticate(observer)
    assert len(shown.get(f"/api/meetings/{meeting.pk}/").json()["agenda"]) == 5
    assert len(shown.get(f"/api/actions/{action.reference}/updates/").json()) == 5


def test_tokens_page_queries_do_not_grow_with_the_tokens(
    client, observer, django_assert_num_queries
):
    """One's tokens are one query, however many (nothing is read per token)."""
    client.force_login(observer)
    token_create(user=observer, name="Token 1", days=30)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("api:tokens")).status_code == 200
    for n in range(2, 6):
        token_create(user=observer, name=f"Token {n}", days=30)
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("api:tokens"))
    assert "Token 5" in response.content.decode()
