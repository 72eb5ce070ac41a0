"""Logging in and out, and the base layout every page shares."""

import pytest

from core.models import Role
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db


def test_login_page_renders_without_login(client):
    response = client.get("/accounts/login/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Username</label>' in content
    assert 'aria-label="Main"' not in content  # no menu before logging in
    assert "Log out" not in content


def test_login_then_lands_on_the_page_asked_for(client):
    make_user("lee")

    response = client.post(
        "/accounts/login/", {"username": "lee", "password": "pw", "next": "/actions/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/actions/"


def test_login_page_opened_directly_sends_to_home(client):
    content = client.get("/accounts/login/").content.decode()

    assert '<input type="hidden" name="next" value="/">' in content


def test_wrong_password_is_refused_with_a_message(client):
    make_user("lee")

    response = client.post("/accounts/login/", {"username": "lee", "password": "wrong"})

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_logout_is_a_post_and_returns_to_login(client):
    client.force_login(make_user("lee"))

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_layout_has_skip_link_menu_user_and_htmx(client):
    client.force_login(make_user("lee", group=make_group("DAG"), role=Role.MEMBER))

    content = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in content and 'id="main"' in content
    assert '<a href="/" aria-current="page">Home</a>' in content
    assert '<a href="/actions/?owner=me">My actions</a>' in content
    assert "Signed in as <strong>Lee</strong>" in content
    assert '<form method="post" action="/accounts/logout/">' in content
    assert 'hx-headers=\'{"X-CSRFToken": "' in content
    assert "django_htmx/htmx" in content
    assert "Admin</a>" not in content


def test_admin_link_for_superusers_only(client):
    client.force_login(make_user(superuser=True))

    assert '<a href="/admin/">Admin</a>' in client.get("/").content.decode()


def test_menu_marks_the_page_and_the_section_of_a_detail_page(client):
    make_group("DAG")
    client.force_login(make_user(superuser=True))

    assert (
        '<a href="/groups/" aria-current="page">Groups</a>'
        in client.get("/groups/").content.decode()
    )
    detail = client.get("/groups/DAG/").content.decode()
    assert '<a href="/groups/" aria-current="true">Groups</a>' in detail
