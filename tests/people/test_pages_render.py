"""Every new page opens for those allowed, and the list pages run a fixed number of
queries however many people or members there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Membership, Organisation, Role
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def test_every_page_opens(client, dag, secretariat, member):
    organisation = Organisation.objects.create(name="Elexon")
    admin = make_user(superuser=True)
    membership = member.person.memberships.get()
    pages = [
        reverse("people:directory"),
        reverse("people:person_edit", args=[member.person.pk]),
        reverse("people:person_merge", args=[member.person.pk]),
        reverse("people:person_merges", args=[member.person.pk]),
        reverse("people:account", args=[member.person.pk]),
        reverse("people:organisation_list"),
        reverse("people:organisation_edit", args=[organisation.pk]),
        reverse("people:members", args=[dag.code]),
        reverse("people:member_add", args=[dag.code]),
        reverse("people:member_edit", args=[dag.code, membership.pk]),
        reverse("people:member_end", args=[dag.code, membership.pk]),
        reverse("people:terms_of_reference", args=[dag.code]),
        reverse("people:my_sessions"),
        reverse("password_change"),
        member.person.get_absolute_url(),
    ]
    client.force_login(secretariat)
    for page in pages:
        assert client.get(page).status_code == 200, page
    # The person pickers offer everyone (the choices survive the widget).
    add_page = client.get(reverse("people:member_add", args=[dag.code])).content.decode()
    assert f'<option value="{member.person.pk}" data-member="1">' in add_page
    client.force_login(admin)
    assert client.get(reverse("people:programme_groups")).status_code == 200
    assert "Make programme administrator" in client.get(pages[4]).content.decode()


def _grow(group, n):
    for _ in range(n):
        person = PersonFactory(organisation=Organisation.objects.create(name=f"Org {_}-{n}"))
        Membership.objects.create(group=group, person=person, role=Role.MEMBER)
        Membership.objects.create(group=group, person=PersonFactory(), active=False)


@pytest.mark.parametrize("url_name", ["people:directory", "people:members"])
def test_list_pages_run_a_fixed_number_of_queries(
    client, dag, secretariat, url_name, django_assert_num_queries
):
    url = reverse(url_name, args=[dag.code] if url_name == "people:members" else [])
    client.force_login(secretariat)
    _grow(dag, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(dag, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
