"""Emails of the decisions app (decisions/notices.py), through a real SMTP server on
loopback: a proposed decision awaits the chair's approval; the chair's outcome goes to
the secretariat and to whoever proposed it."""

import pytest
from django.urls import reverse

from core.models import Role
from decisions.models import Decision
from decisions.notices import tell_chair_proposed, tell_outcome
from decisions.services import decision_create
from notifications.models import EmailKind
from notifications.preferences import set_notice_opt_outs
from tests.factories import MembershipFactory, make_user

pytestmark = pytest.mark.django_db
SITE = "https://governance.example.org"


def plain(message):
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def proposer(dag):
    """A second secretariat member, who records the decision."""
    return make_user("proposer", group=dag, role=Role.SECRETARIAT, person_name="Paula Proposer")


def propose(client, user, dag, wording="The DAG approved the design artefacts"):
    client.force_login(user)
    response = client.post(
        reverse("decisions:decision_create"), {"group": dag.pk, "wording": wording}
    )
    assert response.status_code == 302, response.content.decode()
    return Decision.objects.get(wording=wording)


def decide(client, chair, decision, **data):
    client.force_login(chair)
    response = client.post(reverse("decisions:decision_approve", args=[decision.reference]), data)
    assert response.status_code == 302, response.content.decode()
    decision.refresh_from_db()


def test_a_proposed_decision_asks_the_chair_once(
    client, dag, proposer, chair, secretariat, mailbox
):
    decision = propose(client, proposer, dag)
    tell_chair_proposed(decision)  # a retry
    mailbox.deliver()
    (message,) = mailbox.messages
    assert message["To"] == chair.email
    assert message["Subject"] == f"[DAG] {decision.reference} awaits your approval"
    text = plain(message)
    assert decision.wording in text
    assert f"{SITE}/decisions/{decision.reference}/" in text
    assert f"{SITE}/decisions/{decision.reference}/approve/" in text
    assert '"Decisions awaiting your approval"' in text and f"{SITE}/email/preferences/" in text


def test_the_outcome_goes_to_the_secretariat_and_the_proposer(
    client, dag, proposer, chair, secretariat, mailbox
):
    decision = propose(client, proposer, dag)
    decide(client, chair, decision, outcome="amend", wording="Amended words", comment="Tidied")
    tell_outcome(decision)  # a retry
    mailbox.deliver()
    outcomes = [m for m in mailbox.messages if "amended wording" in m["Subject"]]
    assert sorted(m["To"] for m in outcomes) == sorted([proposer.email, secretariat.email])
    text = plain(outcomes[0])
    assert outcomes[0]["Subject"] == f"[DAG] {decision.reference} approved with amended wording"
    assert "Amended words" in text and "Proposed wording: The DAG approved" in text
    assert "Comment: Tidied" in text and f"{SITE}/decisions/{decision.reference}/" in text


def test_a_rejection_is_told_too_but_not_to_the_chair_who_decided(
    client, dag, proposer, chair, secretariat, mailbox
):
    MembershipFactory(group=dag, person=chair.person, role=Role.SECRETARIAT)
    decision = propose(client, proposer, dag)
    decide(client, chair, decision, outcome="reject", wording=decision.wording, comment="No")
    mailbox.deliver()
    rejected = [m for m in mailbox.messages if m["Subject"].endswith("rejected")]
    assert sorted(m["To"] for m in rejected) == sorted([proposer.email, secretariat.email])


def test_opting_out_of_one_kind_leaves_the_others(
    client, dag, proposer, chair, secretariat, mailbox
):
    set_notice_opt_outs(person=chair.person, kinds=[EmailKind.DECISION_AWAITING])
    set_notice_opt_outs(person=secretariat.person, kinds=[EmailKind.DECISION_OUTCOME])
    decision = propose(client, proposer, dag)
    decide(client, chair, decision, outcome="approve", wording=decision.wording, comment="")
    mailbox.deliver()
    assert [m["To"] for m in mailbox.messages] == [proposer.email]
    assert mailbox.messages[0]["Subject"] == f"[DAG] {decision.reference} approved"


def test_a_decision_recorded_as_taken_asks_nobody(dag, chair, mailbox):
    decision_create(
        group=dag, wording="Approved already", status="approved", decided_at="2024-06-12T10:00Z"
    )
    mailbox.deliver()
    assert mailbox.messages == []
