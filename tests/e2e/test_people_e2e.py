"""Membership and access without the admin, in headless Chromium: the DAG's secretariat adds
someone new to the tracker as a member of DAG and invites them; they accept the emailed link,
choose a password and see DAG's records; the secretariat ends the membership and their next
request for DAG's records is refused."""

import re

import pytest
from playwright.sync_api import expect

from core.models import Role
from notifications.models import EmailKind, OutboundEmail
from tests.e2e.conftest import add_nina_to_dag_and_invite, end_ninas_membership
from tests.factories import make_group, make_person, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_secretariat_adds_invites_and_ends_a_member(browser, live_server, page, login):
    dag = make_group("DAG")
    make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    make_person("Nina Newcomer", email="nina@example.org")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login("pmo")

    page.goto("/groups/DAG/")
    page.get_by_role("link", name=re.compile("Members of DAG, current and former")).click()
    page.get_by_role("link", name="Add a member").click()
    add_nina_to_dag_and_invite(page)

    email = OutboundEmail.objects.get(kind=EmailKind.ACCOUNT_INVITATION)
    link = re.search(r"/accounts/invitation/\S+/", email.body_text).group(0)
    newcomer = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    newcomer.goto(link)
    newcomer.get_by_label("User name").fill("nina")
    newcomer.get_by_label("Password", exact=True).fill("a-long-Passphrase-2026")
    newcomer.get_by_label("The password again").fill("a-long-Passphrase-2026")
    newcomer.get_by_role("button", name="Save and log in").click()
    expect(newcomer.get_by_text("Welcome, Nina Newcomer: you are logged in.")).to_be_visible()
    assert newcomer.goto(f"{live_server.url}/groups/DAG/").status == 200

    end_ninas_membership(page)

    assert newcomer.goto(f"{live_server.url}/groups/DAG/").status == 404
    newcomer.context.close()
    assert not errors
