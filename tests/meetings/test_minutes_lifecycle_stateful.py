"""The minutes lifecycle (docs/minutes_lifecycle.md) driven through the real services in
random orders: write, issue, correct, reopen, approve, records corrected after issue, and
the refusals. After every step: at most one live approval, which exists exactly when the
minutes are approved; the issue the pages show is the latest; issues are numbered 1..n and
every correction has its reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from core.models import Role
from decisions.models import MINUTES_PAPERS, Decision, DecisionStatus
from decisions.services import decision_create
from meetings.minutes_approval import minutes_approve
from meetings.minutes_issues import shown_issue
from meetings.minutes_workflow import minutes_issue, minutes_issue_correction, minutes_reopen
from meetings.models import AgendaItem, Meeting, MeetingStatus
from meetings.services import MeetingLocked, minutes_save
from tests.factories import make_action, make_group, make_meeting, make_user

# About 20 s for 30 examples of up to 20 steps (fewer missed a reopen of approved
# minutes that kept its approval): out of the quick loop.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DRAFT, ISSUED, APPROVED = "draft", "issued", "approved"
STATUS = {
    DRAFT: MeetingStatus.MINUTES_DRAFT,
    ISSUED: MeetingStatus.MINUTES_ISSUED,
    APPROVED: MeetingStatus.MINUTES_APPROVED,
}
texts = st.text(alphabet="abcdefghij .", min_size=1, max_size=20).filter(str.strip)
reasons = st.one_of(texts, st.sampled_from(["", "   "]))


class MinutesLifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint rolled back at its end.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        group = make_group("DAG")
        self.secretariat = make_user("pmo", group=group, role=Role.SECRETARIAT)
        self.chair = make_user("chair", group=group, role=Role.CHAIR)
        self.meeting = make_meeting(
            group, number=29, date=datetime.date(2023, 10, 11), status=MeetingStatus.HELD
        )
        self.item = AgendaItem.objects.create(meeting=self.meeting, number="1", title="Welcome")
        self.action = make_action(self.meeting, agenda_item=self.item, text="Programme to act")
        decision_create(group=group, meeting=self.meeting, wording="The SRO agreed")
        self.state = DRAFT
        self.issues = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def fresh(self):
        return Meeting.objects.get(pk=self.meeting.pk)

    @property
    def locked(self):
        return self.state in (ISSUED, APPROVED)

    # Every rule applies in every state: where the lifecycle refuses the action, the rule
    # checks the refusal (and the invariants that nothing changed).

    @rule(text=texts)
    def write(self, text):
        item = AgendaItem.objects.get(pk=self.item.pk)
        if self.locked:
            with pytest.raises(MeetingLocked):
                minutes_save(item=item, text=text, version=item.minutes_version)
        else:
            minutes_save(item=item, text=text, version=item.minutes_version)

    @rule(text=texts)
    def correct_a_record(self, text):
        """An action's text corrected at any time, as the record correction forms do."""
        self.action.text = text
        self.action.save()

    @rule()
    def issue(self):
        if self.locked:
            with pytest.raises(MeetingLocked):
                minutes_issue(meeting=self.fresh(), user=self.secretariat)
            return
        minutes_issue(meeting=self.fresh(), user=self.secretariat)
        self.state, self.issues = ISSUED, self.issues + 1

    @rule(reason=reasons)
    def issue_a_correction(self, reason):
        if not (self.locked and reason.strip()):
            with pytest.raises(ValidationError):
                minutes_issue_correction(meeting=self.fresh(), user=self.secretariat, reason=reason)
            return
        minutes_issue_correction(meeting=self.fresh(), user=self.secretariat, reason=reason)
        self.state, self.issues = ISSUED, self.issues + 1

    @rule(reason=reasons)
    def reopen(self, reason):
        if not (self.locked and reason.strip()):
            with pytest.raises(ValidationError):
                minutes_reopen(meeting=self.fresh(), user=self.secretariat, reason=reason)
            return
        minutes_reopen(meeting=self.fresh(), user=self.secretariat, reason=reason)
        self.state = DRAFT

    @rule(headline=st.booleans())
    def approve(self, headline):
        if self.state != ISSUED:
            with pytest.raises(ValidationError):
                minutes_approve(meeting=self.fresh(), user=self.chair, headline=headline)
            return
        minutes_approve(meeting=self.fresh(), user=self.chair, headline=headline)
        self.state = APPROVED

    @invariant()
    def the_status_follows_the_model(self):
        assert self.fresh().status == STATUS[self.state] or (
            self.state == DRAFT and self.issues == 0
        )

    @invariant()
    def at_most_one_live_approval(self):
        live = Decision.objects.filter(
            approves_minutes_of=self.meeting,
            papers__in=MINUTES_PAPERS,
            status=DecisionStatus.APPROVED,
            withdrawn_at__isnull=True,
        ).count()
        assert live == (1 if self.state == APPROVED else 0)

    @invariant()
    def withdrawn_approvals_are_kept_and_superseded_once_approved_again(self):
        approvals = list(
            Decision.objects.filter(approves_minutes_of=self.meeting).order_by("decided_at", "pk")
        )
        for earlier in approvals[:-1]:
            assert earlier.withdrawn_at is not None and earlier.withdrawn_reason
            if self.state == APPROVED:
                assert earlier.superseded_by_id is not None

    @invariant()
    def the_shown_issue_is_the_latest_issue(self):
        meeting = self.fresh()
        numbers = list(meeting.minutes_issues.values_list("number", flat=True))
        assert numbers == list(range(1, self.issues + 1))
        shown = shown_issue(meeting)
        if self.locked:
            assert shown is not None and shown.number == self.issues
        else:
            assert shown is None

    @invariant()
    def every_correction_has_its_reason(self):
        assert not self.meeting.minutes_issues.filter(number__gt=1, reason="").exists()


MinutesLifecycle.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_the_minutes_lifecycle(db):
    run = MinutesLifecycle.TestCase("runTest")
    run.runTest()
