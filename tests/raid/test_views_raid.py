"""The RAID log (/raid/) with its heat map and exports, and one item's page. (Raising,
updating, closing and superseding items: test_raid_editing.py.)"""

import io
import re

import pytest
from openpyxl import load_workbook

from changerequests.services import change_request_create
from core.models import Role
from meetings.models import AgendaItem
from raid.models import RaidItem, RaidReview, RaidStatus, RaidType
from raid.services import raid_item_create, raid_item_update
from tests.factories import make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/raid/"


def make_risk(group, **fields):
    fields.setdefault("title", "Design not stable for SIT")
    fields.setdefault("owner", make_person("Paul Pettitt"))
    return raid_item_create(group=group, **fields)


def shown(client, items, **params):
    content = client.get(LIST_URL, params).content.decode()
    return [item.reference for item in items if f">{item.reference}<" in content]


def cell(content, probability, impact):
    """The heat-map cell's HTML."""
    match = re.search(
        rf'data-probability="{probability}" data-impact="{impact}">(.*?)</td>', content, re.S
    )
    return match.group(1)


def cell_count(content, probability, impact):
    return int(re.search(r'heat-map__count">(\d+)<', cell(content, probability, impact))[1])


# The register


def test_list_shows_open_items_of_my_groups_with_score_and_band(client, dag, member):
    risk = make_risk(dag, probability=4, impact=5, area="Design")
    closed = make_risk(dag, status=RaidStatus.CLOSED)
    hidden = make_risk(make_group("TMAG"))
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert risk.reference in content and "Paul Pettitt" in content
    assert '<td class="num">20</td>' in content and ">Critical</span>" in content
    # References as link text: a bare "R3" could also occur in the page's CSRF token.
    assert f">{closed.reference}<" not in content
    assert f">{hidden.reference}<" not in content
    assert closed.reference in client.get(LIST_URL, {"status": "all"}).content.decode()


def test_list_sorts_references_by_number(client, dag, member):
    for reference in ("R184", "R43", "R1000"):
        make_risk(dag, reference=reference)
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()

    assert content.index(">R43<") < content.index(">R184<") < content.index(">R1000<")


def test_list_sorts_by_score_with_unscored_last(client, dag, member):
    low = make_risk(dag, probability=1, impact=2)
    unscored = make_risk(dag)
    high = make_risk(dag, probability=4, impact=4)
    client.force_login(member)
    items = [low, unscored, high]

    def order(sort):
        content = client.get(LIST_URL, {"sort": sort}).content.decode()
        return sorted(items, key=lambda item: content.index(f">{item.reference}<"))

    assert order("-score") == [high, low, unscored]
    assert order("score") == [low, high, unscored]
    assert 'aria-sort="descending"' in client.get(LIST_URL, {"sort": "-score"}).content.decode()


def test_list_filters(client, dag, member):
    tmag = make_group("TMAG")
    member.person.memberships.create(group=tmag, role=Role.MEMBER)
    owner = make_person("Lee Cox")
    risk = make_risk(dag, area="Design", probability=5, impact=4, mitigation="Interim releases")
    issue = make_risk(dag, raid_type=RaidType.ISSUE, area="Programme", probability=2, impact=3)
    dependency = make_risk(tmag, raid_type=RaidType.DEPENDENCY, owner=owner, probability=1)
    items = [risk, issue, dependency]
    client.force_login(member)

    assert shown(client, items, raid_type="issue") == [issue.reference]
    assert shown(client, items, area="Programme") == [issue.reference]
    assert shown(client, items, owner=owner.pk) == [dependency.reference]
    assert shown(client, items, group="TMAG") == [dependency.reference]
    assert shown(client, items, band="critical") == [risk.reference]
    assert shown(client, items, band="medium") == [issue.reference]
    assert shown(client, items, min_score="6") == [risk.reference, issue.reference]
    assert shown(client, items, q="interim") == [risk.reference]


def test_bad_filter_values_are_reported_not_a_500(client, dag, member):
    risk = make_risk(dag, probability=3, impact=3)
    client.force_login(member)

    response = client.get(
        LIST_URL, {"min_score": "lots", "probability": "9", "band": "extreme", "sort": "x"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number" in content and "Select a valid choice" in content
    assert "That heat map cell does not exist" in content
    assert risk.reference in content  # the bad filters are ignored, not applied


def test_list_htmx_request_gets_only_the_results(client, dag, member):
    risk = make_risk(dag, probability=2, impact=2)
    client.force_login(member)

    content = client.get(LIST_URL, HTTP_HX_REQUEST="true").content.decode()

    assert content.lstrip().startswith('<div id="results">')
    assert risk.reference in content and "Heat map" in content and "<html" not in content


# Queries per page, the same however many items: session, user, roles, the filter's area,
# owner and group choices, the count, the heat map's one grouped count, the page's ids and
# its rows. (A member edits no group, so "may raise" is answered from the roles without a
# query.)
LIST_QUERIES = 11
EXPORT_QUERIES = 6


def test_list_runs_a_fixed_number_of_queries(client, dag, member, django_assert_num_queries):
    """Each item's owner and group come with the item (no N+1 on the Owner and Group
    columns), and the heat map is one grouped count, not a query per row or per cell."""
    client.force_login(member)
    for size in (3, 30):
        while RaidItem.objects.count() < size:
            n = RaidItem.objects.count()
            make_risk(dag, probability=n % 5 + 1, impact=n % 4 + 1, area=f"Area {n}")
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(LIST_URL)
        assert f"of {size} RAID items" in response.content.decode()


def test_exports_run_a_fixed_number_of_queries(client, dag, member, django_assert_num_queries):
    """The download reads items with their owner, successor and change requests in a fixed
    number of queries: no N+1 on the Owner, Superseded by or Change requests columns."""
    client.force_login(member)
    cr = change_request_create(title="A change", group=dag)
    for size in (3, 30):
        while RaidItem.objects.count() < size:
            make_risk(dag, change_requests=[cr])
        for url in (f"{LIST_URL}export.csv", f"{LIST_URL}export.xlsx"):
            with django_assert_num_queries(EXPORT_QUERIES):
                # getvalue() reads the streamed CSV, whose rows are read as it is sent.
                assert client.get(url).getvalue()


DETAIL_QUERIES = 13  # with the actions raised from its reviews


def test_detail_runs_a_fixed_number_of_queries(client, dag, member, django_assert_num_queries):
    """The score history is one query over the item's versions with who made them, the
    reviews come with their meeting and agenda item: no N+1 on history or reviews."""
    risk = make_risk(dag, probability=1, impact=1)
    client.force_login(member)
    for size in (2, 8):
        while risk.reviews.count() < size:
            n = risk.reviews.count()
            raid_item_update(item=risk, probability=n % 5 + 1, impact=(n + 2) % 5 + 1)
            meeting = make_meeting(dag)
            RaidReview.objects.create(
                raid_item=risk,
                meeting=meeting,
                agenda_item=AgendaItem.objects.create(meeting=meeting, number="4", order=4),
                discussion="Discussed",
            )
            make_risk(dag, status=RaidStatus.SUPERSEDED, superseded_by=risk)
            risk.change_requests.add(change_request_create(title="A change", group=dag))
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(risk.get_absolute_url())
        assert response.content.decode().count(">Discussed<") == size


# The heat map


def test_heat_map_counts_the_filtered_items_per_cell(client, dag, member):
    make_risk(dag, probability=4, impact=5)
    make_risk(dag, probability=4, impact=5)
    make_risk(dag, probability=2, impact=3)
    make_risk(dag, probability=2, impact=3, raid_type=RaidType.ISSUE)
    make_risk(dag)  # unscored
    make_risk(dag, probability=1, impact=1, status=RaidStatus.CLOSED)
    client.force_login(member)

    content = client.get(LIST_URL).content.decode()
    risks_only = client.get(LIST_URL, {"raid_type": "risk"}).content.decode()

    assert cell_count(content, 4, 5) == 2 and cell_count(content, 2, 3) == 2
    assert cell_count(content, 1, 1) == 0  # closed items are not in the default view
    assert cell_count(risks_only, 2, 3) == 1
    assert "4 scored items in this view; 1 without a score is not on the map" in content
    # Readable without colour: counts, band names and scores are text, in a real table.
    assert "Critical 20" in cell(content, 4, 5) and "Medium 6" in cell(content, 2, 3)
    assert '<th scope="row">Probability 4' in content and '<th scope="col">Impact 5' in content
    assert 'aria-label="2 items with probability 4 and impact 5: score 20, Critical"' in content


def test_heat_map_cell_links_to_its_items(client, dag, member):
    hot = make_risk(dag, probability=4, impact=5)
    cool = make_risk(dag, probability=2, impact=3)
    client.force_login(member)

    link = re.search(r'href="\?([^"]+)"', cell(client.get(LIST_URL).content.decode(), 4, 5))
    query = link[1].replace("&amp;", "&")
    content = client.get(f"{LIST_URL}?{query}").content.decode()

    assert "probability=4" in query and "impact=5" in query
    assert f">{hot.reference}<" in content and f">{cool.reference}<" not in content
    # The map keeps counting every cell of the filter and marks the chosen one.
    assert cell_count(content, 2, 3) == 1
    assert 'aria-current="true"' in cell(content, 4, 5)
    assert "Show every cell&#x27;s items" in content or "Show every cell's items" in content


# One item's page


def test_detail_shows_reviews_and_supersede_links_both_ways(client, dag, member):
    new = make_risk(dag, reference="R432", title="Reworded risk")
    old = make_risk(dag, reference="R184", status=RaidStatus.SUPERSEDED, superseded_by=new)
    meeting = make_meeting(dag, number=29)
    RaidReview.objects.create(
        raid_item=new,
        meeting=meeting,
        discussion="Members asked for rewording",
        conclusion="Keep open",
    )
    client.force_login(member)

    new_page = client.get("/raid/R432/").content.decode()
    old_page = client.get("/raid/R184/").content.decode()

    assert old.get_absolute_url() in new_page
    assert "Members asked for rewording" in new_page and "DAG029" in new_page
    assert "Superseded by" in old_page and new.get_absolute_url() in old_page
    assert "<strong>Created</strong>" in new_page


def test_detail_of_another_group_is_404(client, member):
    risk = make_risk(make_group("TMAG"))
    client.force_login(member)

    assert client.get(risk.get_absolute_url()).status_code == 404


def test_programme_wide_item_is_read_by_members_only(client, member):
    risk = make_risk(None)
    client.force_login(member)
    assert client.get(risk.get_absolute_url()).status_code == 200
    client.force_login(make_user())  # no role in any group
    assert client.get(risk.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_login(client, dag):
    risk = make_risk(dag)
    for url in (LIST_URL, risk.get_absolute_url(), f"{LIST_URL}new/", f"{LIST_URL}export.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# Exports


def test_exports_follow_the_filter(client, dag, member):
    cr = change_request_create(title="A change", group=dag, reference="CR044")
    risk = make_risk(dag, probability=3, impact=4, change_requests=[cr], mitigation="+1 fix")
    make_risk(dag, raid_type=RaidType.ISSUE)
    client.force_login(member)

    text = client.get(f"{LIST_URL}export.csv", {"raid_type": "risk"}).getvalue().decode("utf-8-sig")
    sheet = load_workbook(
        io.BytesIO(client.get(f"{LIST_URL}export.xlsx", {"raid_type": "risk"}).content)
    ).active

    lines = text.splitlines()
    assert lines[0].startswith("Ref,Type,Group,Area,Title")
    assert len(lines) == 2 and lines[1].startswith(f"{risk.reference},Risk,DAG")
    assert ",3,4,12,High,'+1 fix,Open" in lines[1] and lines[1].endswith("CR044")
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][7:11] == (3, 4, 12, "High")
