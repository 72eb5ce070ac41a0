"""User-written text in a rendered PDF comes out as the text typed: HTML and script in the
minutes, an action or a decision are printed as characters, never interpreted, and no
link in the document runs script. Read back with a real PDF text extractor (pypdf)."""

import datetime
import io

import pytest
from pypdf import PdfReader

from decisions.services import decision_create
from documents.models import DocumentStatus
from documents.services import request_document
from documents.tasks import render_document
from meetings.documents import MINUTES as MINUTES_KIND
from meetings.models import AgendaItem, Attendance
from tests.factories import make_action, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db

MINUTES = (
    "The Chair opened <script>alert(1)</script> the meeting, **in bold**, "
    '<img src="http://example.com/x.png" onerror=alert(2)> for <MPAN> values.\n\n'
    '[a link](javascript:alert(3)) and <a href="javascript:alert(4)">another</a>'
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_html_and_script_written_by_users_come_out_as_text():
    meeting = make_meeting(make_group("TG"), number=4, date=datetime.date(2024, 3, 13))
    item = AgendaItem.objects.create(meeting=meeting, number="1", title="Welcome", minutes=MINUTES)
    Attendance.objects.create(
        meeting=meeting,
        person=make_person("Ann <b>Bold</b>"),
        category="industry",
        role="<i>Supplier</i> Representative",
    )
    make_action(meeting, agenda_item=item, text="Programme to check <b>this</b> & that")
    decision_create(
        group=meeting.group,
        meeting=meeting,
        agenda_item=item,
        wording="Agreed <script>x()</script> the approach",
    )
    document = request_document(kind=MINUTES_KIND, meeting=meeting)
    assert render_document(document.pk) == DocumentStatus.READY
    document.refresh_from_db()
    with document.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    assert "The Chair opened <script>alert(1)</script> the meeting, in bold," in text
    assert '<img src="http://example.com/x.png" onerror=alert(2)> for <MPAN> values.' in text
    assert '<a href="javascript:alert(4)">another</a>' in text
    assert "Ann <b>Bold</b>" in text and "<i>Supplier</i> Representative" in text
    assert "Programme to check <b>this</b> & that" in text
    assert "Agreed <script>x()</script> the approach" in text
    uris = [
        str(annotation.get_object()["/A"].get("/URI", ""))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert uris and not [uri for uri in uris if not uri.startswith("http://127.0.0.1:8000/")]
