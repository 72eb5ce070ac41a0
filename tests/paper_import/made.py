"""Papers made in the tests from a seed's text: the same text as a Word document and as a
PDF, and variations of its layout (columns reordered, cells wrapped, a table split over
pages), as the papers of the same family vary."""

import io
import re
from html import escape
from pathlib import Path

import docx

SEED_NAMES = {
    "dag029": "DAG029-minutes-2023-10-11.txt",
    "dag004": "DAG004-slides-2022-02-09.txt",
    "dag2024": "DAG-papers-2024-06-12.txt",
}


def seed(name) -> str:
    """A seed paper's text, copied beside these tests from ../shared/seeds (so they run
    from a clean clone)."""
    here = Path(__file__).resolve().parent / "seeds" / SEED_NAMES[name]
    return here.read_text(encoding="utf-8")


def blocks(text):
    """("table", rows) for each run of tab-separated lines, ("p", line) for the others."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            if not out or out[-1][0] != "table":
                out.append(("table", []))
            out[-1][1].append(line.split("\t"))
        else:
            out.append(("p", line))
    return out


def as_docx(text) -> bytes:
    document = docx.Document()
    for kind, value in blocks(text):
        if kind == "p":
            document.add_paragraph(value)
            continue
        width = max(len(row) for row in value)
        table = document.add_table(rows=len(value), cols=width)
        for r, row in enumerate(value):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(text, split=None) -> bytes:
    """The text as a PDF (WeasyPrint): tables with ruled cells, paragraphs apart, as the
    paper the text was copied from printed them. `split`, (heading row's first cell, n),
    starts a new page after n rows of that table, which prints its heading row again.

    What a real paper's PDF keeps, this one keeps too: each blank line of the copy is the
    gap a line high that a PDF viewer copied it from (the wider gap of several blank
    lines parts a slide's title from what goes before it), and the space that ends a
    wrapped line after a slash is printed as Word prints every space (WeasyPrint prints
    none: "Chapman/ Craig" wrapped after the slash would read as "Chapman/Craig"). A
    table's row is kept on one page, as a slide's table is (rows split over pages are
    not read as one: the reader's limit, not this paper's)."""
    from weasyprint import HTML

    parts = []
    for kind, value in blocks(text):
        if kind == "p":
            if re.match(r"^ [A-Z0-9]", value) and parts:
                # A slide pack's text: each slide (its title after a space) on a new page.
                parts.append('<div style="page-break-after: always"></div>')
            parts.append(f"<p>{printed(value)}</p>" if value.strip() else '<div class="gap"></div>')
            continue
        width = max(len(row) for row in value)
        rows = [row + [""] * (width - len(row)) for row in value]
        cells = ["".join(f"<td>{printed(c)}</td>" for c in row) for row in rows]
        if split and rows[0][0] == split[0]:
            head, at = f"<tr>{cells[0]}</tr>", split[1]
            parts.append(f"<table>{head}{''.join(f'<tr>{c}</tr>' for c in cells[1:at])}</table>")
            parts.append('<div style="page-break-after: always"></div>')
            parts.append(f"<table>{head}{''.join(f'<tr>{c}</tr>' for c in cells[at:])}</table>")
        else:
            parts.append(f"<table>{''.join(f'<tr>{c}</tr>' for c in cells)}</table>")
    style = (
        "@page{size:A4;margin:1.5cm}body{font:9pt sans-serif}"
        "p{margin:0 0 6pt}.gap{height:9pt}"
        "table{border-collapse:collapse;width:100%;margin:6pt 0}"
        "td{border:0.5pt solid #000;padding:2pt;vertical-align:top}"
        "tr{break-inside:avoid}"
    )
    html = f"<html><head><style>{style}</style></head><body>{''.join(parts)}</body></html>"
    return HTML(string=html).write_pdf()


def printed(text) -> str:
    """The text as HTML, the space after a slash printed (see as_pdf): WeasyPrint prints a
    space followed by a zero-width one, even at the end of a line."""
    return escape(text).replace("/ ", "/ \u200b")


def reorder_columns(text, header_start, order):
    """The table whose heading row starts with `header_start`, its columns in `order`
    (indexes of the original columns)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    while at < len(lines) and "\t" in lines[at]:
        cells = lines[at].split("\t")
        lines[at] = "\t".join(cells[i] if i < len(cells) else "" for i in order)
        at += 1
    return "\n".join(lines)


def wrap_cells(text, reference, column, at_word=6):
    """The row of `reference` with its cell `column` wrapped onto the next line after
    `at_word` words, as a copy from a narrow table gives it."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if reference in cells:
            words = cells[column].split()
            first = cells[:column] + [" ".join(words[:at_word])]
            rest = [" ".join(words[at_word:])] + cells[column + 1 :]
            lines[i] = "\t".join(first) + "\n" + "\t".join(rest)
            break
    return "\n".join(lines)


def renumber_headings(text):
    """Item headings written "1 Welcome" rather than "1. Welcome"."""
    return re.sub(r"(?m)^(\d{1,2})\. (?=[A-Z\[])", r"\1 ", text)
