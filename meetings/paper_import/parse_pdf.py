"""A PDF paper read into lines with pdfplumber, then parsed like pasted text: each page's
tables (found by their ruling lines) as rows of cells, the text around them as lines, in
the order they stand on the page; a blank line where a gap shows a new paragraph; the
running header and footer repeated on every page left out.

The characters and ruling lines of each page are read by PDFium (pypdfium2, which
pdfplumber itself depends on) and handed to pdfplumber's table finder and line grouping:
pdfplumber's own reading (pdfminer, in Python) took over 4 s of CPU for a 16-page minutes
document, PDFium about 0.2 s. A rotated page is left to pdfplumber's own reading.
"""

import contextlib
import io
import itertools
import math
import re
from collections import Counter

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_raw
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from .model import NOT_PDF, Paper, PaperUnreadable
from .parse_text import parse_lines
from .tables import ACTION_COLUMNS, CR_COLUMNS, DECISION_COLUMNS, key

NO_TEXT = (
    "This PDF has no text layer (a scan or an image, or it is encrypted): export the paper "
    "as a PDF with text, or paste its text."
)
MAX_PAGES = 200


def pdf_lines(content: bytes, progress=None) -> list:
    """[cells] per line of the paper; `progress(pages read, pages)` is called after each
    page (the worker's progress bar)."""
    if not content.startswith(b"%PDF"):
        raise PaperUnreadable(NOT_PDF)
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            total = len(pdf.pages)
            if total > MAX_PAGES:
                raise PaperUnreadable(f"This PDF has more than {MAX_PAGES} pages: split it.")
            fast = _pdfium_document(content, total)
            pages, wrapped = [], set()  # wrapped: ids of the lines that ran to the margin
            for number, page in enumerate(pdf.pages):
                if fast is not None and not page.rotation:
                    with contextlib.suppress(pypdfium2.PdfiumError):
                        # pdfplumber's Page keeps its objects in `_objects` once read: set,
                        # they are used as its own (were that to change, pdfplumber would
                        # read the page itself, only slower). A page PDFium could not read
                        # is left to pdfplumber.
                        page._objects = _pdfium_objects(fast[number], page)
                pages.append(_page_lines(page, wrapped))
                if progress is not None:
                    progress(number + 1, total)
            if fast is not None:
                fast.close()
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise PaperUnreadable(NO_TEXT) from error
    except PdfminerException as error:
        # pdfplumber wraps pdfminer's errors: a password asked for, or a damaged file.
        encrypted = any(
            isinstance(arg, PDFPasswordIncorrect | PDFEncryptionError) for arg in error.args
        )
        raise PaperUnreadable(NO_TEXT if encrypted else NOT_PDF) from error
    except PDFSyntaxError as error:
        raise PaperUnreadable(NOT_PDF) from error
    if not any(any(c.strip() for c in cells) for page in pages for cells in page):
        raise PaperUnreadable(NO_TEXT)
    running = _running_lines(pages)
    lines = []
    for page in pages:
        kept = [cells for cells in page if " ".join(" ".join(cells).split()) not in running]
        while kept and not " ".join(kept[0]).strip():
            kept.pop(0)
        while lines and not " ".join(lines[-1]).strip():
            lines.pop()
        if lines and kept and _carries_on(lines[-1], kept[0], id(lines[-1]) in wrapped):
            # A paragraph the page break cut.
            lines[-1] = [join_wrapped(lines[-1][0], kept.pop(0)[0])]
        elif lines:
            lines.append([""])
        if kept and len(kept[0]) == 1:
            # A page's first line starts with a space, as a PDF viewer's copy has it: in a
            # slide pack it is the slide's title (parse_text.SLIDE_START).
            kept[0] = [" " + kept[0][0].lstrip()]
        lines.extend(kept)
    return lines


def _pdfium_document(content, pages):
    """The document opened by PDFium, or None where PDFium cannot open what pdfminer did
    or counts its pages otherwise (pdfplumber's own reading is then used)."""
    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        return None
    if len(document) != pages:
        document.close()
        return None
    return document


def _pdfium_objects(fast_page, page) -> dict:
    """The page's characters and painted paths as pdfplumber's objects ("char", "rect"),
    in pdfplumber's coordinates (from the top of the page). A path is its bounding box:
    a ruling line or a cell's border is a thin rectangle, whose edges pdfplumber's table
    finder snaps together as it does the rectangles of its own reading."""
    left, _, _, page_top = page.mediabox
    doctop = page.initial_doctop

    def box(x0, y0, x1, y1):
        """A box PDFium measures from the page's bottom left, placed as pdfplumber does."""
        top, bottom = page_top - y1, page_top - y0
        return {
            "page_number": page.page_number,
            "x0": x0 - left,
            "x1": x1 - left,
            "y0": y0,
            "y1": y1,
            "top": top,
            "bottom": bottom,
            "doctop": doctop + top,
            "width": x1 - x0,
            "height": bottom - top,
        }

    text = fast_page.get_textpage()
    chars = []
    try:
        handle = text.raw
        count = text.count_chars()
        for index in range(count):
            if pdfium_raw.FPDFText_IsGenerated(handle, index) == 1:
                continue  # a space or line break PDFium inferred; pdfplumber infers its own
            code = pdfium_raw.FPDFText_GetUnicode(handle, index)
            if (
                code == 32
                and chars
                and chars[-1]["text"] == "/"
                and _ends_line(handle, index, count)
            ):
                # The space Word prints after a slash the line then broke at ("Chapman/ "
                # "Craig"): kept as a mark (pdfplumber drops spaces), so the lines are
                # joined with it. (After a hyphen ending a line PDFium leaves the space out.)
                code = ord(SPACE_KEPT)
            elif code == 2:
                code = ord("-")  # PDFium's mark of a hyphen ending a line: the hyphen printed
            elif code < 32 or 0xD800 <= code <= 0xDFFF:
                continue
            angle = pdfium_raw.FPDFText_GetCharAngle(handle, index)
            upright = min(angle, 2 * math.pi - angle) < 0.01 if angle >= 0 else True
            chars.append(
                {
                    "object_type": "char",
                    "text": chr(code),
                    "fontname": "",
                    "size": pdfium_raw.FPDFText_GetFontSize(handle, index),
                    "upright": upright,
                    **box(*text.get_charbox(index, loose=True)),
                }
            )
    finally:
        text.close()
    paths = fast_page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=1)
    rects = [{"object_type": "rect", **box(*path.get_bounds())} for path in paths]
    return {"char": chars, "rect": rects}


def _ends_line(handle, index, count) -> bool:
    """Whether the character at `index` (of `count`) is the last of its line: PDFium
    follows it with a line break of its own, or it ends the page."""
    after = index + 1
    if after >= count:
        return True
    return pdfium_raw.FPDFText_IsGenerated(handle, after) == 1 and pdfium_raw.FPDFText_GetUnicode(
        handle, after
    ) in (10, 13)


def _carries_on(last, first, ran_to_margin) -> bool:
    """Whether a page's first line goes on with the paragraph the page before ends with:
    that one long, its last line running to the margin (a shorter one ended its
    paragraph) and stopping mid-sentence, and this one not a title (a slide's, whose
    words all start with a capital: "Design Updates", or a numbered heading)."""
    return (
        ran_to_margin
        and len(last) == 1
        and len(first) == 1
        and len(last[0]) > 60
        and not last[0].rstrip().endswith((".", ":", ";", "?", "!"))
        and not _title_like(first[0])
    )


def _title_like(text) -> bool:
    """A slide's title ("Design Updates") or an item's numbered heading ("12. AOB")."""
    if re.match(r"\d{1,2}[.)]?\s+[A-Z]", text):
        return True
    words = [word for word in text.split() if len(word) > 3]
    return bool(words) and len(text) < 80 and all(word[0].isupper() for word in words)


def _page_lines(page, wrapped) -> list:
    """[cells] per line of the page; the ids of its paragraphs whose last line ran to
    the right margin (a page break may have cut them) are added to `wrapped`."""
    # A table split over pages loses its ruling line at the break: the top and bottom of
    # the page's vertical rules close it again.
    verticals = [edge for edge in page.edges if edge["orientation"] == "v"]
    settings = {}
    if verticals:
        top = min(edge["top"] for edge in verticals)
        bottom = max(edge["bottom"] for edge in verticals)
        settings["explicit_horizontal_lines"] = [top, bottom]
    tables = page.find_tables(settings)
    boxes = [table.bbox for table in tables]

    def outside(obj):
        x, top = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and t <= top <= b for x0, t, x1, b in boxes)

    placed, previous = [], None  # (top, text, the right end of its last line)
    text_lines = page.filter(outside).extract_text_lines() if boxes else page.extract_text_lines()
    right = max((line["x1"] for line in text_lines), default=0)
    # The gap between the lines of one paragraph is the page's smallest usual one; a
    # paragraph's spacing (6 pt after, as Word sets it) adds to it, often less than a line.
    gaps = sorted(b["top"] - a["bottom"] for a, b in itertools.pairwise(text_lines))
    usual = max(gaps[len(gaps) // 5], 0) if gaps else 0
    for line in text_lines:
        height = line["bottom"] - line["top"]
        if previous is not None:
            gap = line["top"] - previous["bottom"]
            parted = gap > 0.9 * height or gap > usual + 0.3 * height
            if gap < 0.5 * height and not parted and previous["x1"] > 0.8 * right:
                # A line wrapped at the margin: the paragraph goes on.
                top, text, _ = placed[-1]
                placed[-1] = (top, join_wrapped(text, line["text"], keep=True), line["x1"])
                previous = line
                continue
            if parted:
                placed.append((line["top"] - 0.01, "", 0))  # a gap: a new paragraph
            if gap > 2 * height:
                # A gap of more than two lines parts sections (a slide's title from the
                # text above it), as several blank lines do in a copy.
                placed.append((line["top"] - 0.005, "", 0))
        placed.append((line["top"], line["text"], line["x1"]))
        previous = line
    rows = []
    for top, text, end in placed:
        cells = [join_wrapped(text)]
        if end > 0.8 * right:
            wrapped.add(id(cells))
        rows.append((top, cells))
    for table in tables:
        top = table.bbox[1]
        for offset, row in enumerate(table.extract()):
            cells = _overflow_back([join_wrapped(*(cell or "").split("\n")) for cell in row])
            rows.append((top + offset * 0.001, cells))
        rows.append((table.bbox[3], [""]))
    rows.sort(key=lambda pair: pair[0])
    return [cells for _, cells in rows]


OVERFLOWED_REFERENCE = re.compile(r"[A-Z][A-Za-z0-9.]*-(?:DEC-?)?\d+")
OVERFLOWING_DIGITS = re.compile(r"(\d{1,3})(?=[A-Z])")


def _overflow_back(cells) -> list:
    """A reference too wide for its column ("DAG16-109", "DAG-DEC100" in a narrow Ref
    column that does not wrap) runs over into the next cell, whose text then starts with
    the reference's last digits ("9Programme to..."): the digits are put back."""
    for i in range(len(cells) - 1):
        if OVERFLOWED_REFERENCE.fullmatch(cells[i]) and (
            match := OVERFLOWING_DIGITS.match(cells[i + 1])
        ):
            cells[i] += match[1]
            cells[i + 1] = cells[i + 1][match.end() :]
    return cells


# The mark of a space printed at the end of a line after a slash (a character no paper
# prints visibly: a zero-width space).
SPACE_KEPT = "\u200b"
URL_TAIL = re.compile(r"(?:^|\s)https?://\S*[/?&=#]$")


def join_wrapped(*parts, keep=False) -> str:
    """Lines of one paragraph or cell joined: with a space, but none after a slash or a
    hyphen the line broke at ("design/" "testing": "design/testing"), unless the slash is
    spaced ("Requirements /" "Business") or the space after it printed ("Chapman/ "
    "Craig"), and none inside a link ("external?" "a=5"). `keep`: the mark of a printed
    space ending the last part is kept, for a line that more may join."""
    text, spaced = "", False
    for part in parts:
        kept = part.rstrip().endswith(SPACE_KEPT)
        part = part.replace(SPACE_KEPT, "").strip()
        if not part:
            continue
        broke_at_mark = text.endswith(("/", "-")) and not text.endswith((" -", " /"))
        joint = "" if not text or not spaced and (broke_at_mark or URL_TAIL.search(text)) else " "
        text, spaced = f"{text}{joint}{part}", kept
    return f"{text}{SPACE_KEPT}" if keep and spaced else text


HEADINGS = {**ACTION_COLUMNS, **DECISION_COLUMNS, **CR_COLUMNS, "attendee": "", "role": ""}


def _heading_row(cells) -> bool:
    """A table's heading row: cells that are all column headings ("Ref", "Action"...)."""
    named = [cell for cell in cells if cell.strip()]
    return len(named) > 1 and all(key(cell) in HEADINGS for cell in named)


def _running_lines(pages) -> set:
    """Lines that open or close most pages alike: the running header and footer.
    A table's heading row, printed again atop each page the table runs on, is not one."""
    if len(pages) < 2:
        return set()
    # On most pages: a numbered heading that happens to open two pages ("7. Agenda item 7",
    # "12. Agenda item 12" alike once digits are set aside) is not running.
    enough = max(2, (len(pages) + 1) // 2)
    counts, seen = Counter(), {}
    for page in pages:
        rows = [cells for cells in page if " ".join(cells).strip()]
        edges = rows[:2] + rows[-2:]
        for text in {" ".join(" ".join(c).split()) for c in edges if not _heading_row(c)}:
            shape = re.sub(r"\d+", "#", text)  # "Page 1 of 7" and "Page 2 of 7" alike
            counts[shape] += 1
            seen.setdefault(shape, set()).add(text)
    return {
        text
        for shape, count in counts.items()
        if count >= enough and len(shape) > 3
        for text in seen[shape]
    }


def parse_pdf(content: bytes, filename: str = "", progress=None) -> Paper:
    return parse_lines(pdf_lines(content, progress), filename=filename)
