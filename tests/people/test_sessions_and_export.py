"""Sessions (seen, ended all at once, idle timeout, password change) and the export of
everything held about a person."""

import csv
import io
import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Role
from people.models import UserSession
from people.sessions import LAST_ACTIVITY
from tests.factories import ActionFactory, GroupFactory, MeetingFactory, make_user

pytestmark = pytest.mark.django_db

HOME = reverse("meetings:home")


def _login(user, agent):
    browser = Client(HTTP_USER_AGENT=agent)
    assert (
        browser.post(reverse("login"), {"username": user.username, "password": "pw"}).status_code
        == 302
    )
    return browser


def test_sessions_listed_and_the_others_signed_out(member):
    laptop, phone = _login(member, "Laptop browser"), _login(member, "Phone browser")
    page = laptop.get(reverse("people:my_sessions")).content.decode()
    assert "Laptop browser" in page and "Phone browser" in page
    laptop.post(reverse("people:my_sessions"), {"which": "others"})
    assert phone.get(HOME).status_code == 302
    assert laptop.get(HOME).status_code == 200
    laptop.post(reverse("people:my_sessions"), {"which": "all"})
    assert laptop.get(HOME).status_code == 302
    assert not UserSession.objects.filter(user=member).exists()


def test_an_idle_session_is_signed_out(member, settings, security_log):
    settings.SESSION_IDLE_MINUTES = 30
    browser = _login(member, "Browser")
    session = browser.session
    session[LAST_ACTIVITY] = int(time.time()) - 31 * 60
    session.save()
    assert browser.get(HOME).status_code == 302
    assert security_log.named("session_idle_timeout")


def test_a_password_change_ends_the_other_sessions(member):
    laptop, phone = _login(member, "Laptop"), _login(member, "Phone")
    new = "another-Long-passphrase-9"
    response = laptop.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert laptop.get(HOME).status_code == 200
    assert phone.get(HOME).status_code == 302
    assert list(UserSession.objects.filter(user=member).values_list("user_agent", flat=True)) == [
        "Laptop"
    ]


def test_export_of_everything_held_as_json_and_csv(client, dag, member):
    action = ActionFactory(meeting=MeetingFactory(group=dag), owners=[member.person])
    client.force_login(member)
    data = json.loads(
        client.get(reverse("people:person_export", args=[member.person.pk, "json"])).content
    )["sections"]
    assert data["person"][0]["name"] == "Paul Pettitt"
    assert data["account"][0]["username"] == "member"
    assert "password" not in data["account"][0]
    owned = next(rows for name, rows in data.items() if name.startswith("action owners"))
    assert owned[0]["action_id"] == action.pk
    assert any(name.startswith("memberships") for name in data)
    response = client.get(reverse("people:person_export", args=[member.person.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "row", "field", "value"]
    assert ["person", "1", "name", "Paul Pettitt"] in rows


@pytest.mark.parametrize(
    ("who", "status"),
    [("self", 200), ("secretariat", 200), ("chair", 403), ("other_secretariat", 403)],
)
def test_who_may_export(client, dag, member, secretariat, chair, who, status):
    users = {
        "self": member,
        "secretariat": secretariat,
        "chair": chair,
        "other_secretariat": make_user(group=GroupFactory(code="TMAG"), role=Role.SECRETARIAT),
    }
    client.force_login(users[who])
    url = reverse("people:person_export", args=[member.person.pk, "json"])
    assert client.get(url).status_code == status
