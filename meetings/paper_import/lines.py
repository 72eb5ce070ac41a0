"""Pieces of a paper's text read on their own: an attendee line ("Morven Hunter (MHu)
(on behalf of Donna Jamieson)"), an agenda slide's title and lead, whether a slide's title
is an agenda item's, and lines joined back into paragraphs."""

import re

from rapidfuzz import fuzz

from .model import AttendanceLine
from .tables import clean, key

SLIDE_MARK = re.compile(r"^[\uf000-\uf8ff▪]\s*")  # a slide's title marker, as copied
# Headings of the minutes, and the headings that end a section (attendees, a table).
MINUTES = {"minutes", "minutes of the meeting", "discussion", "meeting minutes"}
STOPS = {
    "new outstanding actions",
    "new and outstanding actions",
    "actions",
    "action log",
    "outstanding actions",
    "decisions",
    "decision log",
    "decisions taken",
    "raid items discussed",
    *MINUTES,
}
PERSON_NAME = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")


def split_untabbed_attendee(text):
    """ "Carolyn Burns (CBu) Small Supplier Representative" -> name part, role."""
    match = re.match(r"^(?P<name>[^()]+?(?:\s*\([^()]*\))+)\s*(?P<role>.*)$", text)
    if match:
        return match["name"], match["role"]
    words = text.split()
    return " ".join(words[:2]), " ".join(words[2:])


def attendee(first, role, section, heading):
    """An attendee line: "Morven Hunter (MHu) (on behalf of Donna Jamieson)", the role."""
    brackets = re.findall(r"\(([^()]*)\)", first)
    name = clean(re.sub(r"\([^()]*\)", " ", first))
    if not name or not PERSON_NAME.match(name):
        return None
    line = AttendanceLine(section=section, name=name, heading=heading, role=clean(role))
    for part in (clean(b) for b in brackets):
        lowered = part.lower()
        if lowered in {"part meeting", "part", "part of meeting"}:
            line.part_meeting = True
        elif lowered.startswith(("on behalf of", "obo", "deputising for", "for ")):
            line.on_behalf_of = clean(
                re.sub(r"^(on behalf of|obo|deputising for|for)\s*", "", part, flags=re.I)
            )
        elif re.fullmatch(r"[A-Z][A-Za-z]{0,6}\d?", part) and not line.initials and part != "Chair":
            line.initials = part
        else:
            line.note = clean(f"{line.note} {part}")
    return line


def title_and_lead(body):
    """ "Design Principles for review Ian Smith" -> the title and the lead (the last two
    capitalised words)."""
    words = body.split()
    if len(words) > 2 and all(re.fullmatch(r"[A-Z][a-z'’-]+", w) for w in words[-2:]):
        return " ".join(words[:-2]), " ".join(words[-2:])
    return body, ""


def same_title(agenda_title, text):
    a, b = key(agenda_title.replace("&", " and ")), key(text.replace("&", " and "))
    return a == b or (len(b) > 6 and fuzz.ratio(a, b) >= 90)


def paragraphs(texts) -> str:
    """Lines joined into paragraphs; "" in `texts` is a blank line. A line carries on the
    one before when it starts in lower case, or (without a blank line between) when the
    one before stops mid-sentence and was long enough to have wrapped; other lines of a
    block stay lines ("- " bullets), and blank lines part paragraphs."""
    out, blank = [], True
    for text in texts:
        if not text:
            blank = True
            continue
        last = out[-1] if out else ""
        tail = last.rsplit("\n", 1)[-1]
        open_ended = not tail.endswith((".", ":", ";", "?", "!"))
        wrapped = len(tail) > 40 and open_ended and not text.startswith(("- ", "• ", "http"))
        if last and open_ended and text[:1].islower() or last and not blank and wrapped:
            out[-1] = f"{last} {text}"
        elif last and not blank:
            out[-1] = f"{last}\n{text}"
        else:
            out.append(text)
        blank = False
    return "\n\n".join(out)
