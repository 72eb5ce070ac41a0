"""Posting an update on an action's page (/actions/<reference>/update/): owners, the chair
and the secretariat; who may close, reopen and move the due date."""

import datetime

from django.test import TestCase
from django.utils import timezone

from actions.models import Action, ActionStatus, UpdateSource
from actions.services import action_add_update
from core.models import Role
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


class ActionUpdateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.owner = make_user("owner", group=cls.dag, role=Role.MEMBER, person_name="Lee Cox")
        cls.other_member = make_user("other", group=cls.dag, role=Role.MEMBER)
        cls.observer = make_user("observer", group=cls.dag, role=Role.OBSERVER)
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR)
        cls.secretariat = make_user("secretariat", group=cls.dag, role=Role.SECRETARIAT)
        cls.outsider = make_user("outsider", group=make_group("TMAG"), role=Role.SECRETARIAT)
        cls.meeting = make_meeting(cls.dag, number=29, date=TODAY - 20 * DAY)
        cls.action = make_action(
            cls.meeting,
            reference="DAG29-02",
            owners=[cls.owner.person, make_person("Paul Pettitt")],
            owner_party="Programme",
            due_date=TODAY + 10 * DAY,
        )
        cls.url = f"/actions/{cls.action.reference}/update/"
        cls.page = f"/actions/{cls.action.reference}/"

    def post(self, user, headers=None, **data):
        self.client.force_login(user)
        data.setdefault("date", f"{TODAY:%d/%m/%Y}")
        return self.client.post(self.url, data, headers=headers or {})

    def refreshed(self):
        return Action.objects.get(pk=self.action.pk)

    def test_owner_recommends_closure(self):
        response = self.post(self.owner, text="PPIR issued", status="recommend_closed")

        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        action = self.refreshed()
        assert action.status == ActionStatus.RECOMMEND_CLOSED
        update = action.updates.get()
        assert (update.text, update.author, update.recorded_by) == (
            "PPIR issued",
            self.owner.person,
            self.owner,
        )
        assert (update.status_set, update.source) == ("recommend_closed", UpdateSource.WEB)
        content = self.client.get(self.page).content.decode()
        assert "Update to DAG29-02 posted." in content
        assert "PPIR issued" in content

    def test_owner_sees_the_form_without_closed(self):
        self.client.force_login(self.owner)
        content = self.client.get(self.page).content.decode()
        assert "Post an update" in content
        assert 'value="recommend_closed"' in content and 'value="ongoing"' in content
        assert 'value="closed"' not in content

    def test_owner_cannot_close(self):
        response = self.post(self.owner, text="Done", status="closed")

        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert self.refreshed().status == ActionStatus.OPEN
        assert not self.action.updates.exists()

    def test_owner_only_asks_for_a_new_due_date(self):
        new_due = TODAY + 30 * DAY
        self.post(self.owner, text="Needs more time", due_date=new_due.isoformat())

        action = self.refreshed()
        assert action.due_date == TODAY + 10 * DAY
        assert action.updates.get().text == (
            f"Needs more time\n\nRequests the due date be moved to {new_due:%d/%m/%Y}."
        )

    def test_secretariat_moves_the_due_date(self):
        new_due = TODAY + 30 * DAY
        old_due = self.action.due_date
        self.post(self.secretariat, text="Agreed at DAG", due_date=f"{new_due:%d/%m/%Y}")

        action = self.refreshed()
        assert action.due_date == new_due
        assert action.updates.get().text == (
            f"Agreed at DAG\n\nDue date changed from {old_due:%d/%m/%Y} to {new_due:%d/%m/%Y}."
        )

    def test_chair_closes_at_a_meeting(self):
        closing = make_meeting(self.dag, number=30, date=TODAY - DAY)
        date = TODAY - DAY
        self.post(
            self.chair, text="Closed", status="closed", meeting=closing.pk, date=date.isoformat()
        )

        action = self.refreshed()
        assert action.status == ActionStatus.CLOSED
        assert (action.closed_date, action.closed_meeting) == (date, closing)
        assert action.updates.get().meeting == closing

    def test_secretariat_closes_without_a_meeting(self):
        self.post(self.secretariat, text="Closed by email", status="closed")
        action = self.refreshed()
        assert (action.status, action.closed_date, action.closed_meeting) == ("closed", TODAY, None)

    def test_closed_action_is_reopened_only_by_chair_or_secretariat(self):
        action_add_update(action=self.action, text="Done", date=TODAY, status="closed")
        self.client.force_login(self.owner)
        assert "Post an update" not in self.client.get(self.page).content.decode()
        assert self.post(self.owner, text="Still open").status_code == 403

        self.post(self.chair, text="Reopened: not done after all", status="open")
        action = self.refreshed()
        assert (action.status, action.closed_date) == (ActionStatus.OPEN, None)

    def test_member_cannot_update_others_actions(self):
        self.client.force_login(self.other_member)
        assert "Post an update" not in self.client.get(self.page).content.decode()
        assert self.post(self.other_member, text="Not mine").status_code == 403
        assert self.post(self.observer, text="Just looking").status_code == 403
        assert not self.action.updates.exists()

    def test_other_groups_action_is_404(self):
        assert self.post(self.outsider, text="Hello").status_code == 404
        self.client.force_login(self.outsider)
        assert self.client.get(self.page).status_code == 404

    def test_bad_input_is_shown_next_to_the_fields_and_kept(self):
        response = self.post(
            self.owner,
            text="",
            status="ongoing",
            date=(TODAY + DAY).isoformat(),
            meeting="not-a-number",
            due_date="31/02/2025",
        )

        assert response.status_code == 200
        content = response.content.decode()
        assert "This field is required." in content
        assert "An update cannot be dated in the future." in content
        assert "Enter a valid date." in content
        assert 'value="ongoing" id="id_status_1" checked' in content
        assert not self.action.updates.exists()

    def test_update_older_than_the_action_is_refused(self):
        response = self.post(self.owner, text="Old", date="01/01/2000")
        assert "an update cannot be older" in response.content.decode()

    def test_meeting_of_another_group_is_refused(self):
        elsewhere = make_meeting(make_group("TMAG"), number=3)
        response = self.post(self.secretariat, text="x", meeting=elsewhere.pk)
        assert "Select a valid choice" in response.content.decode()

    def test_htmx_swaps_the_action_body(self):
        response = self.post(
            self.owner, headers={"HX-Request": "true"}, text="Under way", status="ongoing"
        )

        content = response.content.decode()
        assert response.status_code == 200
        assert content.lstrip().startswith('<div id="action-body">')
        assert "Update to DAG29-02 posted." in content
        assert "Under way" in content and ">ONGOING</span>" in content
        invalid = self.post(self.owner, headers={"HX-Request": "true"}, text="")
        assert invalid.content.decode().lstrip().startswith('<div id="action-body">')
        assert "This field is required." in invalid.content.decode()

    def test_get_is_not_allowed_and_anonymous_must_log_in(self):
        self.client.force_login(self.owner)
        assert self.client.get(self.url).status_code == 405
        self.client.logout()
        response = self.client.post(self.url, {"text": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
