"""Search across everything (meetings/search.py, the box in the header): a reference goes
straight to its record, other words give ranked, marked results by kind, only of what the
user may read."""

import datetime
import re

import pytest
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings import search as search_module
from meetings.models import AgendaItem
from tests.factories import (
    ChangeRequestFactory,
    DecisionFactory,
    RaidItemFactory,
    make_action,
    make_group,
    make_meeting,
    make_person,
    make_user,
)

URL = reverse("meetings:search")


def held(group, number):
    return make_meeting(group, number, date=timezone.localdate() - datetime.timedelta(days=7))


def results(response):
    """The page below its search form: the results alone."""
    return response.content.decode().split('id="search-page-q"', 1)[1].split("</form>", 1)[1]


def shows(page, reference):
    return re.search(rf"(?<![\w-]){re.escape(reference)}(?![\w-])", page) is not None


def get(client, user, q):
    client.force_login(user)
    return client.get(URL, {"q": q})


@pytest.fixture
def records(dag):
    """One record of each kind in the DAG and in the TMAG, all naming a zebra crossing."""
    tmag = make_group("TMAG")
    made = {}
    for group, number in ((dag, 29), (tmag, 5)):
        meeting = held(group, number)
        code = group.code
        made[code] = {
            "action": make_action(meeting, text=f"{code} to review the zebra crossings issued"),
            "decision": DecisionFactory(group=group, wording=f"{code} agreed the zebra design."),
            "cr": ChangeRequestFactory(group=group, title=f"{code} zebra crossing change"),
            "raid": RaidItemFactory(group=group, title=f"{code} zebra risk"),
            "item": AgendaItem.objects.create(
                meeting=meeting, number="3", title=f"{code} design", minutes="A zebra was seen."
            ),
        }
    return made


def test_results_by_kind_only_of_groups_one_reads(client, member, records):
    page = results(get(client, member, "zebra"))
    for heading in ("Actions", "Decisions", "Change requests", "RAID items", "Meetings"):
        assert f">{heading}</h2>" in page
    dag, tmag = records["DAG"], records["TMAG"]
    for record in ("action", "decision", "cr", "raid"):
        assert shows(page, dag[record].reference)
        assert not shows(page, tmag[record].reference)
    assert "TMAG" not in page  # not a title, not a snippet, not a group code


def test_an_outsider_sees_nothing_of_the_dag(client, outsider, records):
    page = results(get(client, outsider, "zebra"))
    assert "DAG" not in page.replace("TMAG", "")
    assert shows(page, records["TMAG"]["action"].reference)


def test_matching_words_are_marked_and_stemmed(client, member, records):
    page = get(client, member, "crossing issue").content.decode()
    # English stemming: "issue" finds "issued", "crossing" finds "crossings".
    assert "<mark>crossings</mark>" in page
    assert "<mark>issued</mark>" in page


def test_record_text_is_escaped_around_the_marks(client, dag, member):
    make_action(held(dag, 29), text="<script>alert(1)</script> zebra")
    page = get(client, member, "zebra").content.decode()
    assert "<script>alert" not in page
    # PostgreSQL's headline drops the tags; the quick start's shows them escaped.
    assert "alert(1)" in page and "<mark>zebra</mark>" in page


def test_record_text_is_escaped_in_the_quick_start(client, dag, member, monkeypatch):
    monkeypatch.setattr(search_module, "full_text", lambda: False)
    make_action(held(dag, 29), text="<script>alert(1)</script> zebra")
    page = get(client, member, "zebra").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>zebra</mark>" in page


def test_minutes_text_and_people_are_found(client, member, records):
    make_person("Zebedee Quartermain")
    page = get(client, member, "zebra").content.decode()
    assert "DAG029 item 3" in page
    assert "A <mark>zebra</mark> was seen." in page
    page = get(client, member, "quartermain").content.decode()
    assert ">People</h2>" in page and "Zebedee <mark>Quartermain</mark>" in page


def test_the_text_of_a_paper_presented_is_found(client, dag, member):
    """A slide-pack meeting with no minutes is still found by what its slides said."""
    AgendaItem.objects.create(
        meeting=held(dag, 4),
        number="2",
        title="Design update",
        paper_text="Slide 3: the settlement timetable moves to the new baseline.",
    )
    page = results(get(client, member, "timetable"))
    assert "DAG004 item 2" in page
    assert "the settlement <mark>timetable</mark> moves" in page


@pytest.mark.parametrize("record", ["action", "decision", "cr", "raid"])
def test_a_reference_typed_exactly_goes_to_its_record(client, member, records, record):
    target = records["DAG"][record]
    for typed in (target.reference, target.reference.lower(), f"  {target.reference}  "):
        response = get(client, member, typed)
        assert response.status_code == 302
        assert response["Location"] == target.get_absolute_url()


def test_a_reference_of_a_group_one_cannot_read_is_not_disclosed(client, member, records):
    reference = records["TMAG"]["action"].reference
    response = get(client, member, reference)
    assert response.status_code == 200
    assert reference not in results(response).replace(f"“{reference}”", "")
    assert "<mark>" not in results(response)


def test_empty_odd_and_long_input_never_fails(client, member, records):
    for typed in ("", "   ", '"unclosed', "-", "a" * 5000, "!!! ''' &&&"):
        assert get(client, member, typed).status_code == 200
    # A NUL in an address is refused before any view reads it (core.nul), never a 500.
    assert get(client, member, "\x00zebra").status_code == 400


def test_search_needs_a_login(client):
    assert client.get(URL, {"q": "zebra"}).status_code == 302


def test_the_quick_start_matches_every_word_anywhere(client, member, records, monkeypatch):
    monkeypatch.setattr(search_module, "full_text", lambda: False)
    page = get(client, member, "ZEBRA crossing").content.decode()
    assert records["DAG"]["action"].reference in page
    assert records["TMAG"]["action"].reference not in page
    assert "<mark>zebra</mark> <mark>crossing</mark>s" in page


class SearchQueryCountTests(TestCase):
    """Session and user, one look-up of the word as a reference of every kind, the user's
    roles, one query per kind and the header's person, however many match."""

    QUERIES = 2 + 1 + 1 + len(search_module.KINDS) + 1

    def setUp(self):
        self.group = make_group("DAG")
        self.user = make_user(group=self.group, role=Role.MEMBER)
        self.number = 0

    def add(self, count):
        for _ in range(count):
            self.number += 1
            meeting = held(self.group, self.number)
            make_action(meeting, owners=[make_person(f"Zebra {self.number}")], text="zebra")
            DecisionFactory(group=self.group, wording="zebra")
            ChangeRequestFactory(group=self.group, title="zebra")
            RaidItemFactory(group=self.group, title="zebra")
            AgendaItem.objects.create(meeting=meeting, number="1", title="zebra")

    def assert_queries(self, rows):
        self.client.force_login(self.user)
        with self.assertNumQueries(self.QUERIES):
            response = self.client.get(URL, {"q": "zebra"})
        assert response.content.decode().count("<li>\n") >= rows

    def test_fixed_query_count(self):
        self.add(2)
        self.assert_queries(2)
        self.add(15)
        self.assert_queries(search_module.LIMIT)


@pytest.mark.parametrize("kind_key", list(search_module.SEARCH_FIELDS))
def test_the_search_of_each_kind_can_use_its_gin_index(db, kind_key):
    """Each kind's search can use its GIN index: the stored vector's (the NNNN_perf_search_vector
    migrations), or for people the expression index of 0009_search_indexes, whose vector is
    the one the search computes (read as an administrator, whose search no group narrows,
    so only that index can serve it)."""
    kind = next(kind for kind in search_module.KINDS if kind.key == kind_key)
    queryset = search_module.candidates(kind, make_user(superuser=True), "zebra")
    with connection.cursor() as cursor:
        # Neither a table scan nor a walk along another index in the order wanted (which the
        # planner may prefer once other tests have left their statistics): a bitmap scan,
        # which only the GIN index can give the text condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    index = {
        "decisions": "decisions_decision_search_vector_gin",
        "changerequests": "changerequests_changerequest_search_vector_gin",
        "raid": "raid_raiditem_search_vector_gin",
        "meetings": "meetings_agendaitem_search_vector_gin",
        "people": "person_search",
    }[kind_key]
    assert index in plan


def test_stored_vectors_follow_every_save(db):
    """The trigger writes the vector on insert and on a change to a searched field, so a
    record is found by its words as saved, not as first written."""
    dag = make_group("DAG")
    item = AgendaItem.objects.create(
        meeting=make_meeting(dag), number="1", order=1, title="Opening", minutes="Welcome."
    )
    admin = make_user(superuser=True)
    kind = next(kind for kind in search_module.KINDS if kind.key == "meetings")
    assert not list(search_module.candidates(kind, admin, "agree"))
    item.minutes = "The reconciliation plan was agreed."
    item.save()
    assert [pk for pk, _rank in search_module.candidates(kind, admin, "agree")] == [item.pk]
