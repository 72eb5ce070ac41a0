"""A group's RAID review at a meeting (/raid/review/<meeting>/): its open items with their
scores, and the discussion and concluding comments the secretariat records for each."""

import pytest

from core.models import Role
from core.versions import record_version
from meetings.models import AgendaItem, MeetingStatus
from raid.models import RaidReview, RaidStatus
from raid.services import raid_item_create
from tests.factories import make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(dag):
    return make_meeting(dag, number=37)


def url(meeting):
    return f"/raid/review/{meeting.pk}/"


def make_item(group, **fields):
    fields.setdefault("title", "A risk")
    return raid_item_create(group=group, owner=make_person("Paul Pettitt"), **fields)


def review_data(meeting, entries, agenda_item=""):
    """The posted review form, each item at the version of its review (0: none yet)."""
    data = {"agenda_item": agenda_item}
    for item, discussion, conclusion in entries:
        review = RaidReview.objects.filter(raid_item=item, meeting=meeting).first()
        data[f"item-{item.pk}-discussion"] = discussion
        data[f"item-{item.pk}-conclusion"] = conclusion
        data[f"item-{item.pk}-version"] = record_version(review) if review else 0
    return data


def test_lists_the_groups_open_items_highest_score_first(client, dag, meeting, secretariat):
    low = make_item(dag, probability=1, impact=2, title="Low risk")
    high = make_item(dag, probability=4, impact=5, title="High risk")
    closed = make_item(dag, status=RaidStatus.CLOSED, title="Closed risk")
    theirs = make_item(make_group("TMAG"), title="Their risk")
    client.force_login(secretariat)

    content = client.get(url(meeting)).content.decode()

    assert content.index(f">{high.reference}<") < content.index(f">{low.reference}<")
    assert "score 20 (Critical)" in content and "score 2 (Low)" in content
    # References as link text: a bare "R3" could also occur in the page's CSRF token.
    assert f">{closed.reference}<" not in content and f">{theirs.reference}<" not in content


def test_secretariat_records_the_review_in_one_form(client, dag, meeting, secretariat):
    r432 = make_item(dag, probability=3, impact=4)
    r433 = make_item(dag)
    r434 = make_item(dag)
    item_4 = AgendaItem.objects.create(meeting=meeting, number="4", order=4, title="Design")
    client.force_login(secretariat)

    response = client.post(
        url(meeting),
        review_data(
            meeting,
            [
                (r432, "Members asked for rewording", "Keep open"),
                (r433, "", ""),
                (r434, "", "Close"),
            ],
            agenda_item=item_4.pk,
        ),
    )

    assert response.status_code == 302
    reviews = {review.raid_item: review for review in meeting.raid_reviews.all()}
    assert set(reviews) == {r432, r434}
    assert (reviews[r432].discussion, reviews[r432].conclusion) == (
        "Members asked for rewording",
        "Keep open",
    )
    assert reviews[r432].agenda_item == item_4
    # The review shows on the item's page and again on the review page.
    assert "Members asked for rewording" in client.get(r432.get_absolute_url()).content.decode()
    assert "Members asked for rewording" in client.get(url(meeting)).content.decode()


def test_clearing_an_items_boxes_removes_its_review(client, dag, meeting, secretariat):
    item = make_item(dag)
    RaidReview.objects.create(raid_item=item, meeting=meeting, discussion="Said something")
    client.force_login(secretariat)

    client.post(url(meeting), review_data(meeting, [(item, "", "")]))

    assert not RaidReview.objects.exists()


def test_an_item_reviewed_then_closed_stays_on_its_review(client, dag, meeting, secretariat):
    item = make_item(dag, status=RaidStatus.CLOSED)
    RaidReview.objects.create(raid_item=item, meeting=meeting, conclusion="Agreed to close")
    client.force_login(secretariat)

    content = client.get(url(meeting)).content.decode()

    assert item.reference in content and "Agreed to close" in content


def test_an_agenda_item_of_another_meeting_is_refused(client, dag, meeting, secretariat):
    item = make_item(dag)
    elsewhere = AgendaItem.objects.create(
        meeting=make_meeting(dag, number=36), number="4", order=4, title="Design"
    )
    client.force_login(secretariat)

    response = client.post(
        url(meeting), review_data(meeting, [(item, "Talked", "")], agenda_item=elsewhere.pk)
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not RaidReview.objects.exists()


def test_members_read_the_review_but_may_not_record_it(client, dag, meeting):
    item = make_item(dag, probability=2, impact=2)
    RaidReview.objects.create(raid_item=item, meeting=meeting, discussion="Discussed")
    member = make_user(group=dag, role=Role.MEMBER)
    client.force_login(member)

    page = client.get(url(meeting))
    refused = client.post(url(meeting), review_data(meeting, [(item, "Changed", "")]))

    assert page.status_code == 200 and "Discussed" in page.content.decode()
    assert "<textarea" not in page.content.decode()
    assert refused.status_code == 403
    assert RaidReview.objects.get().discussion == "Discussed"


def test_another_groups_meeting_is_404(client, dag, meeting):
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert client.get(url(meeting)).status_code == 404
    assert client.post(url(meeting), {}).status_code == 404


# Queries per page, the same however many items and meetings: session, user, roles, the
# meeting, its items, its reviews with the other items each covers and the actions raised
# from it, the reviews' versions (their edit check) and (for the secretariat) the agenda
# item choices.
REVIEW_QUERIES = 11
# The list: session, user, roles, the menu's person; the count, the page's ids, then the
# page's meetings with their reviews counted (meetings.views.page_by_ids).
REVIEW_LIST_QUERIES = 7


def test_review_pages_run_a_fixed_number_of_queries(
    client, dag, meeting, secretariat, django_assert_num_queries
):
    """Items come with their owners, and the meeting's reviews in one query, not one per
    item (no N+1 on the review rows); the meeting list counts reviews in the same query as
    the page's meetings (no N+1 on the "Items reviewed" column)."""
    client.force_login(secretariat)
    numbers = iter(range(100, 200))
    for size in (2, 20):
        while meeting.raid_reviews.count() < size:
            item = make_item(dag, probability=2, impact=3)
            RaidReview.objects.create(raid_item=item, meeting=meeting, discussion="Said")
            make_meeting(dag, number=next(numbers))
        with django_assert_num_queries(REVIEW_QUERIES):
            page = client.get(url(meeting))
        assert page.content.decode().count("<fieldset") == size
        with django_assert_num_queries(REVIEW_LIST_QUERIES):
            assert client.get("/raid/review/").status_code == 200


def test_the_review_links_to_the_groups_heat_map(client, dag, meeting, secretariat):
    make_item(dag, probability=4, impact=5)
    client.force_login(secretariat)

    review = client.get(url(meeting)).content.decode()
    heat_map = client.get("/raid/", {"group": "DAG"}).content.decode()

    assert 'href="/raid/?group=DAG"' in review
    assert 'aria-label="1 item with probability 4 and impact 5: score 20, Critical"' in heat_map


def test_the_review_shows_in_the_minutes(client, dag, meeting, secretariat):
    item = make_item(dag, probability=3, impact=4, title="Design baseline risk")
    client.force_login(secretariat)

    client.post(url(meeting), review_data(meeting, [(item, "Reworded at DAG", "Keep open")]))

    minutes = client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    section = minutes.split("<h3>RAID items discussed</h3>")[1]
    assert item.get_absolute_url() in section
    assert "Reworded at DAG" in section and "Keep open" in section


def test_issued_minutes_keep_their_review(client, dag, meeting, secretariat):
    item = make_item(dag)
    meeting.status = MeetingStatus.MINUTES_ISSUED
    meeting.save()
    client.force_login(secretariat)

    response = client.post(url(meeting), review_data(meeting, [(item, "Late note", "")]))

    assert response.status_code == 302
    assert not RaidReview.objects.exists()
    page = client.get(response.url).content.decode()
    assert "have been issued, so they are read-only" in page
    assert f'name="item-{item.pk}-discussion"' not in page  # no form to fill in
