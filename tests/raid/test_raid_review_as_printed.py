"""The RAID review as the papers print it, entered on the ordinary pages: one text that
reviews several items ("R184 / R185"), its discussion and concluding comments apart, and
the actions raised from it, linked both ways (the review names the action, the action's
page names the review) and printed in the minutes page and PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.versions import record_version
from meetings.minutes import build_minutes
from meetings.minutes_data import MeetingMinutes
from meetings.models import AgendaItem
from raid.models import RaidReview
from raid.services import raid_item_create
from tests.factories import make_action, make_group, make_meeting, make_person, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(dag):
    return make_meeting(dag, number=29, date=timezone.localdate() - datetime.timedelta(days=7))


@pytest.fixture
def risks(dag):
    owner = make_person("Paul Pettitt")
    return [
        raid_item_create(
            group=dag, owner=owner, reference=ref, title=title, probability=3, impact=4
        )
        for ref, title in (("R184", "Design baseline risk"), ("R185", "Design change risk"))
    ]


@pytest.fixture
def raised(meeting):
    return make_action(meeting, reference="DAG29-07", text="Programme to provide the RAID form")


def url(meeting):
    return reverse("meetings:raid_review_meeting", args=[meeting.pk])


def review_post(meeting, item, **fields):
    review = RaidReview.objects.filter(raid_item=item, meeting=meeting).first()
    data = {
        "discussion": "",
        "conclusion": "",
        "also_covers": "",
        "actions": "",
        "version": record_version(review) if review else 0,
    } | fields
    return {"agenda_item": ""} | {f"item-{item.pk}-{k}": v for k, v in data.items()}


def test_one_text_reviews_two_items_and_names_the_action_raised(
    client, dag, meeting, risks, raised, secretariat
):
    r184, r185 = risks
    client.force_login(secretariat)

    response = client.post(
        url(meeting),
        review_post(
            meeting,
            r184,
            discussion="SC advised of a new potential risk",
            conclusion="To be raised through the Programme channels",
            also_covers="r185",
            actions="DAG29-07",
        ),
    )

    assert response.status_code == 302
    review = RaidReview.objects.get(meeting=meeting)
    assert (review.raid_item, review.discussion, review.conclusion) == (
        r184,
        "SC advised of a new potential risk",
        "To be raised through the Programme channels",
    )
    assert list(review.also_covers.all()) == [r185]
    assert list(review.actions.all()) == [raised]
    # Both ways: the action's page names the review it came from ...
    action_page = client.get(raised.get_absolute_url()).content.decode()
    assert "Raised from the RAID review of" in action_page
    assert r184.get_absolute_url() in action_page and url(meeting) in action_page
    # ... and the review, on its page and on each item's page, names the action.
    review_page = client.get(url(meeting)).content.decode()
    assert 'value="DAG29-07"' in review_page and 'value="R185"' in review_page
    assert "Reviewed in the text of" in review_page
    for item in risks:
        item_page = client.get(item.get_absolute_url()).content.decode()
        assert "SC advised of a new potential risk" in item_page
        assert raised.get_absolute_url() in item_page
    assert "With <a" in client.get(r185.get_absolute_url()).content.decode()


def test_the_minutes_page_and_pdf_print_the_covered_items_and_the_action(
    client, dag, meeting, risks, raised, secretariat
):
    r184, r185 = risks
    review = RaidReview.objects.create(
        raid_item=r184, meeting=meeting, discussion="Discussed together", conclusion="Keep open"
    )
    review.also_covers.add(r185)
    review.actions.add(raised)
    client.force_login(secretariat)

    minutes = build_minutes(meeting)

    (row,) = minutes.raid_items
    assert (row.reference, row.also_covers, row.actions) == ("R184", ["R185"], ["DAG29-07"])
    assert (row.discussion, row.conclusion) == ("Discussed together", "Keep open")
    for text in (page_text(client, meeting), pdf_text(meeting)):
        part = text[text.lower().index("raid items discussed") :]
        assert "R184 R185" in part
        assert "Discussed together" in part and "Keep open Actions raised: DAG29-07" in part


def test_minutes_issued_before_reviews_named_their_links_read_back(meeting, risks):
    """An issue stored before the review's links were kept reads back with none."""
    RaidReview.objects.create(raid_item=risks[0], meeting=meeting, discussion="Said")
    stored = build_minutes(meeting).as_dict()
    for row in stored["raid_items"]:
        del row["also_covers"], row["actions"]

    (row,) = MeetingMinutes.from_dict(stored).raid_items

    assert (row.reference, row.discussion, row.also_covers, row.actions) == ("R184", "Said", [], [])


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"also_covers": "R999"}, "also_covers", "There is no RAID item of DAG R999."),
        ({"actions": "DAG29-99"}, "actions", "There is no DAG action DAG29-99."),
        ({"also_covers": "R184"}, "also_covers", "R184 is the item this review is for."),
        ({"discussion": "", "actions": "DAG29-07"}, "actions", "Record the discussion"),
    ],
)
def test_bad_links_are_refused_at_the_field_and_nothing_is_saved(
    client, dag, meeting, risks, raised, secretariat, fields, field, message
):
    r184 = risks[0]
    client.force_login(secretariat)

    data = review_post(meeting, r184, **{"discussion": "Said"} | fields)
    response = client.post(url(meeting), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'id="id_item-{r184.pk}-{field}_error"' in response.content.decode()
    assert not RaidReview.objects.exists()


def test_an_action_of_another_group_cannot_be_named(client, dag, meeting, risks, secretariat):
    other = make_action(make_meeting(make_group("TMAG"), number=3), reference="TMAG3-01")
    client.force_login(secretariat)

    response = client.post(
        url(meeting), review_post(meeting, risks[0], discussion="Said", actions=other.reference)
    )

    assert "There is no DAG action TMAG3-01." in response.content.decode()
    assert not RaidReview.objects.exists()


def test_an_action_raised_on_the_minutes_page_from_a_review_is_linked(
    client, dag, meeting, risks, secretariat
):
    item = AgendaItem.objects.create(meeting=meeting, number="11", title="Top RAID", order=1)
    review = RaidReview.objects.create(raid_item=risks[0], meeting=meeting, discussion="Said")
    client.force_login(secretariat)
    inline = reverse("meetings:inline_record", args=[meeting.pk, item.pk, "action"])
    prefix = f"action{item.pk}"

    assert "Raised from the RAID review of" in client.get(inline).content.decode()
    client.post(
        inline,
        {
            f"{prefix}-text": "Programme to provide link to RAID form to DAG members",
            f"{prefix}-owner_party": "Programme",
            f"{prefix}-due_kind": "asap",
            f"{prefix}-raid_review": review.pk,
        },
    )

    (action,) = review.actions.all()
    assert action.text == "Programme to provide link to RAID form to DAG members"
    assert list(action.raid_reviews.all()) == [review]


def test_members_cannot_link_a_review(client, dag, meeting, risks, raised):
    client.force_login(make_user("m", group=dag, role=Role.MEMBER))

    response = client.post(
        url(meeting), review_post(meeting, risks[0], discussion="Said", actions="DAG29-07")
    )

    assert response.status_code == 403
    assert not RaidReview.objects.exists()
