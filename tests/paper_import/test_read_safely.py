"""Files that are not papers, or are built to hurt, get a clear message (UploadRefused),
never a 500: an image-only or encrypted PDF, a file of another kind behind a .docx name, a
Word file declaring entities or unpacking to too much (a zip bomb), a file of an unknown
kind, a damaged PDF (fuzzed); the text reader, fuzzed, raises nothing but its own clear
error; and the printed values the preview flags (unreadable
dates, look-alike letters, superscripts)."""

import contextlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from actions.models import DueKind
from core.uploads import UploadRefused
from meetings.paper_import.interpret import artefacts, read_date, read_due
from meetings.paper_import.model import PaperUnreadable
from meetings.paper_import.parse_text import parse_text
from meetings.paper_import.read import read_file, read_in_worker, read_pasted
from tests.paper_import.made import as_docx, as_pdf, seed


def blank_pdf(password=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.add_metadata({"/Title": "x"})
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_without_text_or_encrypted_says_it_has_no_text_layer():
    for content in (blank_pdf(), blank_pdf(password="secret")):
        with pytest.raises(UploadRefused, match="no text layer"):
            read_file(content, "DAG030 minutes.pdf")


def test_files_of_another_kind_are_refused_by_name_and_content():
    with pytest.raises(UploadRefused, match="not a Word document"):
        read_file(b"MZ\x90\x00 not a zip", "minutes.docx")
    with pytest.raises(UploadRefused, match="not a PDF"):
        read_file(b"PK\x03\x04", "minutes.pdf")
    with pytest.raises(UploadRefused, match=r"\.docx"):
        read_file(b"text", "minutes.exe")


def test_a_word_file_declaring_entities_is_refused():
    content = as_docx("Attendees\nJustin Andrews (JA)\tChair")
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                body = data.split(b"?>", 1)[1]
                data = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>' + body
            target.writestr(member, data)
    with pytest.raises(UploadRefused, match="not a Word document"):
        read_file(out.getvalue(), "minutes.docx")


def test_pasted_text_is_read_in_the_bounded_child():
    paper = read_pasted(seed("dag029").replace("Chair\tRole", "Chair\x00\tRole"))
    assert paper.header.number == 29 and len(paper.attendance) == 27
    with pytest.raises(UploadRefused, match="No attendees"):
        read_pasted("Nothing here but a line.")


LINES = seed("dag029").split("\n")[:80] + seed("dag2024").split("\n")[:120]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(LINES),
            st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80),
            st.builds(
                "\t".join,
                st.lists(
                    st.sampled_from(
                        ["Ref", "Action", "Owner", "Due", "DAG29-01", "CR043", "", "1."]
                    ),
                    max_size=6,
                ),
            ),
        ),
        max_size=60,
    )
)
def test_the_text_reader_raises_only_its_own_error(lines):
    with contextlib.suppress(PaperUnreadable):
        parse_text("\n".join(lines), "fuzz.txt")


def test_what_the_preview_flags_in_printed_values():
    assert read_date("10/082022") is None and read_date("Wednesday 12 June 2024")
    assert read_due("w/c 08/08/2022")[0] == DueKind.WEEK_COMMENCING
    assert read_due("Next DAG") == (DueKind.NEXT_MEETING, None) and read_due("soon") is None
    assert artefacts("Programme (РМО)")  # Cyrillic Р and М
    assert artefacts("held on the 11ᵗʰ")
    assert artefacts("Programme (PMO) held on the 11th") == []


def test_a_word_file_that_unpacks_to_too_much_is_refused_before_it_is_opened():
    """A zip bomb: one part of 30 MB of zeros packed into a few KB."""
    content = as_docx("Attendees\nJustin Andrews (JA)\tChair")
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("word/media/padding.bin", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(UploadRefused, match="too large to read"):
        read_file(out.getvalue(), "minutes.docx")


SMALL_PDF = as_pdf("Attendees\nJustin Andrews (JA)\tChair\nArea\tRef\tAction\tOwner\tDue")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(SMALL_PDF) - 1), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=6,
    ),
    st.integers(200, len(SMALL_PDF)),
)
def test_a_damaged_pdf_is_refused_with_a_message_by_either_reader(patches, length):
    """Bytes overwritten and the file cut short: the page's bounded reader says why it
    cannot read it (UploadRefused), and the worker's reader (PDFium, pdfplumber) raises
    nothing it does not word itself, or reads what is left."""
    content = bytearray(SMALL_PDF[:length])
    for at, data in patches:
        content[at : at + len(data)] = data
    content = bytes(content)
    with contextlib.suppress(UploadRefused):
        read_file(content, "damaged.pdf")
    with contextlib.suppress(UploadRefused, PaperUnreadable):
        read_in_worker(content, "damaged.pdf")
