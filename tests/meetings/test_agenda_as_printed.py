"""The agenda as a paper prints it, entered on the agenda page: the lead as a person or as
free text ("Chair and Secretariat", "Programme"), items of 0 minutes or no time, and the
paper's item types. The minutes page and PDF print each item's agenda line."""

import datetime

import pytest
from django.urls import reverse

from core.models import Role
from meetings.models import AgendaItem, AgendaItemType, MeetingStatus
from tests.factories import make_group, make_meeting, make_person, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def dag4(dag):
    return make_meeting(
        dag,
        number=4,
        date=datetime.date(2022, 2, 9),
        start_time=datetime.time(10),
        status=MeetingStatus.HELD,
    )


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("pmo", group=dag, role=Role.SECRETARIAT))
    return client


def add(client, meeting, **fields):
    data = {"number": "", "title": "", "lead": "", "lead_text": "", "item_type": "information"}
    return client.post(reverse("meetings:agenda", args=[meeting.pk]), {**data, **fields})


def test_leads_as_people_or_free_text_times_of_zero_or_none_and_types(pmo, dag4):
    justin = make_person("Justin Andrews")

    responses = [
        add(
            pmo,
            dag4,
            number="1",
            title="Welcome",
            lead_text="Chair and Secretariat",
            item_type=AgendaItemType.INFORMATION,
            duration_minutes="0",
        ),
        add(
            pmo,
            dag4,
            number="2",
            title="Minutes and Actions Review",
            lead=justin.pk,
            item_type=AgendaItemType.DECISION,
            duration_minutes="5",
        ),
        add(
            pmo,
            dag4,
            number="6A",
            title="Technical Assumptions",
            lead_text="  Programme ",
            item_type=AgendaItemType.DISCUSSION,
        ),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302]
    welcome, review, assumptions = AgendaItem.objects.filter(meeting=dag4).order_by("order")
    assert (welcome.lead_text, welcome.lead, welcome.duration_minutes) == (
        "Chair and Secretariat",
        None,
        0,
    )
    assert (review.lead, review.duration_minutes) == (justin, 5)
    assert (assumptions.lead_text, assumptions.duration_minutes) == ("Programme", None)
    agenda = pmo.get(reverse("meetings:agenda", args=[dag4.pk])).content.decode()
    assert "<td>Chair and Secretariat</td>" in agenda
    # An item of 0 minutes keeps the clock: the next item starts at 10:00 too.
    overview = pmo.get(dag4.get_absolute_url()).content.decode()
    assert "Lead: Chair and Secretariat" in overview
    assert overview.count("· 10:00") == 2
    page = page_text(pmo, dag4)
    assert "1. Welcome Chair and Secretariat · Information" in page
    assert "2. Minutes and Actions Review Justin Andrews · 5 mins · Decision" in page
    assert "6A. Technical Assumptions Programme · Discussion" in page
    pdf = pdf_text(dag4)
    assert "Chair and Secretariat · Information" in pdf
    assert "Justin Andrews · 5 mins · Decision" in pdf
    assert "Programme · Discussion" in pdf


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"duration_minutes": "-5"}, "duration_minutes", "greater than or equal to 0"),
        ({"duration_minutes": "601"}, "duration_minutes", "less than or equal to 600"),
        ({"item_type": "vote"}, "item_type", "Select a valid choice."),
        ({"lead_text": "x" * 201}, "lead_text", "at most 200 characters"),
    ],
)
def test_bad_agenda_input_is_refused_at_its_field_with_nothing_saved(
    pmo, dag4, fields, field, message
):
    response = add(pmo, dag4, number="3", title="PSG Update", **fields)

    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert message in content
    assert 'value="PSG Update"' in content
    assert not AgendaItem.objects.exists()


def test_a_member_may_not_add_to_the_agenda(client, dag, dag4):
    client.force_login(make_user("member", group=dag, role=Role.MEMBER))

    assert add(client, dag4, number="1", title="Welcome").status_code == 403
    assert not AgendaItem.objects.exists()


def test_a_minutes_paper_prints_no_agenda_line(pmo, dag4):
    """Minutes papers (DAG029) name no lead or time under an item: a lead picked from the
    people alone, with no time given, prints none."""
    add(pmo, dag4, number="7", title="Report", lead=make_person("Claire Silk").pk)

    assert "7. Report No minutes recorded." in page_text(pmo, dag4)
    assert "Claire Silk" not in pdf_text(dag4)


def test_an_agenda_that_gives_no_type_prints_none(pmo, dag4):
    """Slide packs (DAG004) give each item a lead and a time but no type: "Not given"."""
    agenda = pmo.get(reverse("meetings:agenda", args=[dag4.pk])).content.decode()
    assert '<option value="">Not given</option>' in agenda

    response = add(
        pmo,
        dag4,
        number="3",
        title="PSG Update",
        lead_text="Lewis Hall",
        item_type="",
        duration_minutes="5",
    )

    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=dag4).item_type == ""
    assert "Type not given" in pmo.get(dag4.get_absolute_url()).content.decode()
    assert "3. PSG Update Lewis Hall · 5 mins No minutes recorded." in page_text(pmo, dag4)
    pdf = pdf_text(dag4)
    assert "Lewis Hall · 5 mins" in pdf
    assert "Information" not in pdf


def test_an_items_objective_heads_it_as_the_papers_do(pmo, dag4):
    """Slide packs head an item "DECISION: Approval by correspondence of ..." (June 2024)."""
    add(
        pmo,
        dag4,
        number="1",
        title="Headline Report and Actions",
        lead_text="Programme",
        item_type=AgendaItemType.DECISION,
        objective="Approval by correspondence of Headline Reports and update on actions",
    )

    line = (
        "Programme · Decision: Approval by correspondence of Headline Reports and update on actions"
    )
    assert f"1. Headline Report and Actions {line}" in page_text(pmo, dag4)
    assert line in pdf_text(dag4)
