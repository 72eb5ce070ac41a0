"""What a paper's printed values mean to the tracker: dates and times as the papers write
them, due dates ("ASAP", "w/c 08/08/2022"), statuses, and who each printed name is.

Names are matched to people exactly (in any case) or not at all: a near match ("Pettit"
for "Pettitt", "lan Smith" for "Ian Smith", as text extraction gives them) is offered with
its score, never taken silently, and nobody is created unless the secretariat says so.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models.functions import Lower
from rapidfuzz import fuzz, process

from actions.models import ActionStatus, DueKind
from actions.owners import read_owner
from core.models import Person

from .header import read_date, read_times
from .model import Paper

STATUSES = {
    "OPEN": ActionStatus.OPEN,
    "ONGOING": ActionStatus.ONGOING,
    "RECOMMEND CLOSED": ActionStatus.RECOMMEND_CLOSED,
    "CLOSED": ActionStatus.CLOSED,
}
UNDATED = {
    "asap": DueKind.ASAP,
    "tbc": DueKind.TBC,
    "ongoing": DueKind.ONGOING,
}
MATCH_CUTOFF = 75
NEW = "new"


def read_time(text: str) -> datetime.time | None:
    return datetime.time.fromisoformat(text) if text else None


def read_due(text: str):
    """(DueKind, date or None), or None when the due cell cannot be read."""
    lowered = " ".join(text.lower().split())
    if lowered in UNDATED:
        return UNDATED[lowered], None
    if lowered.startswith("next "):
        return DueKind.NEXT_MEETING, None
    if match := re.match(r"^w/?c\.?\s*(.+)$", lowered):
        day = read_date(match[1])
        return (DueKind.WEEK_COMMENCING, day) if day else None
    day = read_date(text)
    return (DueKind.DATE, day) if day else None


def meeting_times(header):
    return read_time(header.start_time), read_time(header.end_time)


def next_meeting_time(header):
    return read_time(read_times(header.next_meeting_time)[0] or header.next_meeting_time)


# Text extraction artefacts -----------------------------------------------------------------

SUPERSCRIPTS = set("⁰¹²³⁴⁵⁶⁷⁸⁹ⁱⁿᵗʰˢᵈʳᵉ")


def artefacts(text: str) -> list[str]:
    """What in `text` a PDF's text layer garbled: Cyrillic or Greek letters that look
    Latin inside a Latin word ("РМО"), superscripts ("11ᵗʰ")."""
    found = []
    for word in re.findall(r"\S+", text):
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        if (
            "LATIN" in scripts
            and scripts & {"CYRILLIC", "GREEK"}
            or (scripts and scripts <= {"CYRILLIC"} and word.isupper() and len(word) <= 6)
        ):
            found.append(f"“{word}” mixes look-alike Cyrillic or Greek letters with Latin ones")
        if any(ch in SUPERSCRIPTS for ch in word):
            found.append(f"“{word}” holds superscript characters")
    return found


def _script(ch):
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return ""


# People ------------------------------------------------------------------------------------


@dataclass
class Who:
    """A name the paper prints and who it is: `person` when known (exactly, or as chosen),
    `create` when the secretariat chose to add them, else the near `matches`."""

    name: str
    person: Person | None = None
    create: bool = False
    matches: list = field(default_factory=list)  # (Person, score)
    several: bool = False

    @property
    def resolved(self):
        return self.person is not None or self.create


def printed_names(paper: Paper) -> list[str]:
    """Every person's name the paper prints: attendees, deputised-for, leads, owners."""
    known = set(Person.objects.annotate(n=Lower("name")).values_list("n", flat=True))
    names = []
    for line in paper.attendance:
        names += [line.name, line.on_behalf_of]
    names += [entry.lead for entry in paper.agenda]
    for row in paper.actions:
        names += read_owner(row.owner, known).names
    out = []
    for name in names:
        name = " ".join(name.split())
        if name and name not in out:
            out.append(name)
    return out


def resolve(names, chosen: dict) -> dict[str, Who]:
    """{name: Who}: the choice kept for it (a person id, or "new"), else the person of that
    exact name when there is one, else the near matches."""
    people = list(Person.objects.only("pk", "name"))
    by_id = {person.pk: person for person in people}
    by_name = {}
    for person in people:
        by_name.setdefault(person.name.casefold(), []).append(person)
    choices = {person.pk: person.name for person in people}
    out = {}
    for name in names:
        who = Who(name)
        choice = chosen.get(name)
        if choice == NEW:
            who.create = True
        elif choice and int(choice) in by_id:
            who.person = by_id[int(choice)]
        else:
            exact = by_name.get(name.casefold(), [])
            if len(exact) == 1:
                who.person = exact[0]
            else:
                who.several = len(exact) > 1
                scored = process.extract(
                    name, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=MATCH_CUTOFF
                )
                who.matches = [(by_id[pk], round(score)) for _, score, pk in scored]
        out[name] = who
    return out
