"""Who may approve: only the chair of the decision's group, or a superuser. Members,
observers and the secretariat of the group are refused (403) and change nothing; the chair
of DAG cannot approve a PSG decision (404 when DAG's chair has no role in PSG, 403 when
they are a PSG member); nobody outside a group learns its decisions exist (404)."""

import datetime

from django.test import TestCase

from core.models import Membership, Role
from decisions import services
from decisions.models import CorrespondenceRound, Decision, DecisionStatus, RoundStatus
from meetings.models import Meeting, MeetingStatus
from tests.factories import make_group, make_meeting, make_user


def later(days=10):
    return datetime.date.today() + datetime.timedelta(days=days)


class ApprovalMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag, cls.psg = make_group("DAG"), make_group("PSG")
        cls.users = {
            role: make_user(f"dag-{role}", group=cls.dag, role=role)
            for role in (Role.MEMBER, Role.OBSERVER, Role.SECRETARIAT, Role.CHAIR)
        }
        cls.psg_chair = make_user("psg-chair", group=cls.psg, role=Role.CHAIR)
        make_user("psg-member", group=cls.psg, role=Role.MEMBER)
        cls.superuser = make_user("admin", superuser=True)
        cls.decisions = {
            group.code: services.decision_create(group=group, wording=f"{group.code} agreed")
            for group in (cls.dag, cls.psg)
        }
        cls.minutes = {
            group.code: make_meeting(group, status=MeetingStatus.MINUTES_ISSUED)
            for group in (cls.dag, cls.psg)
        }
        cls.corrected = {}
        cls.rounds = {}
        for group in (cls.dag, cls.psg):
            approved = services.decision_create(group=group, wording="Approved words")
            cls.corrected[group.code] = services.decision_approve(
                decision=approved, user=cls.superuser
            )
            out = services.decision_create(group=group, wording="Out for correspondence")
            cls.rounds[group.code] = services.correspondence_round_open(
                group=group, title="Round", deadline=later(), user=cls.superuser, decisions=[out]
            )

    def attempts(self, code):
        """(method, url, data) of every approval step on group `code`'s records."""
        decision, meeting = self.decisions[code], self.minutes[code]
        round_ = self.rounds[code]
        outcome = {f"outcome_{d.pk}": "approve" for d in round_.decisions.all()}
        return [
            ("get", f"/decisions/{decision.reference}/approve/", None),
            ("post", f"/decisions/{decision.reference}/approve/", {"outcome": "approve"}),
            ("get", f"/decisions/minutes/{meeting.pk}/approve/", None),
            ("post", f"/decisions/minutes/{meeting.pk}/approve/", {"headline": "on"}),
            ("get", f"/decisions/{self.corrected[code].reference}/correct/", None),
            (
                "post",
                f"/decisions/{self.corrected[code].reference}/correct/",
                {"wording": "New words", "reason": "Because"},
            ),
            ("post", f"/decisions/correspondence/{round_.pk}/conclude/", outcome),
        ]

    def assert_nothing_changed(self):
        self.assertFalse(
            Decision.objects.filter(wording__endswith=" agreed")
            .exclude(status=DecisionStatus.PROPOSED)
            .exists()
        )
        self.assertFalse(
            Meeting.objects.filter(pk__in=[m.pk for m in self.minutes.values()])
            .exclude(status=MeetingStatus.MINUTES_ISSUED)
            .exists()
        )
        self.assertFalse(CorrespondenceRound.objects.exclude(status=RoundStatus.OPEN).exists())
        self.assertFalse(Decision.objects.filter(revisions__isnull=False).exists())
        self.assertEqual(Decision.objects.count(), 6)

    def run_attempts(self, user, code, expected):
        self.client.force_login(user)
        for method, url, data in self.attempts(code):
            with self.subTest(user=user.username, url=url, method=method):
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, expected)

    def test_members_observers_and_the_secretariat_cannot_approve(self):
        for role in (Role.MEMBER, Role.OBSERVER, Role.SECRETARIAT):
            self.run_attempts(self.users[role], "DAG", 403)
        self.assert_nothing_changed()

    def test_nobody_outside_the_group_learns_of_its_records(self):
        self.run_attempts(self.users[Role.MEMBER], "PSG", 404)
        self.assert_nothing_changed()

    def test_the_chair_of_dag_cannot_approve_a_psg_decision(self):
        self.run_attempts(self.users[Role.CHAIR], "PSG", 404)
        self.assert_nothing_changed()

    def test_the_chair_of_dag_who_sits_on_psg_still_cannot_approve_for_psg(self):
        chair = self.users[Role.CHAIR]
        Membership.objects.create(group=self.psg, person=chair.person, role=Role.MEMBER)

        self.run_attempts(chair, "PSG", 403)
        self.assert_nothing_changed()

    def test_a_chair_whose_membership_ended_cannot_approve(self):
        Membership.objects.filter(group=self.dag, role=Role.CHAIR).update(active=False)

        self.run_attempts(self.users[Role.CHAIR], "DAG", 404)
        self.assert_nothing_changed()

    def test_the_chair_of_the_group_can(self):
        self.client.force_login(self.users[Role.CHAIR])
        for method, url, data in self.attempts("DAG"):
            with self.subTest(url=url, method=method):
                response = getattr(self.client, method)(url, data)
                self.assertIn(response.status_code, (200, 302))
        self.assert_all_done("DAG")

    def test_a_superuser_can_approve_for_any_group(self):
        self.client.force_login(self.superuser)
        for code in ("DAG", "PSG"):
            for method, url, data in self.attempts(code):
                with self.subTest(code=code, url=url, method=method):
                    response = getattr(self.client, method)(url, data)
                    self.assertIn(response.status_code, (200, 302))
            self.assert_all_done(code)

    def assert_all_done(self, code):
        self.assertEqual(
            Decision.objects.get(pk=self.decisions[code].pk).status, DecisionStatus.APPROVED
        )
        self.assertEqual(
            Meeting.objects.get(pk=self.minutes[code].pk).status, MeetingStatus.MINUTES_APPROVED
        )
        self.assertTrue(Decision.objects.get(pk=self.corrected[code].pk).revisions.exists())
        self.assertEqual(
            CorrespondenceRound.objects.get(pk=self.rounds[code].pk).status, RoundStatus.CONCLUDED
        )

    def test_only_chairs_have_a_queue(self):
        for role in (Role.MEMBER, Role.OBSERVER, Role.SECRETARIAT):
            self.client.force_login(self.users[role])
            with self.subTest(role=role):
                self.assertEqual(self.client.get("/decisions/queue/").status_code, 403)
                self.assertNotContains(self.client.get("/decisions/"), "Chair's queue")
        for user in (self.users[Role.CHAIR], self.psg_chair, self.superuser):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/decisions/queue/").status_code, 200)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for method, url, data in self.attempts("DAG") + [("get", "/decisions/queue/", None)]:
            with self.subTest(url=url, method=method):
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/accounts/login/?next="))
        self.assert_nothing_changed()


class RecordingMatrixTests(TestCase):
    """Only the secretariat records proposed decisions and opens correspondence rounds."""

    @classmethod
    def setUpTestData(cls):
        cls.dag, cls.psg = make_group("DAG"), make_group("PSG")
        cls.users = {
            role: make_user(f"dag-{role}", group=cls.dag, role=role)
            for role in (Role.MEMBER, Role.OBSERVER, Role.SECRETARIAT, Role.CHAIR)
        }

    def test_only_the_secretariat_records_decisions_and_opens_rounds(self):
        for role, expected in (
            (Role.MEMBER, 403),
            (Role.OBSERVER, 403),
            (Role.CHAIR, 403),
            (Role.SECRETARIAT, 200),
        ):
            self.client.force_login(self.users[role])
            with self.subTest(role=role):
                self.assertEqual(self.client.get("/decisions/new/").status_code, expected)
                response = self.client.get("/decisions/correspondence/new/?group=DAG")
                self.assertEqual(response.status_code, expected)
                response = self.client.post(
                    "/decisions/new/", {"group": self.dag.pk, "wording": "Agreed"}
                )
                self.assertEqual(response.status_code, 302 if expected == 200 else expected)
        self.assertEqual(Decision.objects.count(), 1)

    def test_the_secretariat_of_dag_cannot_open_a_psg_round_or_record_for_psg(self):
        self.client.force_login(self.users[Role.SECRETARIAT])

        self.assertEqual(
            self.client.get("/decisions/correspondence/new/?group=PSG").status_code, 404
        )
        response = self.client.post("/decisions/new/", {"group": self.psg.pk, "wording": "Agreed"})

        self.assertContains(response, "Select a valid choice")
        self.assertFalse(Decision.objects.exists())
