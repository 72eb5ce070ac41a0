"""A paper's identity read from its lines: the title ("MHHS Design Advisory Group (DAG)
Minutes and Actions", "Design Advisory Group #4"), the header box (meeting number, venue,
date and time, classification), the issue date, the document reference and version. The
labels may be table cells ("Meeting number<TAB>DAG029") or run together on one line.
"""

import datetime
import re

from .model import Header
from .tables import clean, key

TITLE = re.compile(
    r"^(?:(?P<programme>[A-Z]{2,10})\s+)?(?P<name>[A-Z][A-Za-z&',\- ]+?)\s*"
    r"\((?P<code>[A-Z][A-Z0-9]{1,11})\)\s*(?P<document>.*)$"
)
NUMBERED_TITLE = re.compile(
    r"^(?P<name>[A-Z][A-Za-z&' -]+?)\s*#\s*(?P<number>\d+)(?:\.(?P<point>\d+))?$"
)
MEETING_CODE = re.compile(
    r"^(?P<code>[A-Z][A-Z0-9]*?[A-Z])\s*0*(?P<number>\d+)(?:\.(?P<point>\d+))?$"
)
LABELS = {
    "meeting number": "meeting",
    "meeting no": "meeting",
    "meeting": "meeting",
    "venue": "venue",
    "location": "venue",
    "date and time": "when",
    "date time": "when",
    "date": "when",
    "classification": "classification",
    "document classification": "classification",
    "issue date": "issue_date",
    "date of issue": "issue_date",
}
INLINE_LABELS = re.compile(
    r"(Meeting number|Meeting no\.?|Venue|Date and time|Classification|Issue date)\s*:?\s*",
    re.IGNORECASE,
)
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
LONG_DATE = re.compile(
    rf"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"(?:{MONTHS})\s+\d{{4}}\b",
    re.IGNORECASE,
)
SHORT_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
TIMES = re.compile(
    r"\b(?P<h1>\d{1,2})[:.]?(?P<m1>\d{2})?\s*(?P<a1>am|pm)?\s*(?:-|–|to)\s*"
    r"(?P<h2>\d{1,2})[:.]?(?P<m2>\d{2})?\s*(?P<a2>am|pm)?\b",
    re.IGNORECASE,
)
ONE_TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<a>am|pm)\b|\b(?P<hh>\d{1,2})[:.](?P<mm>\d{2})\b",
    re.I,
)
BODY = re.compile(r"\b(Group|Board|Committee|Forum|Panel|Council)\b")
CODE_IN_FILENAME = re.compile(r"^(?:.*/)?([A-Z][A-Z0-9]{1,11}?)(?:\d{2,3})?[-_ ]")
DOCUMENT_REFERENCE = re.compile(r"^[A-Z]{2,10}-[A-Z]{2,6}\d{2,5}$")
VERSION = re.compile(r"^(?:Version|V)\s*\d+(?:\.\d+)*$", re.IGNORECASE)
ISSUED = re.compile(r"\bIssue date:?\s*(\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2} [A-Z][a-z]+ \d{4})")
DATE_IN_FILENAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def clock(hour, minute, suffix) -> str:
    hour, minute = int(hour), int(minute or 0)
    if suffix and suffix.lower() == "pm" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return ""
    return f"{hour:02d}:{minute:02d}"


def read_times(text):
    """ "1000-1300" -> ("10:00", "13:00"); "10am" -> ("10:00", "")."""
    match = TIMES.search(text)
    if match and (match["m1"] or match["a1"] or match["a2"]):
        return clock(match["h1"], match["m1"], match["a1"] or match["a2"]), clock(
            match["h2"], match["m2"], match["a2"]
        )
    single = ONE_TIME.search(text)
    if single:
        if single["h"]:
            return clock(single["h"], single["m"], single["a"]), ""
        return clock(single["hh"], single["mm"], ""), ""
    return "", ""


def first_date(text) -> str:
    match = LONG_DATE.search(text) or SHORT_DATE.search(text)
    return clean(match[0]) if match else ""


def acronym(name: str) -> str:
    """ "Design Advisory Group" -> "DAG"."""
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def read_header(lines, filename="") -> Header:
    header = Header()
    values = {}
    for at, cells in enumerate(lines):
        text = clean(" ".join(cells))
        if not text:
            continue
        _labelled(cells, text, values)
        if at > 80:
            continue
        match = TITLE.match(text) if at < 15 and len(text) < 160 else None
        if not header.group_code and match and BODY.search(match["name"]):
            header.group_name, header.group_code = clean(match["name"]), match["code"]
            document = match["document"].lower()
            header.kind = "minutes" if "minutes" in document else header.kind
        elif not header.paper_title and (match := NUMBERED_TITLE.match(text)):
            header.paper_title = text
            header.group_name = header.group_name or clean(match["name"])
            header.number = int(match["number"])
            header.point = int(match["point"] or 0)
            header.kind = header.kind or "slides"
        elif DOCUMENT_REFERENCE.match(text) and not header.paper_reference:
            header.paper_reference = text
        elif VERSION.match(text) and not header.paper_version:
            header.paper_version = text
        elif at < 40 and not values.get("when") and len(text) < 40 and LONG_DATE.fullmatch(text):
            values["when"] = text
    meeting = values.get("meeting", "")
    if match := MEETING_CODE.match(meeting.replace(" ", "")):
        header.group_code = header.group_code or match["code"]
        header.number = int(match["number"])
        header.point = int(match["point"] or 0)
    when = values.get("when", "")
    header.date = first_date(when)
    header.start_time, header.end_time = read_times(when.replace(header.date, " "))
    header.venue = values.get("venue", "")
    header.classification = values.get("classification", "")
    header.issue_date = first_date(values.get("issue_date", ""))
    if not header.date and (match := DATE_IN_FILENAME.search(filename)):
        header.date = f"{match[3]}/{match[2]}/{match[1]}"
    if not header.group_code and (match := CODE_IN_FILENAME.match(filename)):
        header.group_code = match[1]
    if not header.group_code and header.group_name:
        header.group_code = acronym(header.group_name)
    header.kind = header.kind or "papers"
    return header


def _labelled(cells, text, values):
    """Values of the header box's labels: in the next cell, or after the label on the
    same line ("Issue date: 18/10/2023", also after the title)."""
    if match := ISSUED.search(text):
        values.setdefault("issue_date", match[1])
    if len([cell for cell in cells if cell.strip()]) > 1:
        for at, cell in enumerate(cells[:-1]):
            label = LABELS.get(key(cell))
            if label and not values.get(label) and clean(cells[at + 1]):
                values[label] = clean(cells[at + 1])
        return
    parts = INLINE_LABELS.split(text)
    if len(parts) < 3 or parts[0].strip() and len(parts) < 5:
        if key(text).startswith("document classification"):
            values.setdefault("classification", clean(text.split(":", 1)[-1]))
        return
    for label, value in zip(parts[1::2], parts[2::2], strict=False):
        name = LABELS.get(key(label))
        if name and clean(value) and not values.get(name):
            values[name] = clean(value)


DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d %B %Y",
    "%d %b %Y",
    "%A %d %B %Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%Y-%m-%d",
)


def read_date(text: str) -> datetime.date | None:
    """ "11 October 2023", "13/10/2023", "18/01/22", "Wednesday 12 June 2024"; None if
    unreadable ("10/082022")."""
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", " ".join(text.split())).strip(" ,.")
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
