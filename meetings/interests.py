"""Writes of a group's governance rules and interests: the quorum its terms of reference set
(and which members vote), the interests declared at a meeting's agenda items, and the
group's register of interests. How an item's quorum is worked out is meetings/quorum.py."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Role

from .models import InterestDeclaration, RegisteredInterest


@transaction.atomic
def group_quorum_set(
    *,
    group,
    members,
    constituencies,
    needs_chair,
    deputy_chair,
    voting,
    public=None,
    publication_working_days=None,
    retention_years=None,
):
    """Set the group's quorum rule and which of its members and chair vote (`voting`: the
    ids of the voting memberships; the others of those roles are made non-voting); given,
    whether it publishes its minutes and within how many UK working days; and how many
    years it keeps closed records (None: for good)."""
    if public is not None:
        group.public = public
    if publication_working_days is not None:
        group.publication_working_days = publication_working_days
    group.retention_years = retention_years
    group.quorum_members = members
    group.quorum_constituencies = "\n".join(
        line.strip() for line in constituencies.splitlines() if line.strip()
    )
    group.quorum_needs_chair = needs_chair
    group.deputy_chair = deputy_chair
    group.full_clean()
    group.save()
    voting = set(voting)
    for membership in group.memberships.filter(role__in=[Role.CHAIR, Role.MEMBER], active=True):
        if membership.voting != (membership.pk in voting):
            membership.voting = membership.pk in voting
            membership.save(update_fields=["voting"])


@transaction.atomic
def interest_declare(*, agenda_item, person, interest="", recused=False) -> InterestDeclaration:
    """Record that `person`, an attendee, declared an interest at the item (and whether they
    left for it, taking them out of the item's quorum). A second declaration by the same
    person at the item is refused."""
    if not agenda_item.meeting.attendances.filter(person=person).exists():
        raise ValidationError({"person": f"{person.name} is not on this meeting's attendance."})
    if agenda_item.interest_declarations.filter(person=person).exists():
        raise ValidationError(
            {"person": f"{person.name} has already declared an interest at this item."}
        )
    declaration = InterestDeclaration(
        agenda_item=agenda_item, person=person, interest=interest.strip(), recused=recused
    )
    declaration.full_clean()
    declaration.save()
    return declaration


@transaction.atomic
def interest_withdraw(*, declaration) -> None:
    """Remove a declaration entered in error (its history keeps that it was)."""
    declaration.delete()


@transaction.atomic
def registered_interest_add(*, group, person, interest, declared_on) -> RegisteredInterest:
    entry = RegisteredInterest(
        group=group, person=person, interest=interest.strip(), declared_on=declared_on
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def registered_interest_end(*, entry, ended_on) -> RegisteredInterest:
    """The interest no longer applies from `ended_on`: kept in the register as ended."""
    locked = RegisteredInterest.objects.select_for_update().get(pk=entry.pk)
    if locked.ended_on is not None:
        raise ValidationError(f"This interest already ended on {locked.ended_on:%d/%m/%Y}.")
    locked.ended_on = ended_on
    locked.full_clean()
    locked.save()
    return locked


def declaration_text(declaration, initials="") -> str:
    """ "SC declared an interest (employed by a bidder) and left for item 5.", as the
    minutes print it: the person's initials at the meeting, else their name."""
    who = initials or declaration.person.name
    text = f"{who} declared an interest"
    if declaration.interest:
        text += f" ({declaration.interest})"
    if declaration.recused:
        text += f" and left for item {declaration.agenda_item.number}"
    return text + "."
