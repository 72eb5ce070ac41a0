"""Papers and slide packs: an agenda item holds the text of the paper or slides presented,
so a meeting known only from its slide pack (DAG004) is recorded without minutes. The
minutes page and PDF print it under the item, sanitised; the meeting list finds it."""

import datetime

import pytest
from django.urls import reverse

from core.models import Role
from core.versions import record_version
from meetings.models import AgendaItem, MeetingStatus
from tests.factories import make_group, make_meeting, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text

pytestmark = pytest.mark.django_db

SLIDES = """Mobilisation of Programme Parties

- Programme Parties continue to mobilise their teams to support design development
- The first tranche of programme participants have received log-on credentials to the
  Programme Portal"""


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def dag4(dag):
    return make_meeting(dag, number=4, date=datetime.date(2022, 2, 9), status=MeetingStatus.HELD)


@pytest.fixture
def item(dag4):
    return AgendaItem.objects.create(meeting=dag4, number="3", order=3, title="PSG Update")


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("pmo", group=dag, role=Role.SECRETARIAT))
    return client


def edit(client, item, **fields):
    data = {
        "number": item.number,
        "title": item.title,
        "item_type": item.item_type,
        "lead_text": "Lewis Hall",
        "duration_minutes": "5",
        "version": record_version(item),  # the edit form's hidden field
        **fields,
    }
    return client.post(reverse("meetings:agenda_item_edit", args=[item.meeting_id, item.pk]), data)


def test_the_slides_presented_are_recorded_and_printed_without_minutes(pmo, dag4, item):
    response = edit(pmo, item, paper_text=SLIDES.replace("\n", "\r\n"))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.paper_text == SLIDES
    assert item.minutes == ""
    page = page_text(pmo, dag4)
    assert "3. PSG Update Lewis Hall · 5 mins · Information Paper presented" in page
    assert "Programme Parties continue to mobilise their teams" in page
    assert "No minutes recorded." not in page
    pdf = pdf_text(dag4)
    assert "Paper presented" in pdf
    assert "Programme Parties continue to mobilise their teams" in pdf
    overview = pmo.get(dag4.get_absolute_url()).content.decode()
    assert "<li>Programme Parties continue to mobilise" in overview


def test_the_paper_text_is_sanitised(pmo, dag4, item):
    edit(pmo, item, paper_text="Slides <script>alert(1)</script> **bold**")

    content = pmo.get(reverse("meetings:minutes_document", args=[dag4.pk])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content
    assert "<strong>bold</strong>" in content


def test_the_meeting_list_finds_a_meeting_by_the_papers_it_presented(client, dag, dag4, item):
    item.paper_text = SLIDES
    item.save()
    make_meeting(dag, number=5, date=datetime.date(2022, 3, 9), title="Other business")
    elsewhere = make_meeting(make_group("PSG"), number=4, date=datetime.date(2022, 2, 10))
    AgendaItem.objects.create(meeting=elsewhere, number="1", title="Programme Portal")
    client.force_login(make_user("member", group=dag, role=Role.MEMBER))

    found = client.get(reverse("meetings:meeting_list"), {"q": "programme portal"})

    content = found.content.decode()
    assert dag4.get_absolute_url() in content
    assert "DAG005" not in content
    assert elsewhere.get_absolute_url() not in content  # another group's, though it matches
    assert 'value="programme portal"' in content
    assert "DAG005" in client.get(reverse("meetings:meeting_list")).content.decode()


def test_a_paper_text_too_long_is_refused_at_its_field(pmo, item):
    response = edit(pmo, item, paper_text="x" * 100_001)

    assert response.status_code == 200
    assert 'id="id_paper_text_error"' in response.content.decode()
    item.refresh_from_db()
    assert item.paper_text == ""
    assert item.lead_text == ""
