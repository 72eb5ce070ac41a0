"""Nothing typed is lost: the minutes editor keeps a draft while the secretariat types, the
draft comes back when the page is opened again (flagged when someone saved since), saving
the minutes discards it, and only the group's secretariat may keep one."""

import datetime

import pytest
from django.urls import reverse

from core.models import Role
from meetings.forms import MAX_MINUTES_LENGTH
from meetings.models import AgendaItem, MeetingStatus, MinutesDraft
from tests.factories import make_group, make_meeting, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(dag):
    return make_meeting(dag, number=29, date=datetime.date(2023, 10, 11), status=MeetingStatus.HELD)


@pytest.fixture
def item(meeting):
    return AgendaItem.objects.create(
        meeting=meeting, number="4", order=4, title="CR032 Impact Assessment"
    )


@pytest.fixture
def pmo_client(client, secretariat):
    client.force_login(secretariat)
    return client


def draft_url(item):
    return reverse("meetings:minutes_draft_save", args=[item.meeting_id, item.pk])


def discard_url(item):
    return reverse("meetings:minutes_draft_discard", args=[item.meeting_id, item.pk])


def save_url(item):
    return reverse("meetings:minutes_save", args=[item.meeting_id, item.pk])


def write_url(item):
    return reverse("meetings:minutes_write", args=[item.meeting_id])


def test_a_draft_is_kept_apart_from_the_minutes(pmo_client, secretariat, item):
    response = pmo_client.post(draft_url(item), {"text": "NGESO presented", "version": 0}, **HTMX)

    assert response.status_code == 200
    assert "Draft kept at" in response.content.decode()
    draft = MinutesDraft.objects.get(item=item, user=secretariat)
    assert (draft.text, draft.based_on_version) == ("NGESO presented", 0)
    item.refresh_from_db()
    assert (item.minutes, item.minutes_version) == ("", 0)
    item.meeting.refresh_from_db()
    assert item.meeting.status == MeetingStatus.HELD

    pmo_client.post(draft_url(item), {"text": "NGESO presented CR032", "version": 0}, **HTMX)
    assert list(MinutesDraft.objects.values_list("text", flat=True)) == ["NGESO presented CR032"]


def test_the_draft_comes_back_when_the_page_is_opened_again(pmo_client, item):
    pmo_client.post(draft_url(item), {"text": "Typed before the crash", "version": 0}, **HTMX)

    page = pmo_client.get(write_url(item)).content.decode()

    assert "Restored your unsaved draft from" in page
    assert "Typed before the crash</textarea>" in page
    assert "data-restored-draft" in page
    assert discard_url(item) in page
    assert "changed since you began this draft" not in page


def test_a_draft_is_only_its_writers(client, pmo_client, dag, item):
    pmo_client.post(draft_url(item), {"text": "Mine alone", "version": 0}, **HTMX)
    colleague = make_user("pmo2", group=dag, role=Role.SECRETARIAT)
    client.force_login(colleague)

    page = client.get(write_url(item)).content.decode()

    assert "Restored your unsaved draft" not in page
    assert "Mine alone" not in page


def test_a_draft_made_stale_by_another_save_is_flagged_with_both_texts(pmo_client, item):
    pmo_client.post(draft_url(item), {"text": "My version", "version": 0}, **HTMX)
    AgendaItem.objects.filter(pk=item.pk).update(minutes="Their version", minutes_version=1)

    page = pmo_client.get(write_url(item)).content.decode()

    assert "Restored your unsaved draft from" in page
    assert "changed since you began this draft" in page
    assert "Their version</textarea>" in page
    assert "My version</textarea>" in page
    # The editor carries the draft's version, so saving it is refused like any stale save.
    assert f'name="version" value="0" id="item{item.pk}_version"' in page
    response = pmo_client.post(save_url(item), {"text": "My version", "version": 0}, **HTMX)
    assert "someone else saved" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == "Their version"


def test_saving_the_minutes_discards_the_draft(pmo_client, secretariat, item):
    pmo_client.post(draft_url(item), {"text": "Final words", "version": 0}, **HTMX)

    response = pmo_client.post(save_url(item), {"text": "Final words", "version": 0}, **HTMX)

    assert response.status_code == 200
    assert "minutes-saved" in response.headers["HX-Trigger"]
    assert not MinutesDraft.objects.filter(item=item, user=secretariat).exists()
    assert "Restored your unsaved draft" not in pmo_client.get(write_url(item)).content.decode()


def test_saving_without_javascript_discards_the_draft(pmo_client, item):
    pmo_client.post(draft_url(item), {"text": "Final words", "version": 0}, **HTMX)

    response = pmo_client.post(save_url(item), {"text": "Final words", "version": 0})

    assert response.status_code == 302
    assert not MinutesDraft.objects.exists()


def test_a_refused_save_keeps_the_draft(pmo_client, item):
    pmo_client.post(draft_url(item), {"text": "Mine", "version": 0}, **HTMX)
    AgendaItem.objects.filter(pk=item.pk).update(minutes="Theirs", minutes_version=1)

    response = pmo_client.post(save_url(item), {"text": "Mine", "version": 0}, **HTMX)

    assert "HX-Trigger" not in response.headers
    assert MinutesDraft.objects.get().text == "Mine"


def test_a_draft_equal_to_the_saved_minutes_is_no_draft(pmo_client, item):
    AgendaItem.objects.filter(pk=item.pk).update(minutes="As saved", minutes_version=1)
    pmo_client.post(draft_url(item), {"text": "As saved, and more", "version": 1}, **HTMX)

    response = pmo_client.post(draft_url(item), {"text": "As saved", "version": 1}, **HTMX)

    assert response.status_code == 200
    assert "Draft kept" not in response.content.decode()
    assert not MinutesDraft.objects.exists()


def test_discard_brings_back_the_saved_minutes(pmo_client, item):
    AgendaItem.objects.filter(pk=item.pk).update(minutes="As saved", minutes_version=1)
    pmo_client.post(draft_url(item), {"text": "Thrown away", "version": 1}, **HTMX)

    response = pmo_client.post(discard_url(item), follow=True)

    assert not MinutesDraft.objects.exists()
    page = response.content.decode()
    assert "Your draft of item 4 was discarded." in page
    assert "As saved</textarea>" in page
    assert "Thrown away" not in page


@pytest.mark.parametrize("who", ["member", "observer", "chair", "other_secretariat", "anonymous"])
def test_only_the_groups_secretariat_keeps_or_discards_drafts(
    client, request, secretariat, item, who
):
    MinutesDraft.objects.create(item=item, user=secretariat, text="Kept", based_on_version=0)
    if who == "other_secretariat":
        user = make_user("tmagpmo", group=make_group("TMAG"), role=Role.SECRETARIAT)
    elif who != "anonymous":
        user = request.getfixturevalue(who)
    if who != "anonymous":
        client.force_login(user)

    kept = client.post(draft_url(item), {"text": "Sneaky", "version": 0}, **HTMX)
    discarded = client.post(discard_url(item))

    assert kept.status_code in {302, 403, 404}
    assert discarded.status_code in {302, 403, 404}
    assert list(MinutesDraft.objects.values_list("user", "text")) == [(secretariat.pk, "Kept")]


def test_no_draft_once_the_minutes_are_issued(pmo_client, item):
    item.meeting.status = MeetingStatus.MINUTES_ISSUED
    item.meeting.minutes_issue_date = datetime.date(2023, 10, 18)
    item.meeting.save()

    pmo_client.post(draft_url(item), {"text": "Too late", "version": 0}, **HTMX)

    assert not MinutesDraft.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": "No version"},
        {"text": "Bad version", "version": "x"},
        {"text": "Negative", "version": -1},
        {"text": "x" * (MAX_MINUTES_LENGTH + 1), "version": 0},
        {"text": "\x00 nul", "version": 0},
    ],
)
def test_bad_input_is_refused_plainly(pmo_client, item, data):
    response = pmo_client.post(draft_url(item), data, **HTMX)

    assert response.status_code == 400
    assert "Draft not kept" in response.content.decode()
    assert not MinutesDraft.objects.exists()


def test_an_unknown_item_or_a_get_is_refused(pmo_client, item):
    other = reverse("meetings:minutes_draft_save", args=[item.meeting_id, item.pk + 999])
    assert pmo_client.post(other, {"text": "x", "version": 0}).status_code == 404
    assert pmo_client.get(draft_url(item)).status_code == 405
    assert not MinutesDraft.objects.exists()
