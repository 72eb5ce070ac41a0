"""The email pages: the secretariat's log (notifications/views.py) and "send digest now"
(actions/email_views.py)."""

import datetime
import re

import pytest
from django.urls import reverse

from core.models import Membership, Role
from notifications.models import EmailKind, EmailStatus, OutboundEmail
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

D = datetime.date
# The log page: session, user, the user's roles (menu, permission) and Person (menu), the
# secretariat's groups, the count and the page of emails, the opted-out people, and the
# choices of the two forms (people, groups).
LOG_QUERIES = 10


@pytest.fixture
def dag(db):
    return make_group("DAG", name="Design Advisory Group")


@pytest.fixture
def secretariat(client, dag):
    user = make_user("sec", group=dag, role=Role.SECRETARIAT)
    client.force_login(user)
    return user


def make_email(n, *, group=None, person=None, **fields):
    fields = {
        "kind": EmailKind.DIGEST,
        "to_address": f"p{n}@example.org",
        "subject": f"Subject {n}",
        "body_text": "Text",
        "message_id": f"<{n}@test>",
        "references": [f"DAG29-{n:02d}"],
        **fields,
    }
    return OutboundEmail.objects.create(key=f"k{n}", group=group, person=person, **fields)


def test_log_shows_the_groups_emails_with_status_and_failure_reason(client, secretariat, dag):
    owner = make_person("Paul Pettitt", email="paul@example.org", daily_digest_opt_out=True)
    make_action(make_meeting(dag), owners=[owner])
    make_email(
        1,
        group=dag,
        person=owner,
        status=EmailStatus.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 no such user",
    )
    make_email(2, person=owner)  # a digest across groups: shown, as Paul owns a DAG action
    make_email(3, group=make_group("PSG"))  # another group's
    stranger = make_person("Stranger", email="s@example.org")
    make_email(4, person=stranger)  # a cross-group digest of someone outside DAG
    response = client.get(reverse("email:email_log"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "DAG29-01" in body and "DAG29-02" in body
    assert "DAG29-03" not in body and "DAG29-04" not in body
    assert "550 no such user" in body and "Failed" in body
    # The opted-out list names Paul.
    assert [p.name for p in response.context["opted_out"]] == ["Paul Pettitt"]


def test_log_filters_by_status_and_reference(client, secretariat, dag):
    make_email(1, group=dag, status=EmailStatus.FAILED, attempts=5, last_error="boom")
    make_email(2, group=dag)
    response = client.get(reverse("email:email_log"), {"status": "failed"})
    assert [e.key for e in response.context["page"]] == ["k1"]
    response = client.get(reverse("email:email_log"), {"q": "DAG29-02"})
    assert [e.key for e in response.context["page"]] == ["k2"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAIR, Role.OBSERVER])
def test_log_is_for_the_secretariat_only(client, dag, role):
    client.force_login(make_user(group=dag, role=role))
    assert client.get(reverse("email:email_log")).status_code == 403
    assert client.post(reverse("email:send_digest")).status_code == 403


def test_log_needs_a_login(client, db):
    response = client.get(reverse("email:email_log"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_log_runs_a_fixed_number_of_queries(client, secretariat, dag, django_assert_num_queries):
    """Prevents one query per row for its person and group (select_related)."""
    for size in (3, 40):
        for n in range(OutboundEmail.objects.count(), size):
            make_email(n, group=dag, person=make_person(email=f"x{n}@example.org"))
        with django_assert_num_queries(LOG_QUERIES):
            assert client.get(reverse("email:email_log")).status_code == 200


def test_log_filters_by_group(client, secretariat, dag):
    psg = make_group("PSG")
    Membership.objects.create(group=psg, person=secretariat.person, role=Role.SECRETARIAT)
    owner = make_person("Paul Pettitt", email="paul@example.org", daily_digest_opt_out=True)
    make_action(make_meeting(dag), owners=[owner])
    make_person("Quiet PSG", email="q@example.org", daily_digest_opt_out=True)
    make_email(1, group=dag)
    make_email(2, person=owner)  # Paul's digest across groups: he owns a DAG action
    make_email(3, group=psg)
    response = client.get(reverse("email:email_log"), {"group": "DAG"})
    assert [e.key for e in response.context["page"]] == ["k2", "k1"]
    assert [p.name for p in response.context["opted_out"]] == ["Paul Pettitt"]
    response = client.get(reverse("email:email_log"), {"group": "PSG"})
    assert [e.key for e in response.context["page"]] == ["k3"]
    # A group the user is not secretariat of is not offered, and filters nothing.
    make_group("XYZ")
    response = client.get(reverse("email:email_log"), {"group": "XYZ"})
    assert response.status_code == 200 and len(response.context["page"]) == 3


def test_retried_email_shows_as_retrying_with_its_reason(client, secretariat, dag):
    make_email(
        1,
        group=dag,
        attempts=2,
        last_error="Try 2 on 12/06/2024 08:01: SMTPServerDisconnected (next try in about 2 min)",
    )
    body = client.get(reverse("email:email_log")).content.decode()
    assert "Retrying" in body and "next try in about 2 min" in body and "2 tries" in body


def test_the_secretariat_finds_the_log_from_the_menu_and_the_group_page(client, secretariat, dag):
    page = client.get(reverse("meetings:group_detail", args=[dag.code])).content.decode()
    assert f'href="{reverse("email:email_log")}?group=DAG"' in page
    assert f'href="{reverse("email:email_log")}">Email log</a>' in page
    client.force_login(make_user(group=dag, role=Role.MEMBER))
    page = client.get(reverse("meetings:group_detail", args=[dag.code])).content.decode()
    assert reverse("email:email_log") not in page


def test_send_digest_now_queues_one_email_per_form(
    client, secretariat, dag, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import outbox

    sent = []
    monkeypatch.setattr(outbox.send_outbound_email, "delay", sent.append)
    owner = make_person("Paul Pettitt", email="paul@example.org", daily_digest_opt_out=True)
    make_action(make_meeting(dag, date=D(2024, 1, 10)), owners=[owner], due_date=D(2024, 2, 1))
    form = client.get(reverse("email:email_log")).context["send_form"]
    data = {"person": owner.pk, "token": form.initial["token"]}
    for _ in range(2):  # a double submit
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("email:send_digest"), data, follow=True)
    assert "Digest for Paul Pettitt queued" in response.content.decode()
    email = OutboundEmail.objects.get()
    assert email.key.startswith("digest-manual:") and email.requested_by == secretariat
    assert email.person == owner and sent == [email.pk]
    assert "(sent by hand)" in response.content.decode()


def test_send_digest_now_with_nothing_due_sends_nothing(client, secretariat, dag):
    owner = make_person("Paul Pettitt", email="paul@example.org")
    make_action(make_meeting(dag), owners=[owner], due_date=D(2099, 1, 1))
    response = client.post(
        reverse("email:send_digest"), {"person": owner.pk, "token": "ab12"}, follow=True
    )
    assert "no email sent" in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_send_digest_now_refuses_people_of_other_groups(client, secretariat, dag):
    stranger = make_person("Stranger", email="s@example.org")
    make_action(make_meeting(make_group("PSG")), owners=[stranger])
    response = client.post(reverse("email:send_digest"), {"person": stranger.pk, "token": "ab12"})
    assert response.status_code == 200
    assert response.context["send_form"].errors["person"]
    response = client.post(reverse("email:send_digest"), {"person": "junk"})
    assert response.status_code == 200 and not OutboundEmail.objects.exists()


def test_send_digest_now_with_a_bad_token_offers_a_fresh_one(client, secretariat, dag):
    owner = make_person("Paul Pettitt", email="paul@example.org")
    make_action(make_meeting(dag), owners=[owner], due_date=D(2024, 2, 1))
    response = client.post(reverse("email:send_digest"), {"person": owner.pk, "token": "x" * 300})
    assert response.status_code == 200 and "out of date" in response.content.decode()
    assert re.fullmatch(r"[0-9a-f]{12}", response.context["send_form"]["token"].value())
    assert not OutboundEmail.objects.exists()
