"""A PDF paper read into lines with pdfplumber, then parsed like pasted text: each page's
tables (found by their ruling lines) as rows of cells, the text around them as lines, in
the order they stand on the page; a blank line where a gap shows a new paragraph; the
running header and footer repeated on every page left out.
"""

import io
import re
from collections import Counter

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from .model import NOT_PDF, Paper, PaperUnreadable
from .parse_text import parse_lines

NO_TEXT = (
    "This PDF has no text layer (a scan or an image, or it is encrypted): export the paper "
    "as a PDF with text, or paste its text."
)
MAX_PAGES = 200


def pdf_lines(content: bytes) -> list:
    if not content.startswith(b"%PDF"):
        raise PaperUnreadable(NOT_PDF)
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise PaperUnreadable(f"This PDF has more than {MAX_PAGES} pages: split it.")
            pages = [_page_lines(page) for page in pdf.pages]
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
        if lines and kept and _carries_on(lines[-1], kept[0]):
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


def _carries_on(last, first) -> bool:
    return (
        len(last) == 1
        and len(first) == 1
        and len(last[0]) > 60
        and not last[0].rstrip().endswith((".", ":", ";", "?", "!"))
    )


def _page_lines(page) -> list:
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

    placed, previous = [], None
    text_lines = page.filter(outside).extract_text_lines() if boxes else page.extract_text_lines()
    right = max((line["x1"] for line in text_lines), default=0)
    for line in text_lines:
        height = line["bottom"] - line["top"]
        if previous is not None:
            gap = line["top"] - previous["bottom"]
            if gap < 0.5 * height and previous["x1"] > 0.8 * right:
                # A line wrapped at the margin: the paragraph goes on.
                placed[-1] = (placed[-1][0], [join_wrapped(placed[-1][1][0], line["text"])])
                previous = line
                continue
            if gap > 0.9 * height:
                placed.append((line["top"] - 0.01, [""]))  # a gap: a new paragraph
        placed.append((line["top"], [line["text"]]))
        previous = line
    for table in tables:
        top = table.bbox[1]
        for offset, row in enumerate(table.extract()):
            cells = [join_wrapped(*(cell or "").split("\n")) for cell in row]
            placed.append((top + offset * 0.001, cells))
        placed.append((table.bbox[3], [""]))
    placed.sort(key=lambda pair: pair[0])
    return [cells for _, cells in placed]


def join_wrapped(*parts) -> str:
    """Lines of one paragraph or cell joined: with a space, but none after a slash or a
    hyphen the line broke at ("design/" "testing": "design/testing")."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        joint = "" if not text or text.endswith(("/", "-")) and not text.endswith(" -") else " "
        text = f"{text}{joint}{part}"
    return text


def _running_lines(pages) -> set:
    """Lines that open or close two or more pages alike: the running header and footer."""
    if len(pages) < 2:
        return set()
    counts, seen = Counter(), {}
    for page in pages:
        texts = [" ".join(" ".join(c).split()) for c in page if " ".join(c).strip()]
        for text in set(texts[:2] + texts[-2:]):
            shape = re.sub(r"\d+", "#", text)  # "Page 1 of 7" and "Page 2 of 7" alike
            counts[shape] += 1
            seen.setdefault(shape, set()).add(text)
    return {
        text
        for shape, count in counts.items()
        if count >= 2 and len(shape) > 3
        for text in seen[shape]
    }


def parse_pdf(content: bytes, filename: str = "") -> Paper:
    return parse_lines(pdf_lines(content), filename=filename)
