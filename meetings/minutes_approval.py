"""The chair approves a meeting's issued minutes (and headline report) at a later meeting:
a decision in the papers' words, recorded in the decision log, and the minutes marked
approved. Approval by correspondence is decisions' own (decisions.services)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.permissions import person_of
from decisions.minutes_papers import (
    MINUTES_AREA,
    lock_issued_minutes,
    mark_minutes_approved,
    minutes_approval_wording,
    minutes_papers,
    refuse_if_out_for_correspondence,
)
from decisions.models import Decision, DecisionStatus
from decisions.services import decision_create


@transaction.atomic
def minutes_approve(
    *, meeting, user, at_meeting=None, headline=True, change_marked=False, comment=""
) -> Decision:
    """The chair approves a meeting's issued minutes (and headline report) at a later
    meeting: the decision in the papers' words gets the group's next reference, and the
    minutes are marked approved."""
    locked = lock_issued_minutes(meeting)
    refuse_if_out_for_correspondence(locked)
    if at_meeting is not None and (
        at_meeting.group_id != locked.group_id or at_meeting.date <= locked.date
    ):
        raise ValidationError({"at_meeting": "Pick a later meeting of the same group."})
    if at_meeting is not None and (closed := at_meeting.records_closed_reason()):
        raise ValidationError({"at_meeting": closed})
    papers = minutes_papers(locked, headline=headline, field="headline")
    decision = decision_create(
        group=locked.group,
        meeting=at_meeting,
        area=MINUTES_AREA,
        wording=minutes_approval_wording(locked, papers=papers, change_marked=change_marked),
        approves_minutes_of=locked,
        papers=papers,
        status=DecisionStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=person_of(user),
        decided_by_user=user,
        approval_comment=comment,
    )
    mark_minutes_approved(decision, user=user)
    return decision
