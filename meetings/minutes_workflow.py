"""Issuing, correcting and reopening a meeting's minutes (docs/minutes_lifecycle.md).

Every issue is stored as issued (MinutesIssue: the minutes document's data and its PDF,
numbered 1, 2, 3...), so what was issued can be shown and downloaded whatever happens to
the records afterwards. Issue 1 is the first; each later issue is a correction with its
reason: issued again after a reopen, or issued straight over issued minutes when a record
was corrected after issue. An approval is of the minutes as issued: reopening them or
issuing a correction withdraws it (the decision stays on record, marked withdrawn), and
approving again supersedes it, so a set of minutes never has two live approvals.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.minutes_papers import withdraw_minutes_approval
from documents.services import documents_on_minutes_issued

from .documents import MINUTES
from .minutes import build_minutes
from .models import Meeting, MeetingStatus, MinutesEvent, MinutesEventKind, MinutesIssue
from .notices import tell_minutes_issued
from .services import lock_for_records


def _store_issue(meeting, *, user, reason) -> MinutesIssue:
    """Keep the minutes as they stand as the next issue, queue their PDFs (the Minutes and
    Actions labelled with the issue's number) and tell the group (after commit)."""
    issue = MinutesIssue(
        meeting=meeting,
        number=meeting.minutes_issues.count() + 1,
        data=build_minutes(meeting).as_dict(),
        issued_by=user,
        reason=reason,
    )
    issue.full_clean()
    issue.save()
    documents = documents_on_minutes_issued(
        meeting=meeting, user=user, parameters={MINUTES: {"issue": issue.number}}
    )
    issue.document = next(document for document in documents if document.kind == MINUTES)
    issue.save(update_fields=["document"])
    tell_minutes_issued(meeting=meeting, issue=issue.number, reason=reason)
    return issue


def _withdraw_approval(meeting, *, reason) -> None:
    """Approved minutes being reopened or corrected are approved no longer."""
    withdraw_minutes_approval(meeting, reason=reason, at=timezone.now())
    meeting.minutes_approved_date = None


def refuse_issue_date(meeting, issued_on) -> None:
    """An issue date the paper gives must fall between the meeting and today."""
    today = timezone.localdate()
    if issued_on > today:
        raise ValidationError({"issued_on": "The minutes cannot be issued in the future."})
    if issued_on < meeting.date:
        raise ValidationError(
            {"issued_on": f"Minutes cannot be issued before the meeting ({meeting.date:%d/%m/%Y})."}
        )


@transaction.atomic
def minutes_issue(*, meeting, user, reason="", issued_on=None) -> Meeting:
    """Issue the minutes today, or on `issued_on`, the issue date a past meeting's paper
    gives (kept on the issue event beside when it was entered): they become read-only,
    the issue date is set, they are stored as the next issue and their PDFs are queued
    (after commit). Issuing again after a reopen is a correction: its reason is `reason`,
    else the reopen's. Refused (MeetingNotStarted) before the meeting starts."""
    meeting = lock_for_records(meeting)
    today = timezone.localdate()
    if issued_on is not None:
        refuse_issue_date(meeting, issued_on)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("A cancelled meeting has no minutes to issue.")
    reason = reason.strip()
    if not reason and meeting.minutes_issues.exists():
        reopened = meeting.minutes_events.filter(kind=MinutesEventKind.REOPENED).last()
        reason = reopened.reason if reopened else ""
    meeting.status = MeetingStatus.MINUTES_ISSUED
    meeting.minutes_issue_date = issued_on or today
    meeting.full_clean()
    meeting.save()
    MinutesEvent.objects.create(
        meeting=meeting,
        kind=MinutesEventKind.ISSUED,
        by=user,
        on_date=issued_on if issued_on not in (None, today) else None,
    )
    _store_issue(meeting, user=user, reason=reason)
    return meeting


@transaction.atomic
def minutes_issue_correction(*, meeting, user, reason) -> MinutesIssue:
    """Issue a correction of issued (or approved) minutes as they stand now, without
    reopening them: the next issue, dated today, with the reason. Approved minutes go back
    to awaiting approval (the approval was of the issue it corrects). Refused while they
    are out for approval by correspondence."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the minutes are being corrected."})
    meeting = Meeting.objects.lock_row(meeting.pk)
    if not meeting.minutes_locked:
        raise ValidationError(
            f"The minutes of {meeting.code} are not issued: issue them instead of correcting."
        )
    number = meeting.minutes_issues.count() + 1
    _withdraw_approval(meeting, reason=f"Corrected as Issue {number}: {reason}")
    meeting.status = MeetingStatus.MINUTES_ISSUED
    meeting.minutes_issue_date = timezone.localdate()
    meeting.save()
    MinutesEvent.objects.create(
        meeting=meeting, kind=MinutesEventKind.ISSUED, by=user, reason=reason
    )
    return _store_issue(meeting, user=user, reason=reason)


@transaction.atomic
def minutes_reopen(*, meeting, user, reason) -> Meeting:
    """Reopen issued (or approved) minutes for correction; the reason is kept on record
    and withdraws their approval, if any: they need approving again once reissued.
    Refused while they are out for approval by correspondence."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the minutes are being reopened."})
    meeting = Meeting.objects.lock_row(meeting.pk)
    if not meeting.minutes_locked:
        raise ValidationError(f"The minutes of {meeting.code} are not issued.")
    _withdraw_approval(meeting, reason=f"Minutes reopened: {reason}")
    meeting.status = MeetingStatus.MINUTES_DRAFT
    meeting.save()
    MinutesEvent.objects.create(
        meeting=meeting, kind=MinutesEventKind.REOPENED, by=user, reason=reason
    )
    return meeting
