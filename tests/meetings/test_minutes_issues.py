"""Issued minutes stay as issued: each issue is stored with its PDF (labelled "Issue n"),
the pages show the latest issue and what changed since, the secretariat issues corrections
with a reason, and reopening withdraws the approval that approving again supersedes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import Role
from decisions.models import Decision, DecisionStatus
from decisions.services import decision_approve, decision_create
from documents.rendering import build_source, file_name, render_html, render_pdf
from meetings.documents import MINUTES
from meetings.minutes import build_minutes
from meetings.minutes_approval import minutes_approve
from meetings.minutes_data import MeetingMinutes
from meetings.minutes_workflow import minutes_issue, minutes_issue_correction, minutes_reopen
from meetings.models import MeetingStatus, MinutesEvent, MinutesIssue
from tests.factories import make_group, make_user
from tests.meetings.test_minutes_document import build_dag029, doc_url

pytestmark = pytest.mark.django_db

ORIGINAL = "The SRO agreed CR032 should be issued to Impact Assessment"
AMENDED = "The SRO agreed CR032 should go to Impact Assessment in November"


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def secretariat(dag):
    return make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")


@pytest.fixture
def chair(dag):
    return make_user("chair", group=dag, role=Role.CHAIR, person_name="Justin Andrews")


@pytest.fixture
def dag029(dag):
    return build_dag029(dag)


def correct_url(meeting):
    return reverse("meetings:minutes_correct", args=[meeting.pk])


def amend_records(meeting, chair):
    """After issue: the chair approves the decision in amended words and an action's
    text is corrected."""
    decision = meeting.decisions.get()
    decision_approve(decision=decision, user=chair, wording=AMENDED)
    action = meeting.actions.get(text="NGESO to amend CR032")
    action.text = "NGESO to amend CR032 and resubmit"
    action.save()
    return decision, action


def snapshot(meeting):
    """What a forbidden request must leave as it was."""
    return (
        list(meeting.minutes_issues.values_list("pk", "number", "reason")),
        list(MinutesEvent.objects.filter(meeting=meeting).values_list("pk", "kind")),
        list(Decision.objects.values_list("pk", "status", "withdrawn_at")),
        type(meeting).objects.filter(pk=meeting.pk).values_list("status", flat=True).get(),
    )


def pdf_text(document) -> str:
    source = build_source(document)
    pdf = render_pdf(render_html(source, version=document.version, issued=timezone.localdate()))
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_issuing_stores_issue_1_as_issued(client, secretariat, dag029):
    client.force_login(secretariat)
    client.post(reverse("meetings:minutes_issue", args=[dag029.pk]), {"confirm_awaiting": "1"})

    issue = MinutesIssue.objects.get(meeting=dag029)
    assert (issue.number, issue.issued_by, issue.reason) == (1, secretariat, "")
    # The stored data read back as the minutes the builder makes.
    assert MeetingMinutes.from_dict(issue.data) == build_minutes(dag029)
    assert issue.document.kind == MINUTES
    assert issue.document.parameters == {"issue": 1}
    content = client.get(doc_url(dag029)).content.decode()
    assert "Minutes as issued: Issue 1" in content
    assert "The records have not changed since issue." in content
    assert "Changed since issue" not in content


def test_the_pages_show_the_issue_and_what_changed_since(client, secretariat, chair, dag029):
    minutes_issue(meeting=dag029, user=secretariat)
    decision, action = amend_records(dag029, chair)
    client.force_login(secretariat)

    content = client.get(doc_url(dag029)).content.decode()

    paper = content[content.index('class="paper"') :]
    assert ORIGINAL in paper and AMENDED not in paper.split("Issues of the minutes")[0]
    assert "NGESO to amend CR032</td>" in paper
    assert "Changed since issue" in content
    changes = content[content.index("Changed since issue") : content.index('class="paper"')]
    assert (
        f"{action.reference} text: &#x27;NGESO to amend CR032&#x27; → "
        "&#x27;NGESO to amend CR032 and resubmit&#x27;"
    ) in changes
    assert f"{decision.reference} wording: &#x27;{ORIGINAL}&#x27; → &#x27;{AMENDED}&#x27;" in (
        changes
    )
    assert f"{decision.reference} status: &#x27;awaiting approval&#x27; → &#x27;approved" in (
        changes
    )
    overview = client.get(dag029.get_absolute_url()).content.decode()
    assert "Changed since issue" in overview and f"{action.reference} text:" in overview
    # The overview shows the paper as issued, then the records as they stand now.
    issued, now = overview.split("Actions raised: as they stand now")
    paper = issued[issued.index('class="paper"') :]
    assert ORIGINAL in paper and AMENDED not in paper
    assert "NGESO to amend CR032</td>" in paper
    assert "NGESO to amend CR032 and resubmit" in now and AMENDED in now


def test_a_correction_is_issue_2_with_its_reason(client, secretariat, chair, dag029):
    minutes_issue(meeting=dag029, user=secretariat)
    amend_records(dag029, chair)
    client.force_login(secretariat)

    refused = client.post(correct_url(dag029), {"reason": "  "})
    assert "This field is required." in refused.content.decode()
    assert dag029.minutes_issues.count() == 1

    response = client.post(correct_url(dag029), {"reason": "Decision amended by the chair"})

    assert response.status_code == 302
    second = dag029.minutes_issues.get(number=2)
    assert (second.reason, second.issued_by) == ("Decision amended by the chair", secretariat)
    assert second.document.parameters == {"issue": 2}
    content = client.get(doc_url(dag029)).content.decode()
    assert "Minutes as issued: Issue 2" in content
    assert "The records have not changed since issue." in content
    issues = content[content.index("Issues of the minutes") :]
    assert "Issue 1" in issues and "First issue" in issues
    assert "Issue 2" in issues and "Decision amended by the chair" in issues
    assert "Fraser Mathieson" in issues
    with pytest.raises(ValidationError) as error:
        minutes_issue_correction(meeting=dag029, user=secretariat, reason="")
    assert "reason" in error.value.message_dict


def test_the_pdfs_say_issue_1_then_issue_2(secretariat, chair, dag029):
    minutes_issue(meeting=dag029, user=secretariat)
    amend_records(dag029, chair)
    minutes_issue_correction(meeting=dag029, user=secretariat, reason="Decision amended")
    first, second = (issue.document for issue in dag029.minutes_issues.order_by("number"))

    first_text, second_text = pdf_text(first), pdf_text(second)

    assert "Issue 1" in first_text and "Version" not in first_text
    assert "Issue 2" in second_text and "Version" not in second_text
    assert "issued to Impact" in " ".join(first_text.split())
    assert "in November" in " ".join(second_text.split())
    # Saved under the issue's number too, never "v2" for Issue 1.
    assert file_name(first) == f"{dag029.code} Minutes and Actions Issue 1.pdf"
    assert file_name(second) == f"{dag029.code} Minutes and Actions Issue 2.pdf"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER])
def test_members_and_observers_cannot_correct_or_reopen(client, dag, secretariat, dag029, role):
    minutes_issue(meeting=dag029, user=secretariat)
    client.force_login(make_user("reader", group=dag, role=role))
    before = snapshot(dag029)

    assert client.get(correct_url(dag029)).status_code == 403
    assert client.post(correct_url(dag029), {"reason": "Mine"}).status_code == 403
    reopen = reverse("meetings:minutes_reopen", args=[dag029.pk])
    assert client.post(reopen, {"reason": "Mine"}).status_code == 403

    assert snapshot(dag029) == before


def test_another_groups_secretariat_gets_404(client, secretariat, dag029):
    minutes_issue(meeting=dag029, user=secretariat)
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    before = snapshot(dag029)

    assert client.post(correct_url(dag029), {"reason": "Theirs"}).status_code == 404
    reopen = reverse("meetings:minutes_reopen", args=[dag029.pk])
    assert client.post(reopen, {"reason": "Theirs"}).status_code == 404

    assert snapshot(dag029) == before


def test_reopening_withdraws_the_approval_and_approving_again_supersedes_it(
    secretariat, chair, dag029
):
    minutes_issue(meeting=dag029, user=secretariat)
    first = minutes_approve(meeting=dag029, user=chair)
    with pytest.raises(ValidationError):
        minutes_reopen(meeting=dag029, user=secretariat, reason="  ")

    minutes_reopen(meeting=dag029, user=secretariat, reason="Wrong owner on an action")

    first.refresh_from_db()
    assert first.status == DecisionStatus.APPROVED  # kept on record, never deleted
    assert first.withdrawn_at is not None
    assert first.withdrawn_reason == "Minutes reopened: Wrong owner on an action"
    dag029.refresh_from_db()
    assert (dag029.status, dag029.minutes_approved_date) == (MeetingStatus.MINUTES_DRAFT, None)

    minutes_issue(meeting=dag029, user=secretariat)
    assert dag029.minutes_issues.get(number=2).reason == "Wrong owner on an action"
    second = minutes_approve(meeting=dag029, user=chair)

    first.refresh_from_db()
    assert first.superseded_by == second
    assert list(dag029.minutes_decisions.approved().live()) == [second]


def test_a_second_live_approval_is_refused_by_clean_and_by_the_database(secretariat, chair, dag029):
    minutes_issue(meeting=dag029, user=secretariat)
    approval = minutes_approve(meeting=dag029, user=chair)
    twin = Decision(
        reference="DAG-DEC999",
        group=dag029.group,
        wording=approval.wording,
        status=DecisionStatus.APPROVED,
        decided_at=timezone.now(),
        approves_minutes_of=dag029,
        papers=approval.papers,
    )
    with pytest.raises(ValidationError, match="already approved"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_reopening_is_refused_while_the_minutes_are_out_for_correspondence(secretariat, dag029):
    minutes_issue(meeting=dag029, user=secretariat)
    decision_create(
        group=dag029.group,
        wording="Minutes approved",
        approves_minutes_of=dag029,
        papers="minutes",
    )

    with pytest.raises(ValidationError, match="awaiting approval"):
        minutes_reopen(meeting=dag029, user=secretariat, reason="Typo")

    dag029.refresh_from_db()
    assert dag029.status == MeetingStatus.MINUTES_ISSUED
