"""Writes on decisions: creating them with their references, the chair's approval, corrections
of approved wording and approval by correspondence. The chair's approval of minutes at a
meeting is meetings.minutes_approval, which records its decision here."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.bulk import create_checked
from core.models import Membership, Role
from core.permissions import person_of
from core.references import TYPED_REASON, allocate, claim_reference, claim_references
from core.versions import lock_unchanged
from notifications.models import EmailKind
from notifications.outbox import queue_email

from .correspondence_papers import round_papers, tell_chairs_round_opened, with_papers
from .minutes_papers import (
    MINUTES_AREA,
    headline_taken,
    lock_issued_minutes,
    lock_meeting,
    mark_minutes_approved,
    minutes_approval_wording,
    refuse_if_out_for_correspondence,
)
from .models import (
    MINUTES_PAPERS,
    CorrespondenceRecipient,
    CorrespondenceResponse,
    CorrespondenceRound,
    Decision,
    DecisionRevision,
    DecisionStatus,
    Papers,
    RoundStatus,
)
from .notices import tell_chair_proposed, tell_outcome

# Signed response links are only good for answering a correspondence round.
RESPONSE_SALT = "decisions.correspondence.respond"


def next_decision_reference(group) -> str:
    """<GROUP>-DEC<max+1> (call inside a transaction that saves the decision). Hand-written
    DAG-DEC-29 does not count."""
    prefix = f"{group.code}-DEC"
    in_use = Decision.objects.filter(reference__istartswith=prefix).values_list(
        "reference", flat=True
    )
    return f"{prefix}{allocate(kind='decision', scope=prefix, in_use=in_use, prefix=prefix)}"


@transaction.atomic
def decision_create(
    *, group, wording, reference="", change_requests=(), actions=(), **fields
) -> Decision:
    """Create a decision (proposed unless fields say otherwise) with the group's next
    reference. A meeting takes decisions once it has started (Meeting.records_closed_reason)."""
    meeting = fields.get("meeting")
    if meeting is not None and (reason := meeting.records_closed_reason()):
        raise ValidationError({"meeting": reason})
    typed = bool(reference)
    if typed:
        claim_reference(model=Decision, reference=reference)
    else:
        reference = next_decision_reference(group)
    decision = Decision(reference=reference, group=group, wording=wording, **fields)
    decision.full_clean()
    if typed:
        decision._change_reason = TYPED_REASON  # the history keeps who typed it
    decision.save()
    if change_requests:
        decision.change_requests.set(change_requests)
    if actions:
        decision.actions.set(actions)
    if decision.status == DecisionStatus.PROPOSED and not decision.correspondence_round_id:
        tell_chair_proposed(decision)
    return decision


@transaction.atomic
def decisions_create_bulk(*, group, decisions) -> list[Decision]:
    """Create many decisions under typed references (a past paper's), as decision_create
    would one at a time, in a few queries: `decisions` are dicts of decision_create's
    keywords (reference given; no change_requests or actions). Kept: the meetings' rule,
    the references claimed (refused, naming the holder, if held), the model's validation,
    history and mentions (core.bulk.create_checked), the chair told of those proposed.
    Raises ValidationError, writing nothing, if any decision is refused.
    """
    for meeting in {spec["meeting"] for spec in decisions if spec.get("meeting") is not None}:
        if reason := meeting.records_closed_reason():
            raise ValidationError({"meeting": reason})
    claim_references(model=Decision, references=[spec["reference"] for spec in decisions])
    built = create_checked(
        model=Decision,
        records=[Decision(group=group, **spec) for spec in decisions],
    )
    for decision in built:
        decision._remember_stored()  # as its save would: the outcome is now kept for good
        if decision.status == DecisionStatus.PROPOSED and not decision.correspondence_round_id:
            tell_chair_proposed(decision)
    return built


def correctable_problem(decision) -> str:
    """Why the secretariat can no longer correct the decision's words ("" while it can)."""
    if decision.status != DecisionStatus.PROPOSED:
        return (
            f"{decision.reference} was {decision.get_status_display().lower()} by the chair; "
            "only the chair corrects its words now."
        )
    if decision.correspondence_round_id:
        return (
            f"{decision.reference} is out for approval by correspondence in these words; "
            "they cannot change during the round."
        )
    return ""


@transaction.atomic
def decision_correct(*, decision, version, reason="", **fields) -> Decision:
    """The secretariat's correction of a proposed decision's wording or area, as one version
    of its history with who, when and the reason. Once the chair has decided it, its words
    change only by the chair's revision (decision_revise); during a round of approval by
    correspondence not at all.

    Raises core.versions.StaleRecord (saving nothing) if the decision was saved since
    `version` was read, and ValidationError if it can no longer be corrected.
    """
    if fields.keys() - {"area", "wording"}:
        raise ValueError("Only a proposed decision's wording and area are corrected here.")
    current = lock_unchanged(decision, version)
    problem = correctable_problem(current)
    if problem:
        raise ValidationError(problem)
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    if not changed:  # an untouched form adds no version
        return current
    for name, value in changed.items():
        setattr(current, name, value)
    # simple-history keeps the reason with the version it saves (at most 100 characters).
    current._change_reason = reason.strip()[:100] or None
    current.full_clean()
    current.save()
    return current


def _lock_proposed(decision) -> Decision:
    """The decision's row, locked; refused if someone has decided it meanwhile."""
    # No key lock, so answers and corrections pointing at the decision are not held up.
    locked = Decision.objects.select_for_update(no_key=True).get(pk=decision.pk)
    if locked.status != DecisionStatus.PROPOSED:
        raise ValidationError(
            f"{locked.reference} was already {locked.get_status_display().lower()} "
            f"on {timezone.localtime(locked.decided_at):%d/%m/%Y at %H:%M}."
        )
    return locked


def _decide(decision, *, user, status, wording=None, comment="", by_correspondence=False):
    """Record the outcome on a locked, proposed decision: who, when, in which words."""
    if wording is not None and wording.strip() != decision.wording.strip():
        decision.proposed_wording = decision.wording
        decision.wording = wording.strip()
    decision.status = status
    decision.decided_at = timezone.now()
    decision.decided_by = person_of(user)
    decision.decided_by_user = user
    decision.approval_comment = comment
    decision.by_correspondence = by_correspondence
    decision.full_clean()
    decision.save()
    if status == DecisionStatus.APPROVED and decision.papers in MINUTES_PAPERS:
        mark_minutes_approved(decision, user=user)
    return decision


def _confirm_quorum(decision, *, user, confirm) -> None:
    """A decision recorded at an item that was not quorate needs the chair's word that it
    stands (`confirm`), recorded with who and when; without it the chair is refused and
    told the alternative, approval by correspondence."""
    problem = decision.quorum_problem()
    if not problem:
        return
    if not confirm:
        raise ValidationError(
            {
                "confirm_quorum": f"{problem} Confirm that the decision stands, or send it "
                "for approval by correspondence."
            }
        )
    decision.quorum_confirmed_at = timezone.now()
    decision.quorum_confirmed_by = user


@transaction.atomic
def decision_approve(*, decision, user, wording=None, comment="", confirm_quorum=False) -> Decision:
    """The chair approves a proposed decision as worded or, given `wording`, in amended words
    (the proposed words are kept in proposed_wording). Recorded at an item that was not
    quorate, it needs `confirm_quorum` too (Decision.quorum_problem)."""
    locked = _lock_proposed(decision)
    if locked.correspondence_round_id:
        raise ValidationError(
            f"{locked.reference} is out for approval by correspondence; conclude the round."
        )
    _confirm_quorum(locked, user=user, confirm=confirm_quorum)
    decided = _decide(
        locked, user=user, status=DecisionStatus.APPROVED, wording=wording, comment=comment
    )
    tell_outcome(decided)
    return decided


@transaction.atomic
def decision_confirm_quorum(*, decision, user) -> Decision:
    """The chair confirms that a decision recorded (already approved, as from a past paper)
    at an item that was not quorate stands."""
    locked = Decision.objects.select_for_update(no_key=True).get(pk=decision.pk)
    if not locked.quorum_problem():
        raise ValidationError(f"{locked.reference} needs no confirmation of its quorum.")
    _confirm_quorum(locked, user=user, confirm=True)
    locked.save(update_fields=["quorum_confirmed_at", "quorum_confirmed_by"])
    return locked


@transaction.atomic
def decision_reject(*, decision, user, comment="") -> Decision:
    locked = _lock_proposed(decision)
    if locked.correspondence_round_id:
        raise ValidationError(
            f"{locked.reference} is out for approval by correspondence; conclude the round."
        )
    decided = _decide(locked, user=user, status=DecisionStatus.REJECTED, comment=comment)
    tell_outcome(decided)
    return decided


@transaction.atomic
def decision_revise(*, decision, wording, reason, user) -> DecisionRevision:
    """Correct an approved decision's wording: the approved words stay, the correction and
    its reason are recorded beside them."""
    locked = Decision.objects.select_for_update(no_key=True).get(pk=decision.pk)
    if locked.status != DecisionStatus.APPROVED:
        raise ValidationError("Only an approved decision can be corrected.")
    latest = locked.revisions.order_by("-at", "-pk").first()
    current = latest.wording if latest else locked.wording
    if wording.strip() == current.strip():
        raise ValidationError({"wording": "The corrected wording is the same as the current one."})
    revision = DecisionRevision(
        decision=locked, wording=wording.strip(), reason=reason.strip(), by=user
    )
    revision.full_clean()
    revision.save()
    return revision


# Approval by correspondence


def response_token(recipient) -> str:
    """The signed part of a member's response link: bound to the round and the person."""
    return signing.dumps([recipient.round_id, recipient.person_id], salt=RESPONSE_SALT)


def response_url(recipient) -> str:
    path = reverse("decisions:correspondence_respond", args=[response_token(recipient)])
    return settings.SITE_URL + path


def recipient_for_token(token) -> CorrespondenceRecipient:
    """The recipient a link was made for; signing.BadSignature if it was altered."""
    try:
        round_id, person_id = signing.loads(token, salt=RESPONSE_SALT)
    except (TypeError, ValueError) as exc:  # signed, but not our payload
        raise signing.BadSignature("Not a response link.") from exc
    return CorrespondenceRecipient.objects.select_related("round__group", "person").get(
        round_id=round_id, person_id=person_id
    )


def _round_email(recipient, papers, *, template, subject):
    """A member's email of a round: each decision's wording with the papers to read
    (correspondence_papers.round_papers) and their personal response link."""
    context = {
        "round": recipient.round,
        "person": recipient.person,
        "papers": papers,
        "url": response_url(recipient),
    }
    return {
        "subject": subject,
        "body_text": render_to_string(f"notifications/email/{template}.txt", context),
        "body_html": render_to_string(f"notifications/email/{template}.html", context),
        "to_address": recipient.person.email,
        "person": recipient.person,
        "group": recipient.round.group,
        "references": [entry.decision.reference for entry in papers],
    }


@transaction.atomic
def correspondence_round_open(
    *,
    group,
    title,
    deadline,
    user,
    decisions=(),
    minutes_of=(),
    headline=True,
    headline_of=(),
    change_requests=(),
    message="",
) -> CorrespondenceRound:
    """Open a round for proposed decisions, meetings' minutes (with their headline reports
    if `headline`, unless approved already), headline reports on their own and
    change-request approvals; all but the first become proposed decisions here, so every
    item has its reference. Each active member of the group is asked, by email, after
    commit."""
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": "The deadline must be after today."})
    round_ = CorrespondenceRound(
        group=group, title=title, deadline=deadline, message=message, opened_by=user
    )
    round_.full_clean()
    round_.save()
    items = []
    for decision in decisions:
        locked = _lock_proposed(decision)
        if locked.group_id != group.pk or locked.correspondence_round_id:
            raise ValidationError(f"{locked.reference} cannot go into this round.")
        locked.correspondence_round = round_
        locked.save(update_fields=["correspondence_round"])
        items.append(locked)
    if {m.pk for m in minutes_of} & {m.pk for m in headline_of}:
        raise ValidationError(
            {"headline_of": "Send a meeting's headline report with its minutes or alone, not both."}
        )
    papers_of = [(meeting, None) for meeting in minutes_of]
    papers_of += [(meeting, Papers.HEADLINE) for meeting in headline_of]
    for meeting, papers in papers_of:
        if papers is None:
            locked = lock_issued_minutes(meeting)
            refuse_if_out_for_correspondence(locked)
            with_headline = headline and headline_taken(locked) is None
            papers = Papers.MINUTES_AND_HEADLINE if with_headline else Papers.MINUTES
        else:
            locked = lock_meeting(meeting)
            if locked.is_cancelled or locked.date > timezone.localdate():
                raise ValidationError(
                    f"{locked.code} has not been held: it has no headline report."
                )
            if taken := headline_taken(locked):
                raise ValidationError(
                    f"The Headline Report of {locked.code} is in {taken.reference} already."
                )
        items.append(
            decision_create(
                group=group,
                area=MINUTES_AREA,
                wording=minutes_approval_wording(
                    locked, papers=papers, change_marked=locked.minutes_reopened()
                ),
                approves_minutes_of=locked,
                papers=papers,
                correspondence_round=round_,
            )
        )
    for change_request in change_requests:
        items.append(
            decision_create(
                group=group,
                area=change_request.reference,
                wording=f"The SRO approved {change_request.reference} ({change_request.title})",
                change_requests=[change_request],
                correspondence_round=round_,
            )
        )
    if not items:
        raise ValidationError(
            "Choose at least one decision, set of minutes, headline report or change request."
        )

    papers = round_papers(with_papers(items))
    people = (
        Membership.objects.filter(group=group, role=Role.MEMBER, active=True, person__active=True)
        .select_related("person")
        .order_by("person__name")
    )
    seen = set()
    for membership in people:
        person = membership.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        recipient = CorrespondenceRecipient.objects.create(round=round_, person=person)
        if person.email:
            recipient.invitation = queue_email(
                key=f"correspondence:{round_.pk}:{person.pk}",
                kind=EmailKind.CORRESPONDENCE,
                requested_by=user,
                **_round_email(
                    recipient,
                    papers,
                    template="correspondence",
                    subject=f"[{group.code}] For approval by correspondence: {title} "
                    f"(respond by {deadline:%d/%m/%Y})",
                ),
            )
            recipient.save(update_fields=["invitation"])
    if not seen:
        raise ValidationError(f"{group.code} has no active members to ask; nothing was opened.")
    tell_chairs_round_opened(round_, papers, user=user)
    return round_


@transaction.atomic
def correspondence_respond(*, recipient, answers) -> None:
    """Record a member's answers ({decision: (choice, comment)}) once, while the round takes
    responses. The recipient row is locked so a double submission records nothing twice."""
    locked = CorrespondenceRecipient.objects.select_for_update().get(pk=recipient.pk)
    round_ = CorrespondenceRound.objects.get(pk=locked.round_id)
    if locked.responded_at is not None:
        raise ValidationError("You have already responded to this round.")
    if not round_.takes_responses(timezone.now()):
        raise ValidationError("This round no longer takes responses.")
    expected = set(round_.decisions.values_list("pk", flat=True))
    if {decision.pk for decision in answers} != expected:
        raise ValidationError("Answer every item of the round.")
    for decision, (choice, comment) in answers.items():
        response = CorrespondenceResponse(
            recipient=locked, decision=decision, choice=choice, comment=comment.strip()
        )
        response.full_clean()
        response.save()
    locked.responded_at = timezone.now()
    locked.save(update_fields=["responded_at"])


@transaction.atomic
def correspondence_round_conclude(*, round_, user, outcomes, comment="") -> list[Decision]:
    """The chair concludes: each decision ({decision: approve?}) is approved or rejected by
    correspondence, with the round's responses attached through the round."""
    locked = CorrespondenceRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError("This round has already been concluded.")
    decided = []
    for decision in locked.decisions.order_by("reference"):
        if decision.pk not in outcomes:
            raise ValidationError(f"Give an outcome for {decision.reference}.")
        proposed = _lock_proposed(decision)
        status = DecisionStatus.APPROVED if outcomes[decision.pk] else DecisionStatus.REJECTED
        decided.append(
            _decide(proposed, user=user, status=status, comment=comment, by_correspondence=True)
        )
    locked.status = RoundStatus.CONCLUDED
    locked.concluded_by = user
    locked.concluded_at = timezone.now()
    locked.conclusion_comment = comment
    locked.save()
    return decided


def correspondence_send_reminders(*, today) -> int:
    """One reminder to each member who has not responded, on the round's reminder day (two
    UK working days before the deadline) or, if that run was missed, a later day before
    the deadline. The outbox key makes a second run send nothing; rounds opened on or
    after their reminder day get none, the invitation being fresh. Returns emails planned."""
    planned = 0
    for round_ in CorrespondenceRound.objects.open().filter(deadline__gte=today):
        if not (
            round_.reminder_date <= today
            and timezone.localdate(round_.opened_at) < round_.reminder_date
        ):
            continue
        with transaction.atomic():
            waiting = (
                round_.recipients.filter(responded_at__isnull=True, reminder__isnull=True)
                .exclude(person__email="")
                .select_related("person", "round__group")
            )
            papers = round_papers(with_papers(list(round_.decisions.order_by("reference"))))
            for recipient in waiting:
                recipient.reminder = queue_email(
                    key=f"correspondence-reminder:{round_.pk}:{recipient.person_id}",
                    kind=EmailKind.CORRESPONDENCE_REMINDER,
                    **_round_email(
                        recipient,
                        papers,
                        template="correspondence_reminder",
                        subject=f"[{round_.group.code}] Reminder: please respond by "
                        f"{round_.deadline:%d/%m/%Y}: {round_.title}",
                    ),
                )
                recipient.save(update_fields=["reminder"])
                planned += 1
    return planned
