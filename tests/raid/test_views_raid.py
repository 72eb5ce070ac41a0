"""The RAID log (/raid/) with its heat map and exports, one item's page, and raising,
updating, closing and superseding items through the web."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from changerequests.services import change_request_create
from core.models import Role
from meetings.models import AgendaItem
from raid.models import RaidItem, RaidReview, RaidStatus, RaidType
from raid.services import raid_item_create, raid_item_supersede, raid_item_update
from tests.factories import make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/raid/"


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER)


@pytest.fixture
def secretariat(dag):
    return make_user("secretariat", group=dag, role=Role.SECRETARIAT)


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
# owner and group choices, the count, the heat map's one grouped count and the page. (A
# member edits no group, so "may raise" is answered from the roles without a query.)
LIST_QUERIES = 10
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


DETAIL_QUERIES = 12


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


# Raising and updating


def item_data(**overrides):
    data = {
        "raid_type": "risk",
        "area": "Design",
        "title": "There is a risk that CRs change the baseline design",
        "probability": "3",
        "impact": "4",
        "mitigation": "Change control",
        "date_raised": "12/06/2024",
        "change_request_refs": "",
    }
    return data | overrides


def test_secretariat_raises_an_item_with_the_next_reference(client, dag, secretariat):
    make_risk(dag, reference="R436")
    cr = change_request_create(title="A change", group=dag, reference="CR044")
    client.force_login(secretariat)

    response = client.post(f"{LIST_URL}new/", item_data(group=dag.pk, change_request_refs="cr044"))

    item = RaidItem.objects.get(reference="R437")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.group, item.score, item.band, item.status) == (dag, 12, "High", "open")
    assert list(item.change_requests.all()) == [cr]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"probability": "6"}, "Score the probability from 1 to 5."),
        ({"impact": "0"}, "Score the impact from 1 to 5."),
        ({"impact": "x"}, "Score the impact from 1 to 5."),
        ({"date_raised": "30/02/2024"}, "Enter a valid date."),
        ({"date_raised": "01/01/2999"}, "The date raised cannot be in the future."),
        ({"change_request_refs": "CR999"}, "There is no change request CR999."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_raising_with_bad_values_changes_nothing(client, dag, secretariat, fields, message):
    client.force_login(secretariat)

    response = client.post(f"{LIST_URL}new/", item_data(group=dag.pk, **fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RaidItem.objects.exists()


def test_only_the_secretariat_raises_items(client, dag, member):
    client.force_login(member)
    assert client.get(f"{LIST_URL}new/").status_code == 403
    assert client.post(f"{LIST_URL}new/", item_data(group=dag.pk)).status_code == 403
    assert not RaidItem.objects.exists()


def test_secretariat_rescores_an_item_and_the_history_shows_it(client, dag, secretariat):
    risk = make_risk(dag, probability=3, impact=3)
    client.force_login(secretariat)
    data = item_data(
        title=risk.title, owner=risk.owner_id, probability="4", reason="Re-scored at DAG037"
    )

    response = client.post(f"{risk.get_absolute_url()}edit/", data)

    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.probability, risk.impact, risk.score) == (4, 4, 16)
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "Probability 3 → 4; Impact 3 → 4; Mitigation updated" in page
    assert "Re-scored at DAG037" in page and "Secretariat" in page
    assert "Score trend: 9 → 16" in page


def test_updating_keeps_links_to_change_requests_the_user_cannot_see(client, dag, secretariat):
    ours = change_request_create(title="Ours", group=dag, reference="CR044")
    theirs = change_request_create(title="Theirs", group=make_group("TMAG"), reference="CR099")
    risk = make_risk(dag, change_requests=[ours, theirs])
    client.force_login(secretariat)

    form = client.get(f"{risk.get_absolute_url()}edit/").content.decode()
    response = client.post(
        f"{risk.get_absolute_url()}edit/",
        item_data(title=risk.title, owner=risk.owner_id, change_request_refs="CR044"),
    )

    assert 'value="CR044"' in form and "CR099" not in form
    assert response.status_code == 302
    assert set(risk.change_requests.all()) == {ours, theirs}


def test_update_permissions(client, dag, member):
    ours, theirs = make_risk(dag), make_risk(make_group("TMAG"))
    client.force_login(member)
    for action in ("edit", "close", "supersede"):
        assert client.get(f"{ours.get_absolute_url()}{action}/").status_code == 403
        assert client.get(f"{theirs.get_absolute_url()}{action}/").status_code == 404
    assert client.post(f"{ours.get_absolute_url()}edit/", item_data()).status_code == 403
    ours.refresh_from_db()
    assert ours.title == "Design not stable for SIT"


# Closing, reopening and superseding


def test_secretariat_closes_and_reopens_an_item(client, dag, secretariat):
    risk = make_risk(dag)
    client.force_login(secretariat)

    client.post(f"{risk.get_absolute_url()}close/", {"reason": "Mitigated"})
    risk.refresh_from_db()
    assert risk.status == RaidStatus.CLOSED
    again = client.post(f"{risk.get_absolute_url()}close/", {"reason": ""})
    assert "is closed, not open" in again.content.decode()

    client.post(f"{risk.get_absolute_url()}reopen/")
    risk.refresh_from_db()
    assert risk.status == RaidStatus.OPEN


def test_closing_or_reopening_twice_is_refused_with_a_message(client, dag, secretariat):
    risk = make_risk(dag, status=RaidStatus.CLOSED)
    client.force_login(secretariat)

    close_page = client.get(f"{risk.get_absolute_url()}close/").content.decode()
    assert "is closed: only an open item can be closed" in close_page
    assert "<button" not in close_page.split("<main")[1]

    risk.status = RaidStatus.OPEN
    risk.save()
    # A reopen button left on an old page: back to the item, told why, nothing changed.
    response = client.post(f"{risk.get_absolute_url()}reopen/", follow=True)
    assert response.redirect_chain == [(risk.get_absolute_url(), 302)]
    assert f"Only a closed item can be reopened; {risk.reference} is not." in (
        response.content.decode()
    )
    assert RaidItem.objects.get(pk=risk.pk).status == RaidStatus.OPEN


def test_secretariat_supersedes_an_item_and_both_link(client, dag, secretariat):
    old = make_risk(dag, reference="R184")
    new = make_risk(dag, reference="R432")
    client.force_login(secretariat)

    response = client.post(f"{old.get_absolute_url()}supersede/", {"superseded_by": "r432"})

    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (RaidStatus.SUPERSEDED, new)
    assert old.get_absolute_url() in client.get(new.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("successor", "message"),
    [
        ("R184", "An item cannot replace itself."),
        ("R999", "There is no RAID item R999."),
        ("R500", "R500 is closed; choose an open item."),
        ("R600", "There is no RAID item R600."),  # another group's: not disclosed
        ("R432", "That would make a loop of superseded items."),
    ],
)
def test_bad_supersedes_are_refused_and_change_nothing(
    client, dag, secretariat, successor, message
):
    old = make_risk(dag, reference="R184")
    new = make_risk(dag, reference="R432")
    make_risk(dag, reference="R500", status=RaidStatus.CLOSED)
    make_risk(make_group("TMAG"), reference="R600")
    raid_item_supersede(item=new, successor=old)  # R432 -> R184, so R184 -> R432 loops
    client.force_login(secretariat)

    response = client.post(f"{old.get_absolute_url()}supersede/", {"superseded_by": successor})

    assert response.status_code == 200
    assert message in response.content.decode()
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (RaidStatus.OPEN, None)


def test_detail_shows_the_secretariat_its_controls_only(client, dag, secretariat, member):
    risk = make_risk(dag)
    client.force_login(member)
    assert (
        f"{risk.get_absolute_url()}edit/"
        not in client.get(risk.get_absolute_url()).content.decode()
    )
    client.force_login(secretariat)
    page = client.get(risk.get_absolute_url()).content.decode()
    assert f"{risk.get_absolute_url()}edit/" in page and f"{risk.get_absolute_url()}close/" in page


def test_date_raised_defaults_to_today_on_the_raise_form(client, dag, secretariat):
    client.force_login(secretariat)
    content = client.get(f"{LIST_URL}new/").content.decode()
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in content


# Who may do what


ROLES = ["secretariat", "chair", "member", "observer", "outsider"]
# Per page: the answer for each role above (the outsider has a role in another group only).
RAID_PERMISSIONS = [
    ("get", "", [200, 200, 200, 200, 200]),
    ("get", "export.xlsx", [200, 200, 200, 200, 200]),
    ("get", "new/", [200, 403, 403, 403, 403]),
    ("get", "{item}", [200, 200, 200, 200, 404]),
    ("get", "{item}edit/", [200, 403, 403, 403, 404]),
    ("post", "{item}edit/", [200, 403, 403, 403, 404]),
    ("get", "{item}close/", [200, 403, 403, 403, 404]),
    ("get", "{item}supersede/", [200, 403, 403, 403, 404]),
    ("post", "{item}supersede/", [200, 403, 403, 403, 404]),
    ("post", "{item}reopen/", [302, 403, 403, 403, 404]),
]


@pytest.mark.parametrize(("method", "path", "answers"), RAID_PERMISSIONS)
def test_role_matrix(client, dag, method, path, answers):
    """Only the secretariat raises and changes the group's RAID items; the chair, members
    and observers read them; someone of another group does not see them at all."""
    risk = make_risk(dag, probability=2, impact=2)
    users = [make_user(group=dag, role=role) for role in ROLES[:4]]
    users.append(make_user(group=make_group("TMAG"), role=Role.MEMBER))
    url = LIST_URL + path.format(item=risk.get_absolute_url().removeprefix(LIST_URL))

    for user, role, expected in zip(users, ROLES, answers, strict=True):
        client.force_login(user)
        # Empty posts: a permitted user gets the form back with its errors.
        assert getattr(client, method)(url).status_code == expected, role
    risk.refresh_from_db()
    assert (risk.status, risk.probability, risk.title) == (
        RaidStatus.OPEN,
        2,
        "Design not stable for SIT",
    )
