"""Raising, updating, closing, reopening and superseding RAID items through the web, and
who may do each."""

import pytest
from django.utils import timezone

from changerequests.services import change_request_create
from core.models import Role
from core.versions import record_version
from raid.models import RaidItem, RaidStatus
from raid.services import raid_item_supersede
from tests.factories import make_group, make_user
from tests.raid.test_views_raid import LIST_URL, make_risk

pytestmark = pytest.mark.django_db


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
        title=risk.title,
        owner=risk.owner_id,
        probability="4",
        reason="Re-scored at DAG037",
        version=record_version(risk),
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
        item_data(
            title=risk.title,
            owner=risk.owner_id,
            change_request_refs="CR044",
            version=record_version(risk),
        ),
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
