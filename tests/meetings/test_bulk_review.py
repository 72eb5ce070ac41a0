"""Bulk work at the review of open actions: several actions closed, recommended closed,
given a new due date or one update in one step, keyboard- and label-friendly without
JavaScript; nothing another editor saved meanwhile is overwritten; one undo for the step,
refused once its actions changed since. Other groups get a 404, readers a 403."""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import ActionStatus, DueKind
from actions.services import action_add_update
from core.versions import record_version
from meetings.models import ReviewBatch
from tests.factories import make_action, make_meeting

pytestmark = pytest.mark.django_db
CHECKED = re.compile(r'<input[^>]*name="bulk-selected"[^>]*checked')


@pytest.fixture
def review(dag):
    earlier = make_meeting(dag, number=28, date=datetime.date(2023, 9, 13))
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    actions = [make_action(earlier, due_date=datetime.date(2023, 10, 1)) for _ in range(3)]
    return meeting, actions


def bulk(client, user, meeting, actions, operation, versions=None, **fields):
    client.force_login(user)
    data = {
        "bulk-selected": [a.pk for a in actions],
        "bulk-operation": operation,
        "bulk-date": "2023-10-11",
        **{f"bulk-{name}": value for name, value in fields.items()},
    }
    for action in actions:
        data[f"version-{action.pk}"] = (versions or {}).get(action.pk, record_version(action))
    return client.post(reverse("meetings:action_review_bulk", args=[meeting.pk]), data)


def test_the_page_offers_labelled_checkboxes_and_choose_all_without_javascript(
    client, review, secretariat
):
    meeting, actions = review
    client.force_login(secretariat)
    url = reverse("meetings:action_review", args=[meeting.pk])

    content = client.get(url).content.decode()
    chosen = client.get(url, {"select": "all"}).content.decode()

    for action in actions:
        assert f"Choose {action.reference}" in content
    assert 'form="bulk-form"' in content and "?select=all#bulk-step" in content
    assert len(CHECKED.findall(content)) == 0
    assert len(CHECKED.findall(chosen)) == len(actions)


def test_close_several_in_one_step_then_undo_it(client, review, secretariat):
    meeting, actions = review
    chosen = actions[:2]

    response = bulk(client, secretariat, meeting, chosen, "close")

    assert response.status_code == 302
    for action in chosen:
        action.refresh_from_db()
        assert action.status == ActionStatus.CLOSED
        assert action.closed_meeting == meeting
        assert action.updates.get().text == "Closed at DAG029."
    actions[2].refresh_from_db()
    assert actions[2].status == ActionStatus.OPEN
    batch = ReviewBatch.objects.get()
    page = client.get(reverse("meetings:action_review", args=[meeting.pk])).content.decode()
    assert "Undo this step" in page

    undo = client.post(reverse("meetings:action_review_undo", args=[meeting.pk, batch.pk]))

    assert undo.status_code == 302
    for action in chosen:
        action.refresh_from_db()
        assert action.status == ActionStatus.OPEN and action.closed_date is None
        assert not action.updates.exists()
    batch.refresh_from_db()
    assert batch.undone_at is not None


def test_new_due_date_and_one_update_for_all(client, review, secretariat):
    meeting, actions = review

    bulk(client, secretariat, meeting, actions, "due_date", due_date="2023-11-08")
    bulk(client, secretariat, meeting, actions, "update", text="Discussed; on track.")

    for action in actions:
        action.refresh_from_db()
        assert (action.due_kind, action.due_date) == (DueKind.DATE, datetime.date(2023, 11, 8))
        texts = [update.text for update in action.updates.order_by("created_at")]
        assert "from 01/10/2023 to 08/11/2023" in texts[0]
        assert texts[1] == "Discussed; on track."
    # Undo the latest step (the update) only: the due date stays moved.
    latest = ReviewBatch.objects.first()
    client.post(reverse("meetings:action_review_undo", args=[meeting.pk, latest.pk]))
    for action in actions:
        action.refresh_from_db()
        assert action.due_date == datetime.date(2023, 11, 8) and action.updates.count() == 1


def test_missing_text_or_date_is_shown_at_the_field_and_nothing_changes(
    client, review, secretariat
):
    meeting, actions = review

    no_text = bulk(client, secretariat, meeting, actions, "update")
    no_due = bulk(client, secretariat, meeting, actions, "due_date")
    none_chosen = bulk(client, secretariat, meeting, [], "close")

    assert no_text.status_code == 200 and "Say what was reported." in no_text.content.decode()
    assert "Give the new due date." in no_due.content.decode()
    assert "Choose at least one action." in none_chosen.content.decode()
    assert not ReviewBatch.objects.exists()


def test_an_action_saved_meanwhile_refuses_the_whole_step(client, review, secretariat):
    meeting, actions = review
    versions = {action.pk: record_version(action) for action in actions}
    action_add_update(action=actions[1], text="Done", date=meeting.date, status="ongoing")

    response = bulk(client, secretariat, meeting, actions, "close", versions=versions)

    assert response.status_code == 200
    assert f"{actions[1].reference} changed after you opened this page" in (
        response.content.decode()
    )
    for action in actions:
        action.refresh_from_db()
        assert action.status != ActionStatus.CLOSED


def test_undo_is_refused_once_an_action_changed_since(client, review, secretariat):
    meeting, actions = review
    bulk(client, secretariat, meeting, actions, "recommend_closed")
    action_add_update(action=actions[0], text="Chair agreed", date=meeting.date)

    response = client.post(
        reverse("meetings:action_review_undo", args=[meeting.pk, ReviewBatch.objects.get().pk]),
        follow=True,
    )

    assert f"{actions[0].reference} changed after this step" in response.content.decode()
    for action in actions:
        action.refresh_from_db()
        assert action.status == ActionStatus.RECOMMEND_CLOSED


def test_who_may_do_what(client, review, secretariat, member, observer, outsider):
    meeting, actions = review
    owned = make_action(actions[0].meeting, owners=[member.person])

    assert bulk(client, observer, meeting, actions, "close").status_code == 403
    assert bulk(client, outsider, meeting, actions, "close").status_code == 404
    refused = bulk(client, member, meeting, [owned], "close")
    assert f"You may not close {owned.reference}" in refused.content.decode()
    assert bulk(client, member, meeting, [owned], "recommend_closed").status_code == 302
    batch = ReviewBatch.objects.get()
    undo_url = reverse("meetings:action_review_undo", args=[meeting.pk, batch.pk])
    client.force_login(observer)
    assert client.post(undo_url).status_code == 403
    client.force_login(secretariat)
    assert client.post(undo_url).status_code == 302


def test_a_long_review_is_paged_and_choose_all_takes_every_page(
    client, review, secretariat, monkeypatch
):
    """Hundreds of actions a page at a time: the per-action form records the page's rows,
    and "Choose all" carries the other pages' actions into the bulk step as hidden fields."""
    monkeypatch.setattr("meetings.review_views.REVIEW_PAGE_SIZE", 2)
    meeting, actions = review
    client.force_login(secretariat)
    url = reverse("meetings:action_review", args=[meeting.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    chosen = client.get(url, {"page": 2, "select": "all"}).content.decode()

    assert "Showing 1–2 of 3 actions" in first
    assert "Choose all 3 actions</a> (on every page)" in first
    assert f"Choose {actions[2].reference}" not in first
    assert f"Choose {actions[2].reference}" in second
    assert len(CHECKED.findall(chosen)) == 1
    for action in actions[:2]:
        assert f'name="bulk-selected" value="{action.pk}">' in chosen  # hidden, chosen
    recorded = client.post(
        f"{url}?page=2", {"date": "11/10/2023", f"{actions[2].pk}-text": "On track"}
    )
    assert recorded.status_code == 302 and recorded.url.endswith("?page=2")
    assert actions[2].updates.get().text == "On track"
    assert bulk(client, secretariat, meeting, actions, "recommend_closed").status_code == 302
    for action in actions:
        action.refresh_from_db()
        assert action.status == ActionStatus.RECOMMEND_CLOSED
