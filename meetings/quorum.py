"""Whether each agenda item of a meeting was quorate, by the group's terms of reference.

    quorum = meeting_quorum(meeting)   # {agenda item id: ItemQuorum}

A group's rule (core.models.GovernanceGroup) may ask for a number of voting members, for
at least one voting member of each named constituency ("Supplier", "Network"), and for the
chair or the named deputy. Who counts at an item:

- those marked present whose attendance covers the item (a part-meeting line's "joined
  at" and "left after" items; blank is from the start, or to the end);
- counted as the member they stand in for when they attend "on behalf of" someone, so a
  deputy brings that member's vote and constituency (and one member counts once, however
  many stand in for them);
- not those who declared an interest at the item and left for it (recused);
- only voting memberships (members and the chair with "voting" set; never the secretariat
  or observers).

A meeting held by correspondence sits no quorum; a group with no rule has every item
quorate. Four queries whatever the size of the meeting.
"""

from dataclasses import dataclass, field

from core.models import Membership, Role

from .models import AttendanceStatus, InterestDeclaration


@dataclass(frozen=True)
class ItemQuorum:
    """The quorum at one agenda item: who counted and, when not met, why not."""

    applies: bool  # the group has a rule and the meeting sat
    counted: list[str] = field(default_factory=list)  # "Seth Chapman (for Donna Jamieson)"
    recused: list[str] = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)  # "3 voting members of the 4 needed"

    @property
    def met(self) -> bool:
        return not self.applies or not self.shortfalls

    @property
    def summary(self) -> str:
        if not self.applies:
            return ""
        if self.met:
            return f"Quorate: {len(self.counted)} voting members"
        return "Not quorate: " + "; ".join(self.shortfalls)


def present_at(attendance, position, positions) -> bool:
    """Whether the attendance line covers the item at `position` (its place on the agenda)."""
    if attendance.status != AttendanceStatus.PRESENT:
        return False
    first = positions.get(attendance.joined_at_id, 0)
    last = positions.get(attendance.left_after_id, len(positions))
    return first <= position <= last


def meeting_quorum(meeting, items=None) -> dict[int, ItemQuorum]:
    """{agenda item id: ItemQuorum} for every item of the meeting (`items` in agenda order,
    when the caller has them already)."""
    items = list(meeting.agenda_items.all()) if items is None else list(items)
    group = meeting.group
    if not group.has_quorum_rule or meeting.held_by_correspondence:
        return {item.pk: ItemQuorum(applies=False) for item in items}
    positions = {item.pk: index for index, item in enumerate(items)}
    attendances = list(meeting.attendances.select_related("person", "on_behalf_of"))
    memberships = {}
    for membership in Membership.objects.filter(group=group, active=True):
        # A person may hold several roles; any voting one counts, and its constituency.
        if membership.votes or membership.person_id not in memberships:
            memberships[membership.person_id] = membership
    chair_ids = {m.person_id for m in memberships.values() if m.role == Role.CHAIR}
    recused = {
        (d.agenda_item_id, d.person_id)
        for d in InterestDeclaration.objects.filter(agenda_item__meeting=meeting, recused=True)
    }
    return {
        item.pk: _item_quorum(group, item, positions, attendances, memberships, chair_ids, recused)
        for item in items
    }


def _item_quorum(group, item, positions, attendances, memberships, chair_ids, recused):
    position = positions[item.pk]
    here = [a for a in attendances if present_at(a, position, positions)]
    left_room = [a for a in here if (item.pk, a.person_id) in recused]
    sitting = [a for a in here if (item.pk, a.person_id) not in recused]
    voters = {}  # represented person id: (label, membership)
    for attendance in sitting:
        represented = attendance.on_behalf_of or attendance.person
        membership = memberships.get(represented.pk)
        if membership is None or not membership.votes or represented.pk in voters:
            continue
        label = attendance.person.name
        if attendance.on_behalf_of_id:
            label += f" (for {represented.name})"
        voters[represented.pk] = (label, membership)
    shortfalls = []
    if group.quorum_members and len(voters) < group.quorum_members:
        shortfalls.append(f"{len(voters)} voting members of the {group.quorum_members} needed")
    constituencies = [m.constituency.casefold() for _, m in voters.values()]
    for rule in group.quorum_constituency_rules:
        if not any(rule.casefold() in constituency for constituency in constituencies):
            shortfalls.append(f"no voting member for {rule}")
    if group.quorum_needs_chair:
        people = {a.person_id for a in sitting}
        if not (people & chair_ids or (group.deputy_chair_id in people)):
            shortfalls.append(
                "neither the chair nor the deputy chair present"
                if group.deputy_chair_id
                else "the chair not present"
            )
    return ItemQuorum(
        applies=True,
        counted=[label for label, _ in voters.values()],
        recused=[a.person.name for a in left_room],
        shortfalls=shortfalls,
    )
