"""An owner cell as the papers print it, read into the party, the team and the named
people: "Programme (PMO)", "Programme (Design Team)", "Ofgem / Ian Smith", "Matt Hall,
Simon Berry, Kate Goodman", "Programme (Paul Pettitt & Lee Cox)".

A part in brackets qualifies the party before them; each part is a person if a person of
the app has that name (in any case) or it reads like a personal name; anything else (PMO,
Design Team, DAG members) is a party or a team, never a person. The printed form is kept
on the action (Action.owner_printed) and shown as printed.
"""

from dataclasses import dataclass, field

from django.db.models.functions import Lower

from core.models import Person

from .import_file import NAME_SEPARATORS, PARTY_WITH_NAMES, looks_like_name


@dataclass
class OwnerReading:
    party: str = ""  # "Programme", "Ofgem"
    team: str = ""  # "PMO", "Design Team": who in the party, not a person
    names: list[str] = field(default_factory=list)  # people, in the printed order


def _parts(text):
    return [part.strip() for part in NAME_SEPARATORS.split(text) if part.strip()]


def read_owner(printed: str, known=frozenset()) -> OwnerReading:
    """Split a printed owner cell; `known` holds the lower-cased names of people in the
    app (names not known count as people only if they read like one)."""

    def is_person(part):
        return part.lower() in known or looks_like_name(part)

    printed = " ".join(printed.split())
    reading = OwnerReading()
    if not printed:
        return reading
    match = PARTY_WITH_NAMES.match(printed)
    outer, inner = (match["party"], match["names"]) if match else (printed, "")
    parties = []
    for part in _parts(outer):
        (reading.names if is_person(part) else parties).append(part)
    teams = []
    for part in _parts(inner):
        (reading.names if is_person(part) else teams).append(part)
    reading.party = " / ".join(parties)
    reading.team = " & ".join(teams)
    return reading


@dataclass
class OwnerPeople:
    people: list = field(default_factory=list)  # Person, in the printed order
    unknown: list[str] = field(default_factory=list)  # names of no person yet
    ambiguous: list[str] = field(default_factory=list)  # names of several people


def find_people(names) -> OwnerPeople:
    """The people named, matched by name in any case (one query)."""
    found = OwnerPeople()
    lowered = {name.lower() for name in names}
    by_name = {}
    for person in Person.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=lowered):
        by_name.setdefault(person.lower_name, []).append(person)
    for name in names:
        matches = by_name.get(name.lower(), [])
        if len(matches) == 1:
            found.people.append(matches[0])
        elif matches:
            found.ambiguous.append(name)
        else:
            found.unknown.append(name)
    return found


def known_names(printed: str) -> set[str]:
    """The lower-cased names of people in the app among the parts of a printed owner."""
    parts = {part.lower() for part in _parts(printed.replace("(", "/").replace(")", "/"))}
    return set(
        Person.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name__in=parts)
        .values_list("lower_name", flat=True)
    )
