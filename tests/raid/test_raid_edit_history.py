"""Correcting a RAID item on its edit page (/raid/<reference>/edit/): the change kept with
who and when and shown on the item's page, the secretariat only, and a stale save refused."""

import pytest

from core.templatetags.audit import who
from core.versions import record_version
from raid.models import RaidItem
from raid.services import raid_item_update
from tests.raid.test_raid_editing import item_data
from tests.raid.test_views_raid import make_risk

pytestmark = pytest.mark.django_db
# The item's page with its history (versions, and the records a change names), whatever its length.
PAGE_QUERIES = 11


def stored(item):
    return RaidItem.objects.filter(pk=item.pk).values().get(), item.history.count()


def edit(item, **changes):
    opened = {"title": item.title, "owner": item.owner_id, "version": record_version(item)}
    return item_data(**opened) | changes


def test_secretariat_corrects_and_the_page_shows_who_and_old_and_new(client, dag, secretariat):
    risk = make_risk(dag, area="Desgin")
    client.force_login(secretariat)

    response = client.post(f"{risk.get_absolute_url()}edit/", edit(risk, area="Design"))

    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.area == "Design"
    assert risk.history.order_by("-history_id").first().history_user == secretariat
    page = client.get(risk.get_absolute_url()).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert f"by {who(secretariat)}," in history
    assert "<td>Desgin</td><td>Design</td>" in history


@pytest.mark.parametrize("role", ["member", "observer", "chair"])
def test_others_of_the_group_may_not_correct(client, dag, role, request):
    risk = make_risk(dag)
    before = stored(risk)
    client.force_login(request.getfixturevalue(role))

    response = client.post(f"{risk.get_absolute_url()}edit/", edit(risk, title="Changed"))

    assert response.status_code == 403
    assert stored(risk) == before


def test_another_group_gets_404(client, dag, outsider):
    risk = make_risk(dag)
    before = stored(risk)
    client.force_login(outsider)

    response = client.post(f"{risk.get_absolute_url()}edit/", edit(risk, title="Changed"))

    assert response.status_code == 404
    assert stored(risk) == before


def test_bad_input_keeps_what_was_typed_with_the_field_error(client, dag, secretariat):
    risk = make_risk(dag)
    before = stored(risk)
    client.force_login(secretariat)

    response = client.post(
        f"{risk.get_absolute_url()}edit/",
        edit(risk, area="Typed area", probability="9", date_raised="31/02/2024"),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Typed area"' in content
    assert 'id="id_probability_error"' in content and "from 1 to 5" in content
    assert 'id="id_date_raised_error"' in content
    assert stored(risk) == before


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, dag, secretariat):
    risk = make_risk(dag)
    opened = edit(risk, title="Typed by the second editor")
    raid_item_update(item=risk, mitigation="Saved by the first editor")
    before = stored(risk)
    client.force_login(secretariat)

    response = client.post(f"{risk.get_absolute_url()}edit/", opened)

    content = response.content.decode()
    assert response.status_code == 200
    assert "after you opened this form, so your changes were not saved" in content
    assert 'value="Typed by the second editor"' in content
    assert stored(risk) == before
    assert f'name="version" value="{record_version(risk)}"' in content


def test_the_page_reads_its_history_in_the_same_queries_however_long(
    client, dag, secretariat, django_assert_num_queries
):
    risk = make_risk(dag)
    client.force_login(secretariat)
    client.get(risk.get_absolute_url())
    for size in (2, 8):
        for n in range(size):
            raid_item_update(item=risk, title=f"Title {size}.{n}", probability=1 + n % 5)
        with django_assert_num_queries(PAGE_QUERIES):
            page = client.get(risk.get_absolute_url()).content.decode()
        assert f"Title {size}.{size - 1}" in page
