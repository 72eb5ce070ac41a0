"""The five PDF documents rendered from the demo data, read back with a real PDF text
extractor (pypdf): references, headings, attendee lines and table rows in the paper's
order, running header and footer, page numbering, links and fonts; and, from the layout
itself, that table rows are never split across pages.

WeasyPrint is slow, so the demo is loaded and each document rendered once per module (in
a transaction rolled back at the end); the tests only read the PDFs. The first two pages
of each are saved as PNGs in test-artifacts/ for a person to look at.
"""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from pypdf import PdfReader

from actions.documents import OPEN_ACTIONS
from changerequests.documents import CR_STATUS
from core.models import GovernanceGroup
from documents.models import Document, DocumentStatus
from documents.rendering import build_source, lay_out, render_html
from documents.services import request_document
from documents.tasks import render_document
from meetings.documents import HEADLINE, MINUTES
from meetings.models import Meeting
from raid.documents import RAID
from tests.demo_data import load_demo

# Marked so pytest-django sets up the test database; the data come from the fixture.
pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CR_PERIOD = {"start": "2024-03-01", "end": "2024-06-04", "classification": "public"}


class Pdf:
    def __init__(self, data: bytes):
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [page.extract_text() for page in self.reader.pages]
        self.text = " ".join(" ".join(self.pages).split())

    def assert_in_order(self, *needles):
        """Each needle appears after the one before it."""
        position = 0
        for needle in needles:
            found = self.text.find(needle, position)
            assert found >= 0, f"{needle!r} missing after position {position}"
            position = found + len(needle)

    def links(self):
        uris = []
        for page in self.reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A") or {}
                if "/URI" in action:
                    uris.append(str(action["/URI"]))
        return uris

    def fonts(self):
        return {
            str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in self.reader.pages
            for font in page["/Resources"]["/Font"].values()
        }


def _first_pages_png(pdf: bytes, name: str):
    """documents-minutes-1.png, documents-minutes-2.png: readable on a screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", "-", name],
        input=pdf,
        cwd=ARTIFACTS,
        check=True,
    )


def _rows_by_page(rendered) -> list[dict[int, str]]:
    """{row element id: its text on the page} of the body rows of the layout's tables, page
    by page. A row split across pages is one element laid out on both."""

    def rows(box):
        if type(box).__name__ == "TableRowGroupBox" and not box.is_header:
            for row in box.children:
                text = " ".join(t.text for t in row.descendants() if hasattr(t, "text"))
                yield id(row.element), text
        else:
            for child in getattr(box, "children", ()):
                yield from rows(child)

    return [dict(rows(page._page_box)) for page in rendered.pages]


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every document of the demo, rendered through the task, as {kind: Pdf}."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_demo()
        dag029 = Meeting.objects.get(group__code="DAG", number=29)
        dag = GovernanceGroup.objects.get(code="DAG")
        requests = {
            MINUTES: {"meeting": dag029},
            HEADLINE: {"meeting": dag029},
            OPEN_ACTIONS: {"group": dag},
            CR_STATUS: {"group": dag, "parameters": CR_PERIOD},
            RAID: {"group": dag},
        }
        rendered = {}
        for kind, target in requests.items():
            document = request_document(kind=kind, **target)
            render_document(document.pk)
            document.refresh_from_db()
            assert document.status == DocumentStatus.READY, document.error
            with document.file.open("rb") as file:
                rendered[kind] = Pdf(file.read())
            _first_pages_png(rendered[kind].data, f"documents-{kind}")
        yield rendered
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def minutes_rows(pdfs, django_db_blocker):
    """The DAG029 minutes laid out again (in the demo's transaction), to read the table rows
    on each page."""
    with django_db_blocker.unblock():
        dag029 = Meeting.objects.get(group__code="DAG", number=29)
        source = build_source(Document(kind=MINUTES, meeting=dag029))
        html = render_html(source, version=1, issued=dag029.date)
    return _rows_by_page(lay_out(html))


def test_minutes_title_and_header_box_as_the_paper(pdfs):
    minutes = pdfs[MINUTES]
    minutes.assert_in_order(
        "MHHS Design Advisory Group (DAG) Minutes and Actions Issue date: 18/10/2023 · Version 1",
        "Meeting number DAG029 Venue Virtual – MS Teams",
        "Date and time 11 October 2023 1000-1300 Classification Public",
    )


def test_minutes_attendees_by_category_in_the_paper_order(pdfs):
    pdfs[MINUTES].assert_in_order(
        "Attendees",
        "Chair Justin Andrews Chair",
        "Industry Representatives Carolyn Burns (CBu) Small Supplier Representative",
        "Morven Hunter (MHu) (on behalf of Donna Jamieson) iDNO Representative",
        "Stuart Scott (SS) (part meeting) DCC Representative",
        "Vladimir Black (VB) Medium Supplier Representative",
        "MHHS Andrew Margan (AM) (part meeting) Code Lead",
        "Sean Cooper (SC) (part meeting) Design Team",
        "Other Attendees Andrew Dudkowsky (AD) (part meeting) NGESO",
        "Taylor Thorpe (TT) (part meeting) IPA",
        "Apologies Caroline Farquhar Consumer Representative",
    )


def test_minutes_actions_grouped_by_area_with_previous_meetings_last(pdfs):
    minutes = pdfs[MINUTES]
    minutes.assert_in_order(
        "New / Outstanding Actions",
        "Area Ref Action Owner Due",
        "CR032 Impact Assessment DAG29-01 NGESO to amend Programme Change Request",
        "NGESO Representative (Daniel Arrowsmith) 13/10/2023",
        "UTC vs Clock Times DAG29-02",
        "DAG29-03",
        "Testing Release Strategy DAG29-04",
        "Programme (Paul Pettitt & Lee Cox) 08/11/2023",
        "DAG29-05",
        "DAG Terms of Reference DAG29-06",
        "DAG29-07 Programme to provide link to RAID form to DAG members Programme (PMO) ASAP",
        "AOB (CR029) DAG29-08",
        "Previous Meeting(s) DAG28-04",
        "DAG28-12",
        "DAG27-08",
        "Closed at this meeting DAG28-02",
        "CLOSED",
        "DAG28-15",
        "CLOSED",
        "Decisions",
    )
    # Closed at DAG029 (the minutes close them), so not outstanding: listed closed.
    previous = minutes.text.split("Previous Meeting(s)")[1].split("Closed at this meeting")[0]
    assert "DAG28-02" not in previous and "DAG28-15" not in previous


def test_minutes_decisions_then_numbered_minutes_with_records(pdfs):
    pdfs[MINUTES].assert_in_order(
        "Area Dec Ref Decision",
        "Minutes and Actions DAG-DEC75 Headline Report and changed marked Minutes",
        "CR032 Impact Assessment DAG-DEC76",
        "DAG-DEC77 The SRO approved updates to the Interface Code of Connections",
        "DAG-DEC78",
        "RAID Items Discussed",
        "Minutes",
        "1. Welcome and Introductions",
        "2. Minutes and Actions",
        "DECISION DAG-DEC75: Headline Report",
        "4. CR032 Impact Assessment",
        "ACTION DAG29-01: NGESO to amend",
        "DECISION DAG-DEC76: The SRO agreed CR032",
        "6. UTC vs Clock Times",
        "ACTION DAG29-02",
        "ACTION DAG29-03",
        "13. Summary and Next Steps",
        "ACTION DAG29-08",
        "Date of next meeting: 08 November 2023 10am",
    )


def test_every_document_has_running_header_footer_and_page_x_of_y(pdfs):
    for kind, pdf in pdfs.items():
        total = len(pdf.pages)
        assert total >= 1
        for number, page in enumerate(pdf.pages, start=1):
            flat = " ".join(page.split())
            assert f"Page {number} of {total}" in flat, (kind, number)
            assert "Document Classification: Public" in flat, (kind, number)
            assert "Version 1 · Issue date: " in flat, (kind, number)
            assert "MHHS Design Advisory Group (DAG)" in flat, (kind, number)
    assert len(pdfs[MINUTES].pages) > 1
    # The running header, on the first page too: the group, and the document's title.
    for page in pdfs[MINUTES].pages:
        assert "Minutes and Actions – DAG029" in page
    assert "Version 1 · Issue date: 18/10/2023" in pdfs[MINUTES].pages[-1]


def test_every_document_is_a_tagged_pdf_ua_with_its_title_and_language(pdfs):
    """Issue 21 item 8: a screen reader reads the PDFs' structure (PDF/UA-1), announces the
    document's title rather than its file name, and reads it in British English."""
    for kind, pdf in pdfs.items():
        catalog = pdf.reader.trailer["/Root"]
        assert pdf.reader.metadata.title.startswith("MHHS Design Advisory Group (DAG) – "), kind
        assert catalog["/Lang"] == "en-GB", kind
        # pypdf's BooleanObject is not the True singleton: bool() reads it.
        assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog, kind
        assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]), kind
        assert b"pdfuaid:part" in pdf.reader.xmp_metadata.stream.get_data(), kind


def test_table_rows_are_never_split_across_pages(minutes_rows):
    assert len([page for page in minutes_rows if page]) > 1, "tables run over several pages"
    seen = {}
    for number, rows in enumerate(minutes_rows, start=1):
        for element, text in rows.items():
            assert element not in seen, f"row split over pages {seen[element]}-{number}: {text}"
            seen[element] = number


def test_table_headers_repeat_on_every_page_of_the_actions_table(pdfs):
    pages = [" ".join(page.split()) for page in pdfs[MINUTES].pages]
    first = next(i for i, page in enumerate(pages) if "New / Outstanding Actions" in page)
    last = next(i for i, page in enumerate(pages) if "Area Dec Ref Decision" in page)
    assert last > first, "the demo's actions table runs over a page break"
    for page in pages[first : last + 1]:
        if re.search(r"DAG2[78]-\d\d|DES-\d\d-\d\d", page.split("Area Dec Ref")[0]):
            assert "Area Ref Action Owner Due" in page


def test_references_are_links_and_fonts_are_local(pdfs):
    links = pdfs[MINUTES].links()
    assert "http://127.0.0.1:8000/actions/DAG29-01/" in links
    assert "http://127.0.0.1:8000/decisions/DAG-DEC76/" in links
    assert "http://127.0.0.1:8000/change-requests/CR032/" in links
    # CR029 is linked in the text of action DAG29-08 in the actions table, as well as in
    # the minutes of item 13 and its ACTION line.
    assert links.count("http://127.0.0.1:8000/change-requests/CR029/") == 3
    assert "http://127.0.0.1:8000/raid/R432/" in pdfs[RAID].links()
    # References named in a CR's key detail link to that CR.
    assert "http://127.0.0.1:8000/change-requests/CR044/" in pdfs[CR_STATUS].links()
    for pdf in pdfs.values():
        assert pdf.fonts() <= {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique"}


def test_headline_report(pdfs):
    headline = pdfs[HEADLINE]
    headline.assert_in_order(
        "MHHS Design Advisory Group (DAG) Headline Report Issue date: 18/10/2023 · Version 1",
        "Decisions Taken",
        "DAG-DEC75",
        "DAG-DEC78",
        "Actions Raised",
        "Ref Action Owner Due",
        "DAG29-01",
        "DAG29-08",
        "Actions Closed",
        "DAG28-02",
        "DAG28-05",
        "DAG28-15",
        "Key Updates",
        "4. CR032 Impact Assessment The Change Raiser presented CR032",
        "Next steps: Subject to receipt of the amended CR",
        "DECISION DAG-DEC76 · ACTION DAG29-01",
        "5. Updates to the Interface Code of Connections",
        "Date of next meeting: 08 November 2023 10am",
    )
    assert "DAG28-04" not in headline.text.split("Actions Closed")[1].split("Key Updates")[0]


def test_open_actions_report(pdfs):
    report = pdfs[OPEN_ACTIONS]
    report.assert_in_order(
        "Open Actions Report",
        "Open and Ongoing Actions",
        "Ref Date raised Action Owner Due Status Latest update",
        "DAG32-06",
        "ONGOING",
        "DAG36-02",
        "DAG60-01",
        "Recommended for Closure – for the Chair's agreement",
        "Ref Date raised Action Owner Due Status Latest update",
        "DAG35-01",
        "RECOMMEND CLOSED",
        "DAG35-03",
        "DAG36-01",
    )
    # The papers' open actions are past due by now, and flagged; so are the current
    # cycle's due last week (demo/data/current.yaml).
    assert report.text.count("OVERDUE") >= 5
    open_part = report.text.split("Recommended for Closure")[0]
    assert "DAG35-01" not in open_part and "DAG28-02" not in report.text
    assert "DAG28-04" not in report.text  # closed at DAG030, as the June 2024 papers imply


def test_cr_status_report_for_a_period(pdfs):
    report = pdfs[CR_STATUS]
    report.assert_in_order(
        "Change Request Status Report",
        "from 01 March 2024 to 04 June 2024 · Updated to 04/06/2024",
        "Ref. Key Detail Change Raiser(s) Change Type Latest Action Approval Status",
        "CR043 Supplier Registration of ABMU and MPAN Mapping Mike Ceney, Elexon",
        # Adjacent narrow cells may extract with no space between them.
        "Approved",
        "Complete",
        "CR044",
        "Rejected",
        "Closed Programme to hand over solution design to Code Bodies",
        "CR045",
        "CR046",
        "Implement IR8.1 June-24 Paul Pettitt, MHHS Programme",
        "CR047",
        "CR048",
        "CR049 Swagger Open API 3.0 to 3.1 Upgrade",
        "Withdrawn",
        "Withdrawn",
        "CR050",
        "Change Request Updates",
        "CR044 Implementation of 'Data Refresh' Message IF-051",
    )
    # Every open CR is listed first, CR032 (raised in October 2023, idle in the period)
    # too; the period's table lists only those that moved.
    open_part, moved = report.text.split("moved in the period", 1)
    assert "CR032" in open_part and "CR043" not in open_part
    assert "CR032" not in moved


def test_raid_report_heat_map_and_top_items(pdfs):
    report = pdfs[RAID]
    report.assert_in_order(
        "RAID Report",
        "Heat Map",
        "Top Items by Score",
        "R432 Risk Design There is a risk that new and existing Change Requests",
        "12 High P 3 × I 4",
        "Change Requests assessed through Programme change control",
        "R434 Issue",
        "12 High P 4 × I 3",
        "R435 Dependency",
        "8 Medium P 2 × I 4",
        "Other Open Items (not scored)",
        "R433 Assumption",
    )
    assert "R184" not in report.text and "R436" not in report.text  # superseded, closed
