"""The action register (/actions/): filters, natural sort, pagination, "My actions", and a
fixed number of queries whatever the data."""

import datetime
import re

from django.test import TestCase
from django.utils import timezone
from django.utils.html import escape

from actions.models import Action, ActionStatus, ActionUpdate, DueKind, natural_sort_key
from actions.services import action_add_update
from changerequests.models import ChangeRequest
from core.models import Role
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

URL = "/actions/"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


ROW_REFERENCE = re.compile(r'<td class="nowrap"[^>]*><a href="/actions/[^"]+/">([^<]+)</a></td>')


def refs(response):
    """References in the register's table, in order."""
    return ROW_REFERENCE.findall(_text(response))


def _text(response):
    return response.content.decode()


def make_cr(reference, group=None):
    return ChangeRequest.objects.create(
        reference=reference, title=f"{reference} title", group=group, date_raised=TODAY
    )


class NaturalSortKeyTests(TestCase):
    def test_numbers_sort_by_value_and_extraordinary_meetings_after_their_meeting(self):
        references = ["DAG29-01", "DAG9-02", "DAG10.1-03", "DAG10-05", "DAG11-01", "DAG9-10"]
        ordered = sorted(references, key=natural_sort_key)
        assert ordered == ["DAG9-02", "DAG9-10", "DAG10-05", "DAG10.1-03", "DAG11-01", "DAG29-01"]

    def test_legacy_series_and_case(self):
        references = ["des-03-04", "DES-03-10", "DAG29-01", "DES-3-05", "TMAG14-01"]
        ordered = sorted(references, key=natural_sort_key)
        assert ordered == ["DAG29-01", "des-03-04", "DES-3-05", "DES-03-10", "TMAG14-01"]

    def test_key_is_saved_with_the_action(self):
        action = make_action(make_meeting(make_group("DAG")), reference="DAG9-02")
        assert Action.objects.get(pk=action.pk).sort_key == natural_sort_key("DAG9-02")
        action.reference = "DAG19-02"
        action.save(update_fields=["reference"])
        assert Action.objects.get(pk=action.pk).sort_key == natural_sort_key("DAG19-02")


class RegisterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.tmag = make_group("TMAG")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER, person_name="Lee Cox")
        cls.paul = make_person("Paul Pettitt")
        cls.m9 = make_meeting(cls.dag, number=9, date=TODAY - 300 * DAY)
        cls.m29 = make_meeting(cls.dag, number=29, date=TODAY - 30 * DAY)
        cls.late = make_action(
            cls.m29,
            reference="DAG29-01",
            text="Issue the PPIR on clock times",
            area="UTC vs Clock Times",
            owner_party="Programme",
            owners=[cls.paul, cls.member.person],
            due_date=TODAY - 2 * DAY,
        )
        cls.soon = make_action(
            cls.m9,
            reference="DAG9-02",
            text="Update the design baseline",
            owners=[cls.paul],
            due_date=TODAY + 3 * DAY,
        )
        cls.asap = make_action(
            cls.m29,
            reference="DAG29-10",
            text="Ofgem to confirm the timetable",
            owner_party="Ofgem",
            due_kind=DueKind.ASAP,
            due_date=None,
        )
        cls.later = make_action(
            cls.m29, reference="DAG29-02", text="Plan the migration", due_date=TODAY + 40 * DAY
        )
        cls.closed = make_action(cls.m9, reference="DAG9-01", text="Closed long ago")
        action_add_update(
            action=cls.closed, text="Done", date=cls.m29.date, status=ActionStatus.CLOSED
        )
        cls.hidden = make_action(make_meeting(cls.tmag, number=14), reference="TMAG14-01")
        cr = make_cr("CR043", cls.dag)
        cls.later.change_requests.set([cr])

    def setUp(self):
        self.client.force_login(self.member)

    def test_default_is_open_actions_of_my_groups_in_natural_order(self):
        response = self.client.get(URL)
        assert response.status_code == 200
        assert refs(response) == ["DAG9-02", "DAG29-01", "DAG29-02", "DAG29-10"]
        assert "Showing 1–4 of 4 actions" in _text(response)

    def test_overdue_row_stands_out(self):
        content = _text(self.client.get(URL))
        row = re.search(r'<tr class="is-overdue">.*?</tr>', content, re.S).group(0)
        assert "DAG29-01" in row and ">Overdue</span>" in row
        assert content.count('class="is-overdue"') == 1

    def test_status_filters(self):
        assert refs(self.client.get(URL, {"status": "all"}))[:2] == ["DAG9-01", "DAG9-02"]
        assert refs(self.client.get(URL, {"status": "closed"})) == ["DAG9-01"]
        action_add_update(
            action=self.later, text="Plan issued", date=TODAY, status="recommend_closed"
        )
        assert refs(self.client.get(URL, {"status": "recommend_closed"})) == ["DAG29-02"]
        # The group page links to ?status=overdue.
        assert refs(self.client.get(URL, {"status": "overdue"})) == ["DAG29-01"]

    def test_due_filters(self):
        assert refs(self.client.get(URL, {"due": "overdue"})) == ["DAG29-01"]
        assert refs(self.client.get(URL, {"due": "week"})) == ["DAG9-02"]
        assert refs(self.client.get(URL, {"due": "asap"})) == ["DAG29-10"]
        in_range = {"due_from": (TODAY - 5 * DAY).isoformat(), "due_to": f"{TODAY:%d/%m/%Y}"}
        assert refs(self.client.get(URL, in_range)) == ["DAG29-01"]
        open_ended = {"due_from": f"{TODAY:%d/%m/%Y}"}
        assert refs(self.client.get(URL, open_ended)) == ["DAG9-02", "DAG29-02"]

    def test_owner_filter_by_me_person_and_party(self):
        assert refs(self.client.get(URL, {"owner": "me"})) == ["DAG29-01"]
        assert refs(self.client.get(URL, {"owner": str(self.paul.pk)})) == ["DAG9-02", "DAG29-01"]
        assert refs(self.client.get(URL, {"owner": "pettitt"})) == ["DAG9-02", "DAG29-01"]
        assert refs(self.client.get(URL, {"owner": "Ofgem"})) == ["DAG29-10"]

    def test_group_meeting_area_and_change_request(self):
        assert refs(self.client.get(URL, {"group": "DAG", "meeting": "DAG009"})) == ["DAG9-02"]
        assert refs(self.client.get(URL, {"meeting": "dag29"})) == [
            "DAG29-01",
            "DAG29-02",
            "DAG29-10",
        ]
        assert refs(self.client.get(URL, {"area": "clock"})) == ["DAG29-01"]
        assert refs(self.client.get(URL, {"change_request": "cr043"})) == ["DAG29-02"]

    def test_text_search_over_reference_text_and_updates(self):
        assert refs(self.client.get(URL, {"q": "PPIR"})) == ["DAG29-01"]
        assert refs(self.client.get(URL, {"q": "issued ppir"})) == ["DAG29-01"]  # stemmed
        assert refs(self.client.get(URL, {"q": "DAG29-10"})) == ["DAG29-10"]
        assert refs(self.client.get(URL, {"q": "transition"})) == []
        update = action_add_update(
            action=self.soon, text="Awaiting the transition plan", date=TODAY
        )
        assert refs(self.client.get(URL, {"q": "transition"})) == ["DAG9-02"]
        ActionUpdate.objects.filter(pk=update.pk).update(text="Awaiting the baseline")
        assert refs(self.client.get(URL, {"q": "transition"})) == []
        self.soon.text = "Write the transition plan"
        self.soon.save()
        assert refs(self.client.get(URL, {"q": "transition"})) == ["DAG9-02"]

    def test_search_matches_whole_words_and_marks_them(self):
        self.soon.text = "Report the outcome of the review"
        self.soon.save()
        self.later.text = "Raise UTC vs clock time with the Fast Track group"
        self.later.save()
        response = self.client.get(URL, {"q": "utc"})
        # DAG29-01's area is "UTC vs Clock Times"; DAG9-02's "outcome" is no match.
        assert sorted(refs(response)) == ["DAG29-01", "DAG29-02"]
        assert "Raise <mark>UTC</mark> vs clock time" in _text(response)
        # The word-boundary match SQLite (the quick start) uses, run here on PostgreSQL.
        matched = Action.objects.search_by_pattern("UTC").values_list("reference", flat=True)
        assert sorted(matched) == ["DAG29-01", "DAG29-02"]
        assert list(Action.objects.search_by_pattern("OUTCOME")) == [self.soon]
        assert not Action.objects.search_by_pattern("come").exists()

    def test_search_results_best_match_first_unless_sorted(self):
        action_add_update(action=self.later, text="Migration plan agreed", date=TODAY)
        # "plan" is in DAG29-02's text and update, and only in DAG9-02's text.
        self.soon.text = "Update the design baseline plan"
        self.soon.save()
        assert refs(self.client.get(URL, {"q": "plan"})) == ["DAG29-02", "DAG9-02"]
        by_reference = self.client.get(URL, {"q": "plan", "sort": "reference"})
        assert refs(by_reference) == ["DAG9-02", "DAG29-02"]
        assert 'aria-sort="ascending"' in _text(self.client.get(URL))  # Ref, without a search

    def test_sorting(self):
        assert refs(self.client.get(URL, {"sort": "-reference"})) == [
            "DAG29-10",
            "DAG29-02",
            "DAG29-01",
            "DAG9-02",
        ]
        assert refs(self.client.get(URL, {"sort": "due"})) == [
            "DAG29-01",
            "DAG9-02",
            "DAG29-02",
            "DAG29-10",
        ]
        action_add_update(action=self.later, text="Started", date=TODAY, status="ongoing")
        action_add_update(action=self.asap, text="Asked", date=TODAY - DAY)
        assert refs(self.client.get(URL, {"sort": "-updated"}))[:2] == ["DAG29-02", "DAG29-10"]
        assert refs(self.client.get(URL, {"sort": "status"}))[-1] == "DAG29-02"
        assert 'aria-sort="descending"' in _text(self.client.get(URL, {"sort": "-status"}))

    def test_filters_combine_and_stay_in_links(self):
        response = self.client.get(URL, {"owner": "Pettitt", "due": "overdue", "group": "DAG"})
        assert refs(response) == ["DAG29-01"]
        content = _text(response)
        assert "export.xlsx?owner=Pettitt&amp;due=overdue&amp;group=DAG" in content
        assert 'value="Pettitt"' in content  # the form shows the filter in use

    def test_my_actions_page(self):
        response = self.client.get(URL, {"owner": "me"})
        content = _text(response)
        assert "<h1>My actions</h1>" in content
        assert 'aria-current="page">My actions' in content
        accountless = make_user("nobody", group=self.dag, role=Role.OBSERVER)
        accountless.person.delete()
        self.client.force_login(accountless)
        assert refs(self.client.get(URL, {"owner": "me"})) == []

    def test_another_groups_actions_stay_hidden(self):
        response = self.client.get(URL, {"group": "TMAG", "status": "all", "q": "TMAG14-01"})
        assert response.status_code == 200
        assert refs(response) == []
        assert "Select a valid choice" in _text(response)
        assert 'value="TMAG"' not in _text(response)  # not offered as a choice either

    def test_bad_values_are_reported_and_ignored(self):
        response = self.client.get(
            URL,
            {
                "status": "finished",
                "due_from": "31/02/2024",
                "meeting": "not a meeting!",
                "sort": "random",
                "page": "abc",
            },
        )
        assert response.status_code == 200
        content = _text(response)
        assert refs(response) == ["DAG9-02", "DAG29-01", "DAG29-02", "DAG29-10"]
        assert "Some filters were not understood" in content
        assert "Give a meeting code such as DAG029." in content
        assert "Enter a valid date." in content
        backwards = {"due_from": "2024-05-01", "due_to": "2024-04-01"}
        assert "The end of the range is before its start." in _text(self.client.get(URL, backwards))

    def test_huge_numbers_do_not_break_anything(self):
        for params in (
            {"page": "9" * 40},
            {"owner": "9" * 30},
            {"owner": "9" * 18},
            {"owner": "²"},
            {"meeting": "DAG²"},
            {"meeting": "DAG" + "9" * 12},
            {"meeting": "DAG1.99999"},
        ):
            assert self.client.get(URL, params).status_code == 200, params

    def test_row_links_match_the_action_page_for_any_reference(self):
        odd = make_action(self.m29, reference="DES 03&04 é", text="<b>not bold</b>")
        content = _text(self.client.get(URL, {"q": "bold"}))
        assert f'<a href="{escape(odd.get_absolute_url())}">DES 03&amp;04 é</a>' in content
        assert "&lt;b&gt;not <mark>bold</mark>&lt;/b&gt;" in content  # escaped, then marked
        assert self.client.get(odd.get_absolute_url()).status_code == 200

    def test_htmx_gets_the_results_only(self):
        response = self.client.get(URL, {"due": "overdue"}, headers={"HX-Request": "true"})
        content = _text(response)
        assert content.lstrip().startswith('<div id="results">')
        assert "DAG29-01" in content and "<html" not in content


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        meeting = make_meeting(cls.dag, number=3)
        for _ in range(55):
            make_action(meeting, due_kind=DueKind.ASAP, due_date=None)

    def test_pages_of_50_with_total_keep_filters(self):
        self.client.force_login(self.member)
        first = self.client.get(URL, {"due": "asap"})
        assert "Showing 1–50 of 55 actions" in _text(first)
        assert refs(first)[:3] == ["DAG3-01", "DAG3-02", "DAG3-03"]
        assert "?due=asap&amp;page=2" in _text(first)
        second = self.client.get(URL, {"due": "asap", "page": 2})
        assert "Showing 51–55 of 55 actions" in _text(second)
        assert refs(second) == [f"DAG3-{n}" for n in range(51, 56)]
        for past_the_end in (999, 10**9):
            response = self.client.get(URL, {"due": "asap", "page": past_the_end})
            assert "Showing 51–55 of 55 actions" in _text(response)
            assert refs(response) == [f"DAG3-{n}" for n in range(51, 56)]
        assert "No actions match." in _text(self.client.get(URL, {"q": "nothing-like-this"}))


# Session, user, roles, person (menu), groups (filter), the count, the page ids, rows,
# owners with their people.
REGISTER_QUERIES = 9
FILTERS = {
    "q": "programme thing",
    "owner": "me",
    "status": "all",
    "due": "overdue",
    "group": "DAG",
    "meeting": "DAG004",
    "area": "area",
    "change_request": "CR001",
    "due_from": "01/01/2020",
    "sort": "-updated",
}


class RegisterQueryCountTests(TestCase):
    """The register runs the same queries for 3 rows or 2 full pages, with or without
    filters: owners (owner_display) and the latest update of each row come in the page's
    own queries, not one query per row (N+1)."""

    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        cls.meeting = make_meeting(cls.dag, number=4, date=datetime.date(2023, 1, 10))
        cls.cr = make_cr("CR001", cls.dag)

    def add_actions(self, count):
        for _ in range(count):
            action = make_action(
                self.meeting,
                owners=[self.member.person, make_person()],
                owner_party="Programme",
                area="Some area",
            )
            action.change_requests.set([self.cr])
            for day in (1, 2):
                action_add_update(
                    action=action, text=f"Update {day}", date=self.meeting.date + day * DAY
                )

    def assert_queries(self, params, rows):
        self.client.force_login(self.member)
        with self.assertNumQueries(REGISTER_QUERIES):
            response = self.client.get(URL, params)
        assert len(refs(response)) == rows

    def test_without_filters(self):
        self.add_actions(3)
        self.assert_queries({}, 3)
        self.add_actions(50)
        self.assert_queries({}, 50)
        self.assert_queries({"page": 2}, 3)

    def test_with_every_filter(self):
        self.add_actions(3)
        self.assert_queries(FILTERS, 3)
        self.add_actions(50)
        self.assert_queries(FILTERS, 50)
