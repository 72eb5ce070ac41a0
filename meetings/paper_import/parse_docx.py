"""A Word paper (.docx) read into lines, paragraphs and table rows in document order, then
parsed like pasted text (parse_text.parse_lines).

The archive is checked by core.uploads.check_archive before this runs, and every XML part
is parsed once with defusedxml first: a part declaring entities or a document type (the
"billion laughs" and external-entity attacks) is refused before python-docx reads it.
"""

import io
import zipfile

import docx
from defusedxml import ElementTree as SafeTree
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from .model import NOT_WORD, Paper, PaperUnreadable
from .parse_text import parse_lines


def check_xml_parts(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for member in archive.infolist():
            if member.filename.endswith((".xml", ".rels")):
                try:
                    SafeTree.fromstring(archive.read(member))
                except Exception as error:  # noqa: BLE001 - any refusal means not readable
                    raise PaperUnreadable(NOT_WORD) from error


def docx_lines(content: bytes) -> list:
    """[cells] per paragraph and per table row, in the order the document has them. Word's
    automatic numbering is not in a paragraph's text: numbered paragraphs of the first
    level get their number back ("1. Welcome"), counted per list."""
    check_xml_parts(content)
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds
        raise PaperUnreadable(NOT_WORD) from error
    lines, counters = [], {}
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            lines.append([_numbered(paragraph, counters) + paragraph.text])
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_rows(Table(child, document)))
            lines.append([""])
    return lines


def _numbered(paragraph, counters) -> str:
    numbering = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if numbering is None:
        return ""
    level = numbering.find(qn("w:ilvl"))
    number = numbering.find(qn("w:numId"))
    if level is not None and level.get(qn("w:val")) not in (None, "0"):
        return ""
    list_id = number.get(qn("w:val")) if number is not None else ""
    counters[list_id] = counters.get(list_id, 0) + 1
    return f"{counters[list_id]}. "


def _table_rows(table) -> list:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            text = " ".join(p.text for p in cell.paragraphs if p.text.strip())
            for inner in cell.tables:
                text += " " + " ".join(" ".join(c.text for c in r.cells) for r in inner.rows)
            cells.append(" ".join(text.split()))
        rows.append(cells)
    return rows


def parse_docx(content: bytes, filename: str = "") -> Paper:
    return parse_lines(docx_lines(content), filename=filename)
