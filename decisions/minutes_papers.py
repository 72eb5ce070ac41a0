"""Decisions that approve a meeting's papers (its minutes, its headline report): their
wording, which papers still await one, and marking the minutes approved.

Meetings sit above the registers, so this module never imports them: it works on the
meeting instances and querysets it is given, and on Meeting's own methods (lock_row,
minutes_awaiting_approval, record_minutes_approved) reached through Decision's foreign key.
"""

from django.core.exceptions import ValidationError

from .models import (
    HEADLINE_PAPERS,
    MINUTES_PAPERS,
    Decision,
    DecisionStatus,
    Papers,
    meeting_objects,
)

MINUTES_AREA = "Minutes and Actions"


def minutes_approval_wording(
    meeting, *, papers=Papers.MINUTES_AND_HEADLINE, change_marked=False
) -> str:
    """The papers' words: "Headline Report and change marked Minutes of DAG meeting held
    13 September 2023 approved", "Change marked Headline Report of ... approved"."""
    marked = "change marked " if change_marked else ""
    what = {
        Papers.MINUTES_AND_HEADLINE: f"Headline Report and {marked}Minutes",
        Papers.MINUTES: f"{marked}Minutes",
        Papers.HEADLINE: f"{marked}Headline Report",
    }[papers]
    return (
        f"{what[0].upper()}{what[1:]} of {meeting.group.code} meeting held "
        f"{meeting.date:%-d %B %Y} approved"
    )


def headline_taken(meeting) -> Decision | None:
    """The decision that approved, or is about to approve, the meeting's headline report."""
    return (
        meeting.minutes_decisions.approving(HEADLINE_PAPERS)
        .live()
        .filter(status__in=[DecisionStatus.PROPOSED, DecisionStatus.APPROVED])
        .order_by("pk")
        .first()
    )


def minutes_awaiting_approval(meetings):
    """Issued minutes not yet out for approval (those sent round wait in their round)."""
    pending = Decision.objects.proposed().approving(MINUTES_PAPERS)
    return meetings.minutes_issued().exclude(pk__in=pending.values("approves_minutes_of"))


def headlines_awaiting_approval(meetings, today):
    """Meetings held whose headline report nobody has approved or sent for approval."""
    taken = (
        Decision.objects.approving(HEADLINE_PAPERS).live().exclude(status=DecisionStatus.REJECTED)
    )
    return meetings.held(today).exclude(pk__in=taken.values("approves_minutes_of"))


def lock_meeting(meeting):
    """The meeting's row, locked (Meeting.objects.lock_row says why only that row)."""
    return meeting_objects().lock_row(meeting.pk)


def lock_issued_minutes(meeting):
    locked = lock_meeting(meeting)
    if not locked.minutes_awaiting_approval:
        raise ValidationError(
            f"The minutes of {locked.code} are {locked.get_status_display().lower()}, "
            "not issued and awaiting approval."
        )
    return locked


def refuse_if_out_for_correspondence(meeting):
    """One approval per set of minutes: those sent round wait for the round's conclusion."""
    pending = meeting.minutes_decisions.proposed().approving(MINUTES_PAPERS).first()
    if pending is not None:
        raise ValidationError(
            f"The minutes of {meeting.code} are awaiting approval as {pending.reference}"
            + (" by correspondence" if pending.correspondence_round_id else "")
            + "; nothing was changed."
        )


def mark_minutes_approved(decision, *, user, by_person=None):
    """Mark the minutes `decision` approves approved (on the day it was taken; by_person,
    who gave an approval recorded later); it supersedes the approvals withdrawn when they
    were reopened."""
    meeting = decision.approves_minutes_of
    lock_issued_minutes(meeting).record_minutes_approved(
        user=user, at=decision.decided_at, by_person=by_person
    )
    meeting.minutes_decisions.approving(MINUTES_PAPERS).filter(
        withdrawn_at__isnull=False, superseded_by__isnull=True
    ).exclude(pk=decision.pk).update(superseded_by=decision)


def live_minutes_approval(meeting) -> Decision | None:
    return meeting.minutes_decisions.approving(MINUTES_PAPERS).approved().live().first()


def withdraw_minutes_approval(meeting, *, reason, at) -> Decision | None:
    """Withdraw the live approval of the (locked) meeting's minutes, which are being
    reopened: the decision stays on record, marked withdrawn with the reason. Refused while
    the minutes are out for approval by correspondence: the round decides first."""
    refuse_if_out_for_correspondence(meeting)
    approval = live_minutes_approval(meeting)
    if approval is not None:
        approval.withdrawn_at = at
        approval.withdrawn_reason = reason
        approval.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    return approval


def minutes_papers(meeting, *, headline, field):
    """Minutes with their headline report, unless that was approved (or sent) already."""
    if not headline:
        return Papers.MINUTES
    taken = headline_taken(meeting)
    if taken is not None:
        raise ValidationError(
            {field: f"The Headline Report of {meeting.code} is in {taken.reference} already."}
        )
    return Papers.MINUTES_AND_HEADLINE
