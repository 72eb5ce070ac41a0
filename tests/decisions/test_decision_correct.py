"""The secretariat's correction of a proposed decision (/decisions/<reference>/edit/): its
wording and area, until the chair decides it (then only the chair's revision), kept in the
history shown on the decision's page."""

from django.test import TestCase

from core.models import Role
from core.templatetags.audit import who
from core.versions import record_version
from decisions import services
from decisions.models import Decision
from tests.factories import make_group, make_meeting, make_user

PROPOSED = "The SRO agreed CR032 should be issued to Impact Asessment"
CORRECTED = "The SRO agreed CR032 should be issued to Impact Assessment"
# The decision's page with its history (versions, change requests' versions, the records a
# change names), whatever the history's length.
PAGE_QUERIES = 10


def stored(decision):
    return Decision.objects.filter(pk=decision.pk).values().get(), decision.history.count()


class DecisionCorrectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("secretariat", group=cls.dag, role=Role.SECRETARIAT)
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR)
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        cls.observer = make_user("observer", group=cls.dag, role=Role.OBSERVER)
        cls.outsider = make_user("outsider", group=make_group("TMAG"), role=Role.SECRETARIAT)
        cls.decision = services.decision_create(
            group=cls.dag, meeting=make_meeting(cls.dag, number=29), area="CR032", wording=PROPOSED
        )
        cls.url = f"/decisions/{cls.decision.reference}/edit/"
        cls.page = cls.decision.get_absolute_url()

    def data(self, **changes):
        decision = Decision.objects.get(pk=self.decision.pk)
        return {
            "area": decision.area,
            "wording": decision.wording,
            "reason": "",
            "version": record_version(decision),
        } | changes

    def post(self, user, **changes):
        self.client.force_login(user)
        return self.client.post(self.url, self.data(**changes))

    def test_secretariat_corrects_a_proposed_decision_and_the_page_shows_it(self):
        self.client.force_login(self.secretariat)
        assert self.url in self.client.get(self.page).content.decode()

        response = self.post(
            self.secretariat, wording=CORRECTED, area="CR032 IA", reason="Typo in the minutes"
        )

        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        decision = Decision.objects.get(pk=self.decision.pk)
        assert (decision.wording, decision.area) == (CORRECTED, "CR032 IA")
        latest = decision.history.order_by("-history_id").first()
        assert (latest.history_user, latest.history_change_reason) == (
            self.secretariat,
            "Typo in the minutes",
        )
        content = self.client.get(self.page).content.decode()
        history = content[content.index('id="history-heading"') :]
        assert f"by {who(self.secretariat)}," in history
        assert f"<td>{PROPOSED}</td><td>{CORRECTED}</td>" in history
        assert "<td>CR032</td><td>CR032 IA</td>" in history

    def test_once_decided_only_the_chair_corrects_it(self):
        services.decision_approve(decision=self.decision, user=self.chair)
        before = stored(self.decision)
        self.client.force_login(self.secretariat)
        assert self.url not in self.client.get(self.page).content.decode()

        response = self.post(self.secretariat, wording=CORRECTED)

        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        assert stored(self.decision) == before
        messages = self.client.get(self.page).content.decode()
        assert "only the chair corrects its words now" in messages

    def test_member_observer_and_chair_may_not_correct(self):
        before = stored(self.decision)
        for user in (self.member, self.observer, self.chair):
            self.client.force_login(user)
            assert self.client.get(self.url).status_code == 403
            assert self.post(user, wording="Changed").status_code == 403
            assert stored(self.decision) == before

    def test_another_groups_secretariat_gets_404(self):
        before = stored(self.decision)
        self.client.force_login(self.outsider)
        assert self.client.get(self.url).status_code == 404
        assert self.post(self.outsider, wording="Changed").status_code == 404
        assert stored(self.decision) == before

    def test_bad_input_keeps_what_was_typed_with_the_field_error(self):
        before = stored(self.decision)
        response = self.post(self.secretariat, wording="", area="A typed area")

        content = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_wording_error"' in content and "This field is required." in content
        assert 'value="A typed area"' in content
        assert stored(self.decision) == before

    def test_a_stale_save_is_refused_and_the_next_one_wins(self):
        opened = self.data(wording=CORRECTED)
        self.post(self.secretariat, area="Saved by the first editor")
        before = stored(self.decision)

        response = self.client.post(self.url, opened)

        content = response.content.decode()
        assert response.status_code == 200
        assert "after you opened this form, so your changes were not saved" in content
        assert CORRECTED in content
        assert stored(self.decision) == before
        version = record_version(self.decision)
        assert f'name="version" value="{version}"' in content
        response = self.client.post(self.url, opened | {"version": version})
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        assert Decision.objects.get(pk=self.decision.pk).wording == CORRECTED

    def test_the_page_reads_its_history_in_the_same_queries_however_long(self):
        self.client.force_login(self.secretariat)
        self.client.get(self.page)
        for size in (2, 8):
            for n in range(size):
                services.decision_correct(
                    decision=self.decision,
                    version=record_version(self.decision),
                    wording=f"Wording {size}.{n}",
                )
            with self.assertNumQueries(PAGE_QUERIES):
                content = self.client.get(self.page).content.decode()
            assert f"Wording {size}.{size - 1}" in content
