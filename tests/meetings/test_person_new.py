"""Adding someone new to the tracker from a person picker (issue 24, item 4): the
secretariat saves a person (with history) and gets their id and label for the picker, or,
without JavaScript, goes back to the page they came from; members and observers are
refused and nothing is written; a name already in the tracker is refused, naming who."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core.models import Organisation, Person
from core.permissions import may_add_people
from tests.factories import make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = reverse("meetings:person_new")


def test_secretariat_adds_a_person_for_the_picker(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        URL,
        {"name": "  Zed   Newcomer ", "organisation": "Elexon", "email": "zed@example.com"},
        **HTMX,
    )
    assert response.status_code == 201
    person = Person.objects.get(name="Zed Newcomer")
    assert json.loads(response.content) == {"id": person.pk, "label": "Zed Newcomer"}
    assert person.organisation == Organisation.objects.get(name="Elexon")
    assert person.email == "zed@example.com"
    assert person.initials == "ZN"  # suggested when left blank
    created = person.history.get()
    assert created.history_type == "+"
    assert created.history_user == secretariat


def test_the_form_suggests_initials_from_the_typed_name(client, secretariat):
    client.force_login(secretariat)
    response = client.get(URL, {"name": "Morven Hunter"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Morven Hunter"' in html
    assert 'value="MH"' in html
    assert "<html" not in html  # only the form, for the picker's dialog


def test_initials_given_are_kept(client, secretariat):
    client.force_login(secretariat)
    client.post(URL, {"name": "Sean Cooper", "initials": " SCo "}, **HTMX)
    assert Person.objects.get(name="Sean Cooper").initials == "SCo"


@pytest.mark.parametrize("role", ["member", "observer"])
def test_members_and_observers_are_refused_and_nothing_is_written(client, request, role):
    client.force_login(request.getfixturevalue(role))
    before = Person.objects.count()
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"name": "Zed Newcomer"}, **HTMX)
    assert response.status_code == 403
    assert Person.objects.count() == before
    assert not Person.objects.filter(name="Zed Newcomer").exists()


def test_login_required(client, db):
    response = client.post(URL, {"name": "Zed Newcomer"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Person.objects.filter(name="Zed Newcomer").exists()


def test_a_name_already_in_the_tracker_is_refused_naming_who(client, secretariat):
    org = Organisation.objects.create(name="Ofgem")
    make_person("Seth Chapman", organisation=org)
    client.force_login(secretariat)
    response = client.post(URL, {"name": "seth  CHAPMAN", "initials": "SC"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Seth Chapman (Ofgem) is already in the tracker" in html
    assert 'id="new_person_name_error"' in html  # at the field
    assert 'value="seth  CHAPMAN"' in html  # what was typed is kept
    assert Person.objects.filter(name__iexact="seth chapman").count() == 1


def test_bad_input_shows_errors_at_the_fields(client, secretariat):
    make_person("Paula Owner", email="paula@example.com")
    client.force_login(secretariat)
    response = client.post(URL, {"name": "   ", "email": "not an email"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "email"}
    response = client.post(URL, {"name": "Paula Other", "email": "PAULA@example.com"})
    assert "Paula Owner already has this email" in response.content.decode()
    assert not Person.objects.filter(name="Paula Other").exists()


def test_without_javascript_returns_to_the_page_it_came_from(client, secretariat):
    client.force_login(secretariat)
    back = "/meetings/3/minutes/write/?item=2"
    page = client.get(URL, {"next": back, "name": "Zed"})
    assert page.status_code == 200
    assert f'name="next" value="{back}"' in page.content.decode().replace("&amp;", "&")
    response = client.post(URL, {"name": "Zed Newcomer", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    person = Person.objects.get(name="Zed Newcomer")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "<dt>Initials</dt><dd>ZN</dd>" in page


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_an_address_elsewhere_is_never_followed(client, secretariat, next_url):
    client.force_login(secretariat)
    page = client.get(URL, {"next": next_url})
    assert "evil" not in page.content.decode()
    response = client.post(URL, {"name": "Zed Newcomer", "next": next_url})
    person = Person.objects.get(name="Zed Newcomer")
    assert response["Location"] == person.get_absolute_url()


def test_pickers_link_the_secretariat_to_the_page_and_only_them(client, secretariat, member):
    meeting = make_meeting(secretariat.person.memberships.get().group)
    client.force_login(secretariat)
    page = client.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    assert f'data-person-new="{URL}"' in page
    assert f'href="{URL}?next=' in page
    client.force_login(member)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "data-person-new" not in page


def test_only_the_secretariat_may_add_people(dag_users, outsider):
    allowed = {role: may_add_people(user) for role, user in dag_users.items()}
    assert allowed == {"secretariat": True, "chair": False, "member": False, "observer": False}
    assert not may_add_people(outsider)
    assert not may_add_people(AnonymousUser())
    assert may_add_people(make_user("root", superuser=True))
