"""The secretariat's correction of an action (/actions/<reference>/correct/): its text,
owners, area, due date and date raised, kept in the history shown on the action's page."""

import datetime

from django.test import TestCase
from django.utils import timezone

from actions.models import Action, DueKind
from actions.services import action_add_update, action_correct
from core.models import Role
from core.versions import record_version
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
# The action's page, history included: the session, the user and roles, the action, its
# owners, updates, links (the RAID reviews it was raised from among them), the uses of its
# email links, and the history (versions, owners' versions, the people named).
PAGE_QUERIES = 17


def snapshot(action):
    action = Action.objects.get(pk=action.pk)
    owners = list(action.ownerships.values_list("person__name", flat=True))
    return (
        action.text,
        action.area,
        action.owner_party,
        action.due_kind,
        action.due_date,
        action.date_raised,
        owners,
        action.history.count(),
    )


class ActionCorrectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user(
            "secretariat", group=cls.dag, role=Role.SECRETARIAT, person_name="Sam Secretary"
        )
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR)
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER, person_name="Lee Cox")
        cls.observer = make_user("observer", group=cls.dag, role=Role.OBSERVER)
        cls.outsider = make_user("outsider", group=make_group("TMAG"), role=Role.SECRETARIAT)
        cls.paul = make_person("Paul Pettitt")
        cls.jo = make_person("Jo Bloggs")
        cls.meeting = make_meeting(cls.dag, number=29, date=TODAY - 20 * DAY)
        cls.action = make_action(
            cls.meeting,
            reference="DAG29-02",
            text="Programme to isue the PPIR",
            area="Agenda item 4",
            owners=[cls.member.person, cls.paul],
            owner_party="Programme",
            due_date=TODAY + 10 * DAY,
        )
        cls.url = f"/actions/{cls.action.reference}/correct/"
        cls.page = f"/actions/{cls.action.reference}/"

    def data(self, **changes):
        action = Action.objects.get(pk=self.action.pk)
        data = {
            "text": action.text,
            "owners": [str(pk) for pk in action.ownerships.values_list("person_id", flat=True)],
            "owner_party": action.owner_party,
            "area": action.area,
            "due_kind": action.due_kind,
            "due_date": f"{action.due_date:%Y-%m-%d}" if action.due_date else "",
            "date_raised": f"{action.date_raised:%Y-%m-%d}",
            "reason": "",
            "version": record_version(action),
        }
        return data | changes

    def post(self, user, **changes):
        self.client.force_login(user)
        return self.client.post(self.url, self.data(**changes))

    def test_secretariat_corrects_and_the_page_shows_old_and_new(self):
        self.client.force_login(self.secretariat)
        assert self.client.get(self.page).content.decode().count(self.url) == 1
        form_page = self.client.get(self.url)
        assert form_page.status_code == 200
        assert "Programme to isue the PPIR" in form_page.content.decode()
        versions = self.action.history.count()

        response = self.post(
            self.secretariat,
            text="Programme to issue the PPIR",
            owners=[str(self.paul.pk), str(self.jo.pk)],
            area="Agenda item 5",
            due_date=f"{TODAY + 30 * DAY:%Y-%m-%d}",
            date_raised=f"{TODAY - 21 * DAY:%Y-%m-%d}",
            reason="Mistyped in the minutes",
        )

        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        action = Action.objects.get(pk=self.action.pk)
        assert action.text == "Programme to issue the PPIR"
        assert action.area == "Agenda item 5"
        assert (action.due_date, action.date_raised) == (TODAY + 30 * DAY, TODAY - 21 * DAY)
        # Paul stays first; Jo, new, follows; Lee, removed, is gone.
        assert list(action.ownerships.values_list("person__name", flat=True)) == [
            "Paul Pettitt",
            "Jo Bloggs",
        ]
        latest = action.history.order_by("-history_id").first()
        assert latest.history_user == self.secretariat
        assert latest.history_change_reason == "Mistyped in the minutes"
        assert action.history.count() == versions + 1  # one version for the whole correction

        content = self.client.get(self.page).content.decode()
        history = content[content.index('id="history-heading"') :]
        assert "by Sam Secretary" in history
        assert "Mistyped in the minutes" in history
        for old, new in [
            ("Programme to isue the PPIR", "Programme to issue the PPIR"),
            ("Agenda item 4", "Agenda item 5"),
            ("Lee Cox, Paul Pettitt", "Paul Pettitt, Jo Bloggs"),
            (f"{TODAY + 10 * DAY:%d/%m/%Y}", f"{TODAY + 30 * DAY:%d/%m/%Y}"),
            (f"{TODAY - 20 * DAY:%d/%m/%Y}", f"{TODAY - 21 * DAY:%d/%m/%Y}"),
        ]:
            assert f"<td>{old}</td><td>{new}</td>" in history, (old, new)

    def test_due_asap_clears_the_date(self):
        response = self.post(self.secretariat, due_kind=DueKind.ASAP)

        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        action = Action.objects.get(pk=self.action.pk)
        assert (action.due_kind, action.due_date) == (DueKind.ASAP, None)

    def test_an_untouched_form_adds_no_version(self):
        before = snapshot(self.action)
        self.post(self.secretariat)
        assert snapshot(self.action) == before

    def test_member_observer_and_chair_may_not_correct(self):
        before = snapshot(self.action)
        for user in (self.member, self.observer, self.chair):
            self.client.force_login(user)
            assert self.client.get(self.url).status_code == 403
            assert self.url not in self.client.get(self.page).content.decode()
            response = self.post(user, text="Changed by someone else")
            assert response.status_code == 403, user
            assert snapshot(self.action) == before

    def test_another_groups_secretariat_gets_404(self):
        before = snapshot(self.action)
        self.client.force_login(self.outsider)
        assert self.client.get(self.url).status_code == 404
        assert self.post(self.outsider, text="Changed elsewhere").status_code == 404
        assert snapshot(self.action) == before

    def test_bad_input_keeps_what_was_typed_with_the_error_at_the_field(self):
        before = snapshot(self.action)
        cases = [
            ("due_date", {"due_kind": DueKind.DATE, "due_date": ""}, "Give a due date"),
            ("due_date", {"due_date": "31/02/2024"}, "Enter a valid date."),
            (
                "due_date",
                {"due_date": f"{TODAY - 30 * DAY:%Y-%m-%d}"},
                "cannot be before the action was raised",
            ),
            ("date_raised", {"date_raised": f"{TODAY + DAY:%Y-%m-%d}"}, "cannot be in the future"),
            ("text", {"text": ""}, "This field is required."),
        ]
        for field, changes, message in cases:
            response = self.post(self.secretariat, area="A typed area that must survive", **changes)
            assert response.status_code == 200, field
            content = response.content.decode()
            error = content[content.index(f'id="id_{field}_error"') :]
            assert message in error[: error.index("</p>")], (field, message)
            assert 'value="A typed area that must survive"' in content
            assert snapshot(self.action) == before

    def test_date_raised_cannot_follow_an_update(self):
        action_add_update(action=self.action, text="Drafted", date=TODAY - 15 * DAY)
        response = self.post(self.secretariat, date_raised=f"{TODAY - 10 * DAY:%Y-%m-%d}")
        assert response.status_code == 200
        assert "has an update of" in response.content.decode()

    def test_a_stale_save_is_refused_and_the_next_one_wins(self):
        stale = self.data(text="Typed by the second editor")
        # The first editor saves after the second opened the form.
        self.post(self.secretariat, area="Saved by the first editor")
        before = snapshot(self.action)

        self.client.force_login(self.secretariat)
        response = self.client.post(self.url, stale)

        assert response.status_code == 200
        content = response.content.decode()
        assert "was changed by Sam Secretary" in content
        assert "your changes were not saved" in content
        assert "Typed by the second editor" in content
        assert snapshot(self.action) == before
        # Resubmitted knowingly (with the version the refusal gave), it saves.
        version = record_version(self.action)
        assert f'name="version" value="{version}"' in content
        response = self.client.post(self.url, stale | {"version": version})
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        assert Action.objects.get(pk=self.action.pk).text == "Typed by the second editor"

    def test_the_history_is_read_in_the_same_queries_however_long(self):
        self.client.force_login(self.secretariat)

        def correct(times):
            for n in range(times):
                action_correct(
                    action=self.action,
                    version=record_version(self.action),
                    text=f"Version {n}",
                    owners=[self.paul] if n % 2 else [self.jo, self.paul],
                )

        correct(2)
        with self.assertNumQueries(PAGE_QUERIES):
            self.client.get(self.page)
        correct(6)
        assert self.action.history.count() == 10  # raised (2), corrected 8 times
        with self.assertNumQueries(PAGE_QUERIES):
            response = self.client.get(self.page)
        assert "Version 5" in response.content.decode()
