"""The chair approves a meeting's issued minutes (and headline report) at a later meeting:
a decision in the papers' words, recorded in the decision log, and the minutes marked
approved. Approval by correspondence is decisions' own (decisions.services)."""

import datetime
from datetime import time

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


def approval_time(meeting, day) -> datetime.datetime:
    """When an approval given on `day` (a past day the papers give) is dated: that day at
    the meeting's start time, else noon, Europe/London."""
    start = meeting.start_time if meeting is not None and meeting.start_time else time(12)
    return timezone.make_aware(datetime.datetime.combine(day, start))


@transaction.atomic
def minutes_approve(
    *,
    meeting,
    user,
    at_meeting=None,
    headline=True,
    change_marked=False,
    comment="",
    approved_on=None,
    approved_by=None,
) -> Decision:
    """The chair approves a meeting's issued minutes (and headline report) at a later
    meeting: the decision in the papers' words gets the group's next reference, and the
    minutes are marked approved.

    The secretariat recording a past meeting gives the day the papers say the minutes were
    approved (`approved_on`, before today and not before they were issued) and who approved
    them (`approved_by`, the chair, who may have no account): the decision and the minutes
    carry that day, and their history who entered it and when."""
    locked = lock_issued_minutes(meeting)
    if approved_on is not None:
        if approved_on >= timezone.localdate():
            raise ValidationError(
                {"approved_on": "Give a past day: the chair approves today's minutes themselves."}
            )
        if locked.minutes_issue_date and approved_on < locked.minutes_issue_date:
            raise ValidationError(
                {
                    "approved_on": "Minutes cannot be approved before they were issued "
                    f"({locked.minutes_issue_date:%d/%m/%Y})."
                }
            )
        if approved_by is None:
            raise ValidationError({"approved_by": "Name who approved them."})
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
        decided_at=timezone.now()
        if approved_on is None
        else approval_time(at_meeting, approved_on),
        decided_by=person_of(user) if approved_by is None else approved_by,
        decided_by_user=user if approved_on is None else None,
        approval_comment=comment,
    )
    mark_minutes_approved(decision, user=user, by_person=approved_by)
    return decision
