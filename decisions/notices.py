"""What the decisions app tells people by email (through notifications.notices): a
decision awaiting the chair's approval, and the chair's outcome to the secretariat and
whoever proposed it. Once per decision and person."""

from django.urls import reverse

from core.models import Membership, Role
from core.permissions import person_of
from notifications.models import EmailKind
from notifications.notices import Item, absolute, tell

from .models import DecisionStatus


def people_of(group, role):
    memberships = Membership.objects.filter(
        group=group, role=role, active=True, person__active=True
    ).select_related("person")
    return [membership.person for membership in memberships.order_by("person__name")]


def decision_item(decision, *links) -> Item:
    details = [f"Area: {decision.area}"] if decision.area else []
    if decision.meeting_id:
        details.append(f"Meeting: {decision.meeting.code} ({decision.meeting.date:%d/%m/%Y})")
    return Item(
        heading=decision.reference,
        text=decision.wording,
        details=details,
        links=[("View the decision", absolute(decision.get_absolute_url())), *links],
    )


def tell_chair_proposed(decision) -> None:
    """A decision proposed for the chair's approval (not one out for correspondence):
    each chair of the group is asked to decide it."""
    group = decision.group
    approve = absolute(reverse("decisions:decision_approve", args=[decision.reference]))
    for person in people_of(group, Role.CHAIR):
        tell(
            key=f"awaiting:{decision.pk}:{person.pk}",
            kind=EmailKind.DECISION_AWAITING,
            person=person,
            group=group,
            subject=f"[{group.code}] {decision.reference} awaits your approval",
            intro="This decision is proposed and awaits your approval:",
            items=[decision_item(decision, ("Approve, amend or reject", approve))],
        )


def proposer_of(decision):
    """Who recorded the decision, from its audit history (None for a decision loaded
    without a signed-in user)."""
    first = decision.history.order_by("history_date", "history_id").first()
    return person_of(first.history_user) if first and first.history_user else None


OUTCOMES = {
    DecisionStatus.APPROVED: "approved",
    DecisionStatus.REJECTED: "rejected",
}


def tell_outcome(decision) -> None:
    """The chair approved (as worded or amended) or rejected the decision: the group's
    secretariat and the proposer are told, but not the chair who decided."""
    group = decision.group
    outcome = OUTCOMES[decision.status]
    if decision.proposed_wording:
        outcome = "approved with amended wording"
    people = {person.pk: person for person in people_of(group, Role.SECRETARIAT)}
    proposer = proposer_of(decision)
    if proposer is not None:
        people.setdefault(proposer.pk, proposer)
    people.pop(decision.decided_by_id, None)
    item = decision_item(decision)
    if decision.proposed_wording:
        item.details.append(f"Proposed wording: {decision.proposed_wording}")
    if decision.approval_comment:
        item.details.append(f"Comment: {decision.approval_comment}")
    by = decision.decided_by.name if decision.decided_by else "The chair"
    for person in people.values():
        tell(
            key=f"outcome:{decision.pk}:{person.pk}",
            kind=EmailKind.DECISION_OUTCOME,
            person=person,
            group=group,
            subject=f"[{group.code}] {decision.reference} {outcome}",
            intro=f"{by} {outcome} this decision on {decision.decided_at:%d/%m/%Y}:",
            items=[item],
        )
