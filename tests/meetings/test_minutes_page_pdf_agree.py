"""The minutes page and the minutes PDF agree row for row: both render the one builder's
data (meetings.minutes.build_minutes). For the DAG029 demo meeting and for a meeting
whose review closed actions days after it, the PDF's text (read back with pypdf) has the
same action rows, statuses and dates as the page, in the same order, the same review of
previous actions with its dated updates, and the same date of the next meeting.

Rows are compared by what identifies and dates them (references, dd/mm/yyyy dates,
status words, "ASAP"), which a PDF's text keeps whatever the line breaks of its cells.
"""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from actions.models import ActionStatus
from core.markup import USUAL_REFERENCE_RE
from core.models import Role
from documents.models import Document
from documents.rendering import build_source, render_html, render_pdf
from meetings.documents import MINUTES
from meetings.minutes import CLOSED_HERE, PREVIOUS_MEETINGS, build_minutes
from meetings.models import AgendaItem, Meeting
from meetings.services import actions_review_record
from tests.demo_data import load_demo
from tests.factories import make_action, make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db

TOKEN = re.compile(
    rf"{USUAL_REFERENCE_RE.pattern}|\b\d{{2}}/\d{{2}}/\d{{4}}\b"
    r"|\b(?:RECOMMEND CLOSED|CLOSED|ONGOING|OPEN|ASAP)\b"
)
# The PDF's running header and footer, on every page.
RUNNING = re.compile(r"Version \d+ · Issue date: \S+|Page \d+ of \d+")


class _Text(HTMLParser):
    """The text of the page's minutes (the <article>), without the page around it."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def _flat(text: str) -> str:
    # A reference broken after its hyphen at the end of a PDF line reads whole again.
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def page_text(client, meeting) -> str:
    response = client.get(reverse("meetings:minutes_document", args=[meeting.pk]))
    assert response.status_code == 200
    parser = _Text()
    parser.feed(response.content.decode())
    return _flat(" ".join(parser.parts))


def pdf_text(meeting) -> str:
    source = build_source(Document(kind=MINUTES, meeting=meeting))
    pdf = render_pdf(render_html(source, version=1, issued=meeting.date))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return _flat(RUNNING.sub(" ", " ".join(pages)))


def section(text: str, start: str, end: str) -> str:
    """The text from the heading `start` (either case: the PDF's headings are in title
    case) to the heading `end`."""
    begin = text.lower().index(start.lower())
    return text[begin : text.index(end, begin)]


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def assert_agree(page: str, pdf: str, minutes) -> None:
    """Same action rows, review and next meeting date, in the same order, on both."""
    first_item = f"{minutes.items[0].number}. {minutes.items[0].title}"
    actions = [section(text, "New / Outstanding Actions", "Decisions") for text in (page, pdf)]
    assert tokens(actions[0]) == tokens(actions[1])
    # Every row is there, in the builder's order (areas and texts name references too).
    rows = iter(tokens(actions[0]))
    missing = [
        row.reference
        for group in minutes.action_groups
        for row in group.rows
        if row.reference not in rows
    ]
    assert not missing
    reviewed = ["updates on previous actions" in text.lower() for text in (page, pdf)]
    assert reviewed == [bool(minutes.review)] * 2
    if minutes.review:
        review = [section(text, "Updates on previous actions", first_item) for text in (page, pdf)]
        assert tokens(review[0]) == tokens(review[1])
    assert f"Date of next meeting {minutes.next_meeting}" in page
    assert f"Date of next meeting: {minutes.next_meeting}" in pdf
    # And everything between: decisions, RAID items, the numbered minutes and their
    # ACTION and DECISION lines name the same references and dates in the same order.
    whole = [
        section(text, "New / Outstanding Actions", "Date of next meeting") for text in (page, pdf)
    ]
    assert tokens(whole[0]) == tokens(whole[1])


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def test_dag029_page_and_pdf_agree(demo, client):
    dag029 = Meeting.objects.get(group__code="DAG", number=29)
    client.force_login(make_user(group=dag029.group, role=Role.MEMBER))
    minutes = build_minutes(dag029)
    page, pdf = page_text(client, dag029), pdf_text(dag029)

    assert_agree(page, pdf, minutes)
    assert minutes.next_meeting == "08 November 2023 10am"
    for text in (page, pdf):
        previous = section(text, PREVIOUS_MEETINGS, CLOSED_HERE)
        closed = section(text, CLOSED_HERE, "Decisions")
        assert "DAG28-04" in previous and "DAG28-02" not in previous
        assert re.search(r"DAG28-02\b.*?\bCLOSED\b", closed)


def test_actions_closed_at_a_review_days_later_agree(client):
    """The review is recorded two days after the meeting: the closed action is listed
    closed (not outstanding), and each update with its date and status, on both."""
    group = make_group("AG", name="Agreement Group", programme_label="MHHS")
    earlier = make_meeting(group, number=7, date=datetime.date(2024, 1, 10))
    meeting = make_meeting(
        group,
        number=8,
        date=datetime.date(2024, 2, 14),
        next_meeting_date=datetime.date(2024, 3, 13),
        next_meeting_time=datetime.time(14, 30),
    )
    item = AgendaItem.objects.create(
        meeting=meeting, number="1", order=1, title="Review of actions", minutes="Reviewed."
    )
    closing, ongoing, recommended = (
        make_action(earlier, text=f"Programme to report on {topic}")
        for topic in ("the impact", "testing", "the plan")
    )
    make_action(meeting, agenda_item=item, area="Testing", text="Programme to circulate")
    secretariat = make_user(group=group, role=Role.SECRETARIAT)
    actions_review_record(
        meeting=meeting,
        user=secretariat,
        date=meeting.date + datetime.timedelta(days=2),
        rows=[
            (closing, ActionStatus.CLOSED, "Reported; action closed."),
            (ongoing, ActionStatus.ONGOING, "In hand until the tests end."),
            (recommended, ActionStatus.RECOMMEND_CLOSED, "Plan published."),
        ],
    )
    client.force_login(secretariat)
    minutes = build_minutes(meeting)
    page, pdf = page_text(client, meeting), pdf_text(meeting)

    assert_agree(page, pdf, minutes)
    for text in (page, pdf):
        previous = section(text, PREVIOUS_MEETINGS, CLOSED_HERE)
        closed = section(text, CLOSED_HERE, "Decisions")
        assert ongoing.reference in previous and closing.reference not in previous
        assert tokens(closed) == [closing.reference, closing.due_display(), "CLOSED"]
        review = section(text, "Updates on previous actions", "1. Review of actions")
        assert tokens(review) == [
            closing.reference,
            "16/02/2024",
            "CLOSED",
            ongoing.reference,
            "16/02/2024",
            "ONGOING",
            recommended.reference,
            "16/02/2024",
            "RECOMMEND CLOSED",
        ]
    assert "Date of next meeting 13 March 2024 2:30pm" in page
    assert "Date of next meeting: 13 March 2024 2:30pm" in pdf
