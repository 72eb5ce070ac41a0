"""Writing the minutes of a meeting: per-item saves (htmx and plain), the refused stale
save, and actions, decisions and RAID items raised inline."""

import datetime
import re

import pytest
from django.test import TestCase
from django.urls import reverse

from actions.models import Action, ActionStatus, DueKind
from core.models import Role
from decisions.models import Decision, DecisionStatus
from decisions.services import decision_create
from meetings.models import AgendaItem, MeetingStatus
from raid.models import RaidReview
from raid.services import raid_item_create
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dag():
    return make_group("DAG", name="Design Advisory Group", programme_label="MHHS")


@pytest.fixture
def secretariat(dag):
    return make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")


@pytest.fixture
def meeting(dag):
    meeting = make_meeting(
        dag, number=29, date=datetime.date(2023, 10, 11), status=MeetingStatus.HELD
    )
    make_meeting(dag, number=30, date=datetime.date(2023, 11, 8))
    return meeting


@pytest.fixture
def item(meeting):
    return AgendaItem.objects.create(
        meeting=meeting, number="4", order=4, title="CR032 Impact Assessment"
    )


@pytest.fixture
def pmo_client(client, secretariat):
    client.force_login(secretariat)
    return client


def save_url(item):
    return reverse("meetings:minutes_save", args=[item.meeting_id, item.pk])


def record_url(item, kind):
    return reverse("meetings:inline_record", args=[item.meeting_id, item.pk, kind])


def test_htmx_save_keeps_the_editor_and_returns_version_status_and_preview(pmo_client, item):
    action = make_action(item.meeting)
    text = f"NGESO presented **CR032**; see {action.reference}.\n\n<script>alert(1)</script>"

    response = pmo_client.post(save_url(item), {"text": text, "version": 0}, **HTMX)

    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.minutes, item.minutes_version) == (text, 1)
    item.meeting.refresh_from_db()
    assert item.meeting.status == MeetingStatus.MINUTES_DRAFT
    content = response.content.decode()
    # Only out-of-band pieces: the textarea the user types in is never replaced.
    assert "<textarea" not in content
    assert re.search(rf'name="version" value="1" id="item{item.pk}_version" hx-swap-oob', content)
    assert "Saved at" in content
    assert "<strong>CR032</strong>" in content
    assert f'<a href="/actions/{action.reference}/">{action.reference}</a>' in content
    assert "<script>" not in content


def test_plain_save_redirects_back_to_the_item(pmo_client, item):
    response = pmo_client.post(save_url(item), {"text": "Approved.", "version": 0})

    assert response.status_code == 302
    assert response["Location"].endswith(f"/minutes/write/#item-{item.pk}")
    item.refresh_from_db()
    assert item.minutes == "Approved."


def test_windows_newlines_are_stored_as_newlines(pmo_client, item):
    pmo_client.post(save_url(item), {"text": "One\r\n\r\nTwo", "version": 0})
    item.refresh_from_db()
    assert item.minutes == "One\n\nTwo"


def test_a_stale_save_is_refused_showing_both_texts_and_losing_nothing(pmo_client, item):
    pmo_client.post(save_url(item), {"text": "Their words", "version": 0}, **HTMX)

    response = pmo_client.post(save_url(item), {"text": "My words", "version": 0}, **HTMX)

    item.refresh_from_db()
    assert (item.minutes, item.minutes_version) == ("Their words", 1)
    content = response.content.decode()
    assert "Not saved: someone else saved" in content
    assert "Their words" in content
    assert "Saved at" not in content
    # The editor keeps "My words" (it is not replaced); the next save is made knowingly.
    assert re.search(rf'name="version" value="1" id="item{item.pk}_version"', content)
    pmo_client.post(save_url(item), {"text": "Their words and mine", "version": 1}, **HTMX)
    item.refresh_from_db()
    assert (item.minutes, item.minutes_version) == ("Their words and mine", 2)


def test_a_stale_plain_save_shows_the_page_with_both_texts(pmo_client, item):
    pmo_client.post(save_url(item), {"text": "Their words", "version": 0})

    response = pmo_client.post(save_url(item), {"text": "My words", "version": 0})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Not saved: someone else saved" in content
    assert ">Their words</textarea>" in content
    assert ">My words</textarea>" in content
    assert re.search(rf'name="version" value="1"[^>]*id="item{item.pk}_version"', content)


def test_saving_unchanged_text_does_not_bump_the_version(pmo_client, item):
    pmo_client.post(save_url(item), {"text": "Same", "version": 0})
    pmo_client.post(save_url(item), {"text": "Same", "version": 1})
    item.refresh_from_db()
    assert item.minutes_version == 1


def test_a_broken_form_keeps_the_text_and_says_why(pmo_client, item):
    response = pmo_client.post(save_url(item), {"text": "Kept", "version": "x"})

    assert response.status_code == 200
    assert ">Kept</textarea>" in response.content.decode()
    assert "Enter a whole number." in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == ""


def test_raise_action_inline_gets_its_reference_and_an_action_line(pmo_client, item):
    owner = make_person("Daniel Arrowsmith")
    form = pmo_client.get(record_url(item, "action"), **HTMX).content.decode()
    # Due by default at the next meeting; area from the item.
    assert 'value="08/11/2023"' in form
    assert 'value="CR032 Impact Assessment"' in form

    response = pmo_client.post(
        record_url(item, "action"),
        {
            f"action{item.pk}-text": "NGESO to amend CR032 and resubmit",
            f"action{item.pk}-area": "CR032 Impact Assessment",
            f"action{item.pk}-owners": [owner.pk],
            f"action{item.pk}-owner_party": "NGESO Representative",
            f"action{item.pk}-due_kind": DueKind.DATE,
            f"action{item.pk}-due_date": "2023-10-13",
        },
        **HTMX,
    )

    action = Action.objects.get(agenda_item=item)
    assert action.reference == "DAG29-01"
    assert action.owner_display() == "NGESO Representative (Daniel Arrowsmith)"
    assert action.due_date == datetime.date(2023, 10, 13)
    assert action.date_raised == item.meeting.date
    content = response.content.decode()
    assert "ACTION DAG29-01 raised." in content
    assert '<strong>ACTION <a href="/actions/DAG29-01/">DAG29-01</a>:</strong>' in content
    # The typed minutes are untouched: the line comes from the record.
    item.refresh_from_db()
    assert item.minutes == ""


def test_raise_action_asap_with_a_party_only(pmo_client, item):
    pmo_client.post(
        record_url(item, "action"),
        {
            f"action{item.pk}-text": "Programme to provide link to RAID form",
            f"action{item.pk}-owner_party": "Programme (PMO)",
            f"action{item.pk}-due_kind": DueKind.ASAP,
            f"action{item.pk}-due_date": "2023-11-08",
        },
    )
    action = Action.objects.get(agenda_item=item)
    assert (action.due_kind, action.due_date, action.due_display()) == ("asap", None, "ASAP")


def test_raise_action_without_an_owner_is_refused_keeping_the_input(pmo_client, item):
    response = pmo_client.post(
        record_url(item, "action"),
        {
            f"action{item.pk}-text": "Someone to do something",
            f"action{item.pk}-due_kind": DueKind.DATE,
            f"action{item.pk}-due_date": "2023-10-01",
        },
        **HTMX,
    )
    content = response.content.decode()
    assert "Name an owner" in content
    assert "An action cannot be due before it was raised." in content
    assert "Someone to do something</textarea>" in content
    assert not Action.objects.exists()


def test_record_decision_inline_is_proposed(pmo_client, item):
    response = pmo_client.post(
        record_url(item, "decision"),
        {
            f"decision{item.pk}-wording": "The SRO agreed CR032 should be issued to IA",
            f"decision{item.pk}-area": "CR032 Impact Assessment",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.meeting_id == item.meeting_id
    page = pmo_client.get(response["Location"]).content.decode()
    assert f'DECISION <a href="/decisions/{decision.reference}/">{decision.reference}</a>' in page


def test_raid_item_discussed_inline(pmo_client, item, dag):
    risk = raid_item_create(title="Risks not linked to milestones", group=dag)
    response = pmo_client.post(
        record_url(item, "raid"),
        {
            f"raid{item.pk}-raid_item": risk.pk,
            f"raid{item.pk}-discussion": "FM advised risks will be linked where possible",
            f"raid{item.pk}-conclusion": "Noted",
        },
        **HTMX,
    )
    review = RaidReview.objects.get()
    assert (review.raid_item, review.agenda_item, review.conclusion) == (risk, item, "Noted")
    assert f"RAID item {risk.reference} recorded as discussed." in response.content.decode()


def test_an_action_line_already_typed_is_not_repeated(pmo_client, item):
    action = make_action(item.meeting, agenda_item=item, text="NGESO to amend CR032")
    item.minutes = f"Discussed.\n\nACTION {action.reference}: NGESO to amend CR032\n"
    item.save()

    page = pmo_client.get(reverse("meetings:minutes_write", args=[item.meeting_id]))

    assert page.content.decode().count(f"ACTION {action.reference}") == 1


def test_members_may_read_but_not_write(client, dag, item):
    client.force_login(make_user(group=dag, role=Role.MEMBER))
    assert client.get(reverse("meetings:minutes_write", args=[item.meeting_id])).status_code == 403
    assert client.post(save_url(item), {"text": "x", "version": 0}).status_code == 403
    assert client.get(record_url(item, "action")).status_code == 403
    item.refresh_from_db()
    assert item.minutes == ""


def test_another_groups_meeting_is_404(client, item):
    client.force_login(make_user(group=make_group("TMAG"), role=Role.SECRETARIAT))
    assert client.get(reverse("meetings:minutes_write", args=[item.meeting_id])).status_code == 404
    assert client.post(save_url(item), {"text": "x", "version": 0}).status_code == 404


def test_an_unknown_record_kind_is_404(pmo_client, item):
    assert pmo_client.get(record_url(item, "banana")).status_code == 404


def test_issued_minutes_refuse_every_edit(pmo_client, item):
    item.meeting.status = MeetingStatus.MINUTES_ISSUED
    item.meeting.save()

    saved = pmo_client.post(save_url(item), {"text": "Late change", "version": 0}, **HTMX)
    raised = pmo_client.post(
        record_url(item, "decision"), {f"decision{item.pk}-wording": "Too late"}
    )
    page = pmo_client.get(reverse("meetings:minutes_write", args=[item.meeting_id]))

    assert saved["HX-Redirect"] == item.meeting.get_absolute_url()
    assert raised.status_code == 302 and page.status_code == 302
    item.refresh_from_db()
    assert item.minutes == ""
    assert not Decision.objects.exists()
    assert "read-only" in pmo_client.get(page["Location"]).content.decode()


# Pinned: session, user, the meeting, roles; then items, actions, decisions, RAID
# reviews, one query per reference type named in the text, and the user's drafts.
WRITE_PAGE_QUERIES = 14


class WritePageQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        dag = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
        cls.secretariat = make_user("pmo", group=dag, role=Role.SECRETARIAT)
        cls.meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))

    def add_items(self, count):
        start = self.meeting.agenda_items.count() + 1
        for n in range(start, start + count):
            item = AgendaItem.objects.create(
                meeting=self.meeting, number=str(n), order=n, title=f"Item {n}"
            )
            action = make_action(self.meeting, agenda_item=item, owners=[make_person()])
            decision_create(
                group=self.meeting.group, meeting=self.meeting, agenda_item=item, wording="Agreed"
            )
            item.minutes = f"See {action.reference}, DAG-DEC{n} and CR032."
            item.save()

    def test_write_page(self):
        """Each item's ACTION and DECISION lines, RAID items and reference links come in
        one query per record type, not one per item (the N+1 on actions, decisions, RAID
        reviews and reference links)."""
        self.client.force_login(self.secretariat)
        url = reverse("meetings:minutes_write", args=[self.meeting.pk])
        self.add_items(2)
        with self.assertNumQueries(WRITE_PAGE_QUERIES):
            self.assertEqual(self.client.get(url).status_code, 200)
        self.add_items(15)
        with self.assertNumQueries(WRITE_PAGE_QUERIES):
            self.assertEqual(self.client.get(url).status_code, 200)


def test_closed_actions_still_show_their_line(pmo_client, item):
    action = make_action(item.meeting, agenda_item=item)
    action.status = ActionStatus.CLOSED
    action.closed_date = item.meeting.date
    action.save()
    page = pmo_client.get(reverse("meetings:minutes_write", args=[item.meeting_id]))
    assert f'ACTION <a href="/actions/{action.reference}/">' in page.content.decode()
