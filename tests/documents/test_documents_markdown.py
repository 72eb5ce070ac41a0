"""Issue 21 item 5: what people write in Markdown (an action's update, a CR's key detail and
status notes, a RAID item's mitigation) is printed formatted in every PDF: its words are
there, its markers for bold, headings and lists are not. Read back with pypdf."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from actions.documents import OPEN_ACTIONS
from actions.models import ActionUpdate
from changerequests.documents import CR_STATUS
from documents.models import DocumentStatus
from documents.services import request_document
from documents.tasks import render_document
from raid.documents import RAID
from tests.factories import (
    ChangeRequestFactory,
    RaidItemFactory,
    make_action,
    make_group,
    make_meeting,
)

pytestmark = pytest.mark.django_db

WRITTEN = "### Where it stands\n\nThe **supplier** replied:\n\n- first *point*\n- second point"
# A marker of bold or italics, a heading's hashes, or a list's dash or star at a line start.
RAW_MARKDOWN = re.compile(r"\*\*|(^|\n)\s*#{1,6}\s|(^|\n)\s*[-*]\s+\w|(?<!\w)\*\w")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(kind, **target):
    document = request_document(kind=kind, **target)
    assert render_document(document.pk) == DocumentStatus.READY
    document.refresh_from_db()
    with document.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_markdown_written_by_people_is_printed_without_its_markers():
    group = make_group("TG")
    meeting = make_meeting(group, number=4, date=datetime.date(2024, 3, 13))
    action = make_action(meeting)
    ActionUpdate.objects.create(action=action, date=datetime.date(2024, 3, 20), text=WRITTEN)
    ChangeRequestFactory(
        group=group,
        date_raised=datetime.date(2024, 3, 1),
        key_detail=WRITTEN,
        latest_action=WRITTEN,
        next_action="**Implement** in R2",
    )
    RaidItemFactory(group=group, mitigation=WRITTEN)
    texts = {
        OPEN_ACTIONS: pdf_text(OPEN_ACTIONS, group=group),
        CR_STATUS: pdf_text(
            CR_STATUS,
            group=group,
            parameters={"start": "2024-03-01", "end": "2024-06-04", "classification": "public"},
        ),
        RAID: pdf_text(RAID, group=group),
    }
    for kind, text in texts.items():
        words = " ".join(text.split())
        assert "Where it stands" in words and "The supplier replied:" in words, kind
        assert "first point" in words and "second point" in words, kind
        assert not RAW_MARKDOWN.search(text), (kind, RAW_MARKDOWN.search(text))
    assert "Implement in R2" in " ".join(texts[CR_STATUS].split())
