"""Correcting a CR on its edit page (/change-requests/<reference>/edit/): the change kept
with who and when and shown on the CR's page, the secretariat only, and a stale save
refused."""

import pytest

from changerequests.models import ChangeRequest
from changerequests.services import change_request_update
from core.templatetags.audit import who
from core.versions import record_version
from tests.changerequests.test_changerequest_editing import edit_data as details
from tests.changerequests.test_views_changerequests import make_cr

pytestmark = pytest.mark.django_db
# The CR's page with its history (versions, and the records a change names), whatever its length.
# With the meetings that discussed it, and the ids of the records linked to it or naming it
# (none here, so no query for the records themselves).
PAGE_QUERIES = 12


def edit_data(cr, **changes):
    """What the edit form posts for the CR as it is, with the changes typed."""
    return details(
        cr,
        raiser_person=cr.raiser_person_id,
        raiser_organisation=cr.raiser_organisation_id,
        raiser_note=cr.raiser_note,
        change_owner=cr.change_owner_id,
        **changes,
    )


def stored(cr):
    row = ChangeRequest.objects.filter(pk=cr.pk).values().get()
    return row, cr.history.count()


def test_secretariat_corrects_and_the_page_shows_who_and_old_and_new(client, dag, secretariat):
    cr = make_cr(dag, title="Change to Interfce IF-165")
    client.force_login(secretariat)

    response = client.post(f"{cr.get_absolute_url()}edit/", edit_data(cr, title="Change to IF-165"))

    assert response.status_code == 302
    cr.refresh_from_db()
    assert cr.title == "Change to IF-165"
    assert cr.history.order_by("-history_id").first().history_user == secretariat
    page = client.get(cr.get_absolute_url()).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert f"by {who(secretariat)}," in history
    assert "<td>Change to Interfce IF-165</td><td>Change to IF-165</td>" in history


@pytest.mark.parametrize("role", ["member", "observer", "chair"])
def test_others_of_the_group_may_not_correct(client, dag, role, request):
    cr = make_cr(dag)
    before = stored(cr)
    client.force_login(request.getfixturevalue(role))

    response = client.post(f"{cr.get_absolute_url()}edit/", edit_data(cr, title="Changed"))

    assert response.status_code == 403
    assert stored(cr) == before


def test_another_group_gets_404(client, dag, outsider):
    cr = make_cr(dag)
    before = stored(cr)
    client.force_login(outsider)

    response = client.post(f"{cr.get_absolute_url()}edit/", edit_data(cr, title="Changed"))

    assert response.status_code == 404
    assert stored(cr) == before


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, dag, secretariat):
    cr = make_cr(dag)
    opened = edit_data(cr, title="Typed by the second editor")
    change_request_update(change_request=cr, latest_action="Saved by the first editor")
    before = stored(cr)
    client.force_login(secretariat)

    response = client.post(f"{cr.get_absolute_url()}edit/", opened)

    content = response.content.decode()
    assert response.status_code == 200
    assert "after you opened this form, so your changes were not saved" in content
    assert 'value="Typed by the second editor"' in content
    assert stored(cr) == before
    assert f'name="version" value="{record_version(cr)}"' in content


def test_the_page_reads_its_history_in_the_same_queries_however_long(
    client, dag, secretariat, django_assert_num_queries
):
    cr = make_cr(dag)
    client.force_login(secretariat)
    client.get(cr.get_absolute_url())
    for size in (2, 8):
        for n in range(size):
            change_request_update(change_request=cr, title=f"Title {size}.{n}")
        with django_assert_num_queries(PAGE_QUERIES):
            page = client.get(cr.get_absolute_url()).content.decode()
        assert f"Title {size}.{size - 1}" in page
