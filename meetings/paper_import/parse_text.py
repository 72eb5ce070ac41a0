"""A paper read from its lines into a Paper: the header, the attendee table by section,
the agenda (a slide pack's agenda slide, or a paper pack's "DECISION: ..." item slides),
the tables of actions, decisions and CRs, the minutes of each numbered item with their
ACTION and DECISION lines and the review of earlier actions, the RAID items named and
the next meetings.

Plain text (what a PDF viewer copies, tabs between a table's cells when it keeps them) is
split into lines here; parse_docx.py and parse_pdf.py make the same lines from their
files. Nothing here touches the database: the preview checks the paper against the
tracker.
"""

import datetime
import re

from .header import LONG_DATE, SHORT_DATE, first_date, read_date, read_header, read_times
from .lines import (
    MINUTES,
    SLIDE_MARK,
    STOPS,
    attendee,
    paragraphs,
    same_title,
    split_untabbed_attendee,
    title_and_lead,
)
from .model import (
    ActionRow,
    AgendaEntry,
    DecisionRow,
    Paper,
    PaperUnreadable,
    RaidRow,
)
from .table_reading import TableReading
from .tables import (
    clean,
    key,
    normal_reference,
)

MAX_CHARS = 2_000_000  # a 16-page paper is ~60,000
# A PDF viewer starts each slide's text with one space (where the page break was).
SLIDE_START = re.compile(r"^(?: (?=[A-Z0-9])|[\uf000-\uf8ff▪])")
SECTION_OF = {
    "chair": "chair",
    "chairs": "chair",
    "industry representatives": "industry",
    "industry": "industry",
    "members": "industry",
    "representatives": "industry",
    "programme": "programme",
    "programme staff": "programme",
    "in attendance": "programme",
    "other attendees": "other",
    "others": "other",
    "observers": "other",
    "guests": "other",
    "apologies": "apologies",
    "apologies received": "apologies",
}
ATTENDEES = {"attendees", "attendance", "present", "attendee list", "attendees and apologies"}
ITEM_HEADING = re.compile(r"^(?P<number>\d{1,2}[A-Z]?)\s*[.)]?\s+(?P<title>\S.{1,150})$")
AGENDA_CELL = re.compile(
    r"^(?P<number>\d{1,2}[A-Z]?)\s*[.)]?\s+(?P<body>.+?)\s+(?P<minutes>\d{1,3})\s*min(?:ute)?s?$",
    re.IGNORECASE,
)
OBJECTIVE = re.compile(r"^(?:FOR\s+)?(?P<type>DECISION|INFORMATION|DISCUSSION)\s*:\s*(?P<text>.*)$")
INLINE_RECORD = re.compile(
    r"^\W*(?P<kind>ACTION|DECISION)\s+(?P<ref>[A-Z][A-Z0-9.\-]{3,30}?)\s*\**\s*(?::|\s[–-]\s)\s*\**\s*(?P<text>.+)$"
)
REVIEWED = re.compile(r"^(?P<ref>[A-Z][A-Z0-9]{1,11}\d+(?:\.\d+)?-\d{1,3})\s*:\s*(?P<text>.+)$")
NEXT_MEETING = re.compile(
    r"^(?:date of (?:the )?next meeting|next meeting)\b\W*(?P<rest>.*)$", re.I
)
RAID_REF = re.compile(r"(?<![\w/%.-])(?P<ref>R\d{2,4})\b(?![\w/%.-])")
REFERENCE_LIST = re.compile(r"R\d{2,4}(?:\s*(?:,|and|&)\s*R\d{2,4})+")
RAID_CONTEXT = re.compile(r"\b(risks?|RAID|issues?|assumptions?|dependenc(?:y|ies))\b", re.I)
ARTEFACT_LINE = re.compile(r"^(Formatted|Deleted|Commented \[[^\]]*\]):.*$")


def lines_from_text(text: str) -> list:
    """The lines of pasted text, each a list of its tab-separated cells."""
    if len(text) > MAX_CHARS:
        raise PaperUnreadable("This paper is too long to read: split it.")
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return [line.split("\t") for line in text.split("\n")]


def parse_text(text: str, filename: str = "") -> Paper:
    return parse_lines(lines_from_text(text), filename=filename)


def tidy_cell(cell: str) -> str:
    """Markup a copy carries that is not the paper's text: <i>, a link's "(#)"."""
    cell = re.sub(r"</?(?:i|b|u|em|strong)>", "", cell)
    # A link wrapped before its "(#)" reads from a PDF as "[words] (#)".
    cell = re.sub(r"\[([^\]]+)\] ?\(#\)", lambda m: re.sub(r"\\([()\[\]])", r"\1", m[1]), cell)
    return cell.replace("\xa0", " ")


def parse_lines(lines, filename: str = "") -> Paper:
    lines = [[tidy_cell(cell) for cell in cells] for cells in lines]
    if not any(clean(" ".join(cells)) for cells in lines):
        raise PaperUnreadable("The paper is empty: there is no text to read.")
    reader = Reader(lines)
    reader.paper.header = read_header(lines, filename)
    reader.run()
    return reader.finish()


class Reader(TableReading):
    """One pass over the lines, remembering where it is (attendees, agenda, minutes...)."""

    def __init__(self, lines):
        self.lines = lines
        self.paper = Paper()
        self.mode = ""
        self.section = ""
        self.heading = ""
        self.item = None  # the AgendaEntry the text belongs to
        self.text_lines = {}  # id(item) -> [(line index, text)]
        self.running = set()  # a page's running header, as printed

    def run(self):
        at = 0
        while at < len(self.lines):
            at = self.step(at)

    def step(self, at):
        cells = self.lines[at]
        text = clean(" ".join(cells))
        stripped = SLIDE_MARK.sub("", text)
        if not text and self.item is not None:
            self.text_lines.setdefault(id(self.item), []).append((at, ""))
        if not text or ARTEFACT_LINE.match(text):
            if text:
                self.paper.notes.append(f"Left out a reviewer's note: “{text[:80]}”.")
            return at + 1
        table_end = self.table(at, cells, text)
        if table_end is not None:
            return table_end
        heading = key(stripped)
        if len(cells) > 2 and key(cells[0]) == "week commencing":
            return self.schedule(at, cells)
        if heading in ATTENDEES:
            self.mode = "attendance"
            return at + 1
        if heading == "agenda":
            return self.agenda(at + 1)
        if heading in MINUTES and len(cells) == 1:
            self.mode, self.item = "minutes", None
            return at + 1
        if (match := NEXT_MEETING.match(stripped)) and len(text) < 120:
            return self.next_meeting(at, match["rest"])
        if self.mode == "attendance":
            if heading in STOPS:
                self.mode = ""
                return at + 1
            self.attendance(cells)
            return at + 1
        if heading in STOPS and len(cells) == 1:
            return at + 1
        if self.mode == "minutes":
            self.minutes_line(at, stripped)
            return at + 1
        if match := OBJECTIVE.match(stripped):
            return self.objective_item(at, match)
        self.slide_line(at, stripped, text)
        return at + 1

    # Attendance --------------------------------------------------------------------------

    def attendance(self, cells):
        cells = [clean(c) for c in cells]
        first = cells[0] if cells else ""
        rest = " ".join(c for c in cells[1:] if c)
        section = SECTION_OF.get(key(first))
        if section and key(rest) in {"", "role", "organisation", "role organisation"}:
            self.section, self.heading = section, first
            return
        if "(" not in first and key(rest) in {"", "role"} and len(cells) > 1:
            # An unknown heading ("MHHS", "MHHS Programme"): the programme's staff.
            self.section, self.heading = "programme", first
            return
        if len(cells) == 1:
            first, rest = split_untabbed_attendee(first)
        line = attendee(first, rest, self.section or "industry", self.heading)
        if line is not None:
            self.paper.attendance.append(line)

    # Agenda ------------------------------------------------------------------------------

    def agenda(self, at):
        """An agenda slide's items ("1. Welcome Justin Andrews 5 mins"), several a line."""
        found = False
        while at < len(self.lines):
            cells = [clean(c) for c in self.lines[at] if clean(c)]
            if not cells:
                at += 1
                continue
            entries = [AGENDA_CELL.match(cell) for cell in cells]
            if not all(entries):
                break
            for match in entries:
                title, lead = title_and_lead(match["body"])
                self.paper.agenda.append(
                    AgendaEntry(
                        number=match["number"],
                        title=title,
                        lead=lead,
                        duration_minutes=int(match["minutes"]),
                    )
                )
            found = True
            at += 1
        if found:
            self.mode = "slides"
        return at

    def slide_line(self, at, stripped, text):
        """Text of a slide pack or a paper pack: a title slide starts an agenda item's
        slides; other text is the slides presented on the item."""
        entry = self._title_slide(at, stripped)
        if entry is not None:
            self.item = entry
            return
        if self.item is None or self.mode == "attendance":
            return
        if self._is_item_furniture(stripped) or re.fullmatch(r"\d{1,3}", stripped):
            return  # the lead and time under a title slide, a slide's number
        self.text_lines.setdefault(id(self.item), []).append((at, text))

    def _title_slide(self, at, text):
        """The agenda item whose title slide this line is: its title, then its lead and
        time on the lines after."""
        if not self.paper.agenda or len(text) > 120:
            return None
        following = " ".join(clean(" ".join(c)) for c in self.lines[at + 1 : at + 8])
        for entry in self.paper.agenda:
            if same_title(entry.title, text) and re.search(r"\b\d+\s*mins?\b", following):
                if entry.lead and entry.lead not in following:
                    continue
                return entry
        return None

    def _is_item_furniture(self, text):
        """The lead and time under a title slide."""
        return text == self.item.lead or bool(re.fullmatch(r"\d+\s*mins?", text))

    def objective_item(self, at, match):
        """A paper pack's item slide: its title, then "DECISION: <objective>"."""
        title_lines, back = [], at - 1
        blanks = 0
        while back >= 0 and len(title_lines) < 4:
            text = clean(" ".join(self.lines[back]))
            if not text:
                blanks += 1
                if blanks > 1 and title_lines:
                    break
                back -= 1
                continue
            if (
                text.startswith("http")
                or len(text) > 60
                or OBJECTIVE.match(SLIDE_MARK.sub("", text))
            ):
                break
            blanks = 0
            title_lines.insert(0, SLIDE_MARK.sub("", text))
            if SLIDE_START.match("\t".join(self.lines[back])):
                break
            back -= 1
        objective, end = [match["text"]], at + 1
        while end < len(self.lines):
            text = clean(" ".join(self.lines[end]))
            if SLIDE_START.match("\t".join(self.lines[end])) or (
                not text and end + 1 < len(self.lines) and not clean(" ".join(self.lines[end + 1]))
            ):
                break
            if text:
                objective.append(text)
            end += 1
        if self.item is not None:
            first = back + 1
            kept = self.text_lines.get(id(self.item), [])
            self.text_lines[id(self.item)] = [(i, t) for i, t in kept if i < first]
        entry = AgendaEntry(
            number=str(len(self.paper.agenda) + 1),
            title=clean(" ".join(title_lines)),
            item_type=match["type"].lower(),
            objective=clean(" ".join(objective)),
        )
        self.paper.agenda.append(entry)
        self.item = entry
        self.mode = "papers"
        return end

    # Minutes -----------------------------------------------------------------------------

    def minutes_line(self, at, text):
        heading = ITEM_HEADING.match(text)
        if heading and self._next_number(heading["number"]) and not text.endswith((".", ":", ";")):
            title = clean(heading["title"])
            entry = next((e for e in self.paper.agenda if e.number == heading["number"]), None)
            if entry is None:
                entry = AgendaEntry(number=heading["number"], title=title)
                self.paper.agenda.append(entry)
            self.item = entry
            return
        if self.item is None:
            return
        self.text_lines.setdefault(id(self.item), []).append((at, text))
        if match := INLINE_RECORD.match(text):
            self._inline_record(match["kind"], normal_reference(match["ref"]), match["text"])
        elif match := REVIEWED.match(text):
            self._reviewed(normal_reference(match["ref"]), match["text"])

    def _next_number(self, number):
        numeric = int(re.match(r"\d+", number)[0])
        last = self.item.number if self.item is not None else "0"
        last_numeric = int(re.match(r"\d+", last)[0]) if re.match(r"\d+", last) else 0
        return numeric > last_numeric or (numeric == last_numeric and number != last)

    def _inline_record(self, kind, reference, text):
        text = clean(text.replace("**", ""))
        if kind == "ACTION":
            row = next((r for r in self.paper.actions if r.reference == reference), None)
            if row is None:
                row = ActionRow(reference=reference, text=text, area=self.item.title)
                self.paper.actions.append(row)
            row.item = self.item.number
        else:
            row = next((r for r in self.paper.decisions if r.reference == reference), None)
            if row is None:
                row = DecisionRow(reference=reference, wording=text, area=self.item.title)
                self.paper.decisions.append(row)
            row.item = self.item.number

    def _reviewed(self, reference, text):
        """ "DAG28-02: ... Action closed.": what the meeting said of an earlier action."""
        row = next((r for r in self.paper.actions if r.reference == reference), None)
        if row is None:
            row = ActionRow(reference=reference, previous=True)
            self.paper.actions.append(row)
        row.previous = True
        row.update = clean(text)
        row.item = row.item or self.item.number
        lowered = text.lower()
        if re.search(r"action (?:is )?closed|action to be closed|agreed to close", lowered):
            row.status = "CLOSED"
        elif re.search(r"recommend(?:ed)? (?:for )?clos", lowered):
            row.status = "RECOMMEND CLOSED"
        elif re.search(r"ongoing", lowered):
            row.status = "ONGOING"

    def _raid(self, entry, text):
        """RAID items named in an item's text where it speaks of risks or issues ("R432
        There is a risk that ..."), with the sentence after the reference."""
        for paragraph in text.split("\n\n"):
            paragraph = re.sub(r"https?://\S+", " ", paragraph)
            if not RAID_CONTEXT.search(paragraph):
                continue
            # A code body's change references ("REC provided updates on R0080, R148,
            # R0150") look like RAID items; a list holding one written R0... is theirs.
            others = {
                ref
                for listed in REFERENCE_LIST.finditer(paragraph)
                if re.search(r"\bR0\d", listed[0])
                for ref in re.findall(r"R\d{2,4}", listed[0])
            }
            for match in RAID_REF.finditer(paragraph):
                if match["ref"] in others or match["ref"].startswith("R0"):
                    continue
                if any(row.reference == match["ref"] for row in self.paper.raid):
                    continue
                after = paragraph[match.end() :].strip(" –-:")
                description = re.split(r"(?<=\.)\s", after, maxsplit=1)[0] if after else ""
                self.paper.raid.append(
                    RaidRow(reference=match["ref"], description=description, item=entry.number)
                )

    # Next meetings -----------------------------------------------------------------------

    def next_meeting(self, at, rest):
        """ "Date of next meeting:" and the date (with its time) on it or after it."""
        end, text = at + 1, rest
        while not first_date(text) and end < len(self.lines) and end < at + 4:
            text = clean(" ".join(self.lines[end]))
            end += 1
        dates = [clean(m[0]) for m in LONG_DATE.finditer(text)] or [
            m[0] for m in SHORT_DATE.finditer(text)
        ]
        header = self.paper.header
        for date in dates:
            if date not in header.next_meetings:
                header.next_meetings.append(date)
        if dates and not header.next_meeting_time:
            header.next_meeting_time = read_times(text.replace(dates[0], " "))[0]
        self.mode = ""
        return end

    def schedule(self, at, weeks):
        """A slide pack's table of the next meetings: a row of weeks ("Week commencing",
        31/01, 07/02 ...) and a row a kind of meeting ("Weds 9th" under its week)."""
        meeting_day = read_date(self.paper.header.date)
        end = at + 1
        found = []
        while meeting_day and end < len(self.lines) and len(self.lines[end]) > 2:
            for column, cell in enumerate(self.lines[end][1:], start=1):
                day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\b", cell)
                week = (
                    re.fullmatch(r"(\d{1,2})/(\d{1,2})", weeks[column].strip())
                    if column < len(weeks)
                    else None
                )
                if not (day and week):
                    continue
                month, year = int(week[2]), meeting_day.year + (int(week[2]) < meeting_day.month)
                if int(day[1]) < int(week[1]):  # the week runs into the next month
                    month, year = (1, year + 1) if month == 12 else (month + 1, year)
                try:
                    found.append(datetime.date(year, month, int(day[1])))
                except ValueError:
                    continue
            end += 1
        header = self.paper.header
        for date in sorted(d for d in found if d > meeting_day):
            printed = f"{date:%d/%m/%Y}"
            if printed not in header.next_meetings:
                header.next_meetings.append(printed)
        return end

    # Finishing ---------------------------------------------------------------------------

    def finish(self) -> Paper:
        paper = self.paper
        for entry in paper.agenda:
            text = paragraphs([t for _, t in self.text_lines.get(id(entry), [])])
            if paper.header.kind == "minutes":
                entry.minutes = text
            else:
                entry.paper_text = text
            self._raid(entry, text)
        if paper.header.kind == "papers" and "by correspondence" in " ".join(
            e.objective.lower() for e in paper.agenda
        ):
            paper.header.held_by_correspondence = True
        if not (paper.attendance or paper.agenda or paper.actions or paper.decisions):
            raise PaperUnreadable(
                "No attendees, agenda, actions or decisions were found: this does not read "
                "like a minutes document, slide pack or meeting papers."
            )
        return paper
