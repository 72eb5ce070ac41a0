"""Recording and approving a decision: the secretariat records a proposed decision
(/decisions/new/); the chair approves it as worded, with amended wording (both kept) or
rejects it, with a comment (/decisions/<ref>/approve/); approved words never change and a
correction is a revision with its reason (/decisions/<ref>/correct/)."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from changerequests.services import change_request_create
from core.models import Role
from decisions import services
from decisions.models import Decision, DecisionRevision, DecisionStatus
from meetings.models import Meeting, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_user

PROPOSED = (
    "The SRO agreed CR032 (Change to Interface IF-165 P0210 TUoS Reporting) should be issued "
    "to Impact Assessment"
)
AMENDED = PROPOSED + ", subject to amendments to be undertaken by the Change Raiser"


def approve_url(decision):
    return f"/decisions/{decision.reference}/approve/"


class ApproveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR, person_name="Ian Smith")
        cls.meeting = make_meeting(cls.dag, number=29)
        cls.decision = services.decision_create(
            group=cls.dag, meeting=cls.meeting, area="CR032 Impact Assessment", wording=PROPOSED
        )

    def setUp(self):
        self.client.force_login(self.chair)

    def reload(self):
        return Decision.objects.get(pk=self.decision.pk)

    def test_the_page_shows_the_proposed_words_and_the_choices(self):
        response = self.client.get(approve_url(self.decision))

        self.assertContains(response, PROPOSED)
        for label in ("Approve as worded", "Approve with amended wording", "Reject"):
            self.assertContains(response, label)

    def test_approve_as_worded_records_who_when_and_the_words(self):
        before = timezone.now()

        response = self.client.post(
            approve_url(self.decision),
            {"outcome": "approve", "wording": PROPOSED, "comment": "No objections."},
            follow=True,
        )

        self.assertRedirects(response, "/decisions/queue/")
        self.assertContains(response, f"{self.decision.reference} approved.")
        decision = self.reload()
        self.assertEqual(decision.status, DecisionStatus.APPROVED)
        self.assertEqual(decision.wording, PROPOSED)
        self.assertEqual(decision.proposed_wording, "")
        self.assertEqual(decision.decided_by, self.chair.person)
        self.assertEqual(decision.decided_by_user, self.chair)
        self.assertTrue(before <= decision.decided_at <= timezone.now())
        self.assertEqual(decision.approval_comment, "No objections.")
        self.assertFalse(decision.by_correspondence)

        page = self.client.get(decision.get_absolute_url())
        self.assertContains(page, "Wording as approved")
        self.assertContains(page, "Ian Smith")
        self.assertContains(
            page, timezone.localtime(decision.decided_at).strftime("%d/%m/%Y %H:%M")
        )
        self.assertContains(page, "At DAG029")
        self.assertNotContains(page, "Wording as proposed")

    def test_approve_with_amended_wording_keeps_both(self):
        response = self.client.post(
            approve_url(self.decision),
            {"outcome": "amend", "wording": AMENDED, "comment": ""},
            follow=True,
        )

        self.assertContains(response, "approved with amended wording")
        decision = self.reload()
        self.assertEqual(decision.status, DecisionStatus.APPROVED)
        self.assertEqual(decision.wording, AMENDED)
        self.assertEqual(decision.proposed_wording, PROPOSED)
        page = self.client.get(decision.get_absolute_url()).content.decode()
        self.assertIn("Approved with amended wording", page)
        approved_at, proposed_at = (
            page.index("Wording as approved"),
            page.index("Wording as proposed"),
        )
        self.assertLess(approved_at, page.index(AMENDED, approved_at))
        self.assertLess(proposed_at, page.index(PROPOSED, proposed_at))

    def test_reject_with_a_comment(self):
        self.client.post(
            approve_url(self.decision),
            {"outcome": "reject", "wording": PROPOSED, "comment": "Needs the IA first."},
        )

        decision = self.reload()
        self.assertEqual(decision.status, DecisionStatus.REJECTED)
        self.assertEqual(decision.approval_comment, "Needs the IA first.")
        self.assertEqual(decision.decided_by, self.chair.person)
        self.assertEqual(decision.how_decided, "Rejected at DAG029")
        self.assertContains(self.client.get(decision.get_absolute_url()), "Wording as rejected")

    def test_amending_needs_new_words_and_keeps_what_was_typed(self):
        for wording, error in (
            ("", "Write the amended wording."),
            (PROPOSED, "The wording is unchanged"),
        ):
            response = self.client.post(
                approve_url(self.decision),
                {"outcome": "amend", "wording": wording, "comment": "Typed comment"},
            )
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, error)
            self.assertContains(response, "Typed comment")
        self.assertEqual(self.reload().status, DecisionStatus.PROPOSED)

    def test_edited_words_are_not_dropped_when_approve_as_worded_is_chosen(self):
        response = self.client.post(
            approve_url(self.decision), {"outcome": "approve", "wording": AMENDED}
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You changed the wording")
        self.assertContains(response, AMENDED)
        self.assertEqual(self.reload().status, DecisionStatus.PROPOSED)

    def test_bad_input_is_a_form_error_not_a_crash(self):
        response = self.client.post(approve_url(self.decision), {"outcome": "maybe"})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(self.reload().status, DecisionStatus.PROPOSED)

    def test_a_decided_decision_is_not_decided_again(self):
        self.client.post(approve_url(self.decision), {"outcome": "approve", "wording": PROPOSED})
        first = self.reload()

        response = self.client.post(
            approve_url(self.decision), {"outcome": "reject", "wording": PROPOSED}, follow=True
        )

        self.assertRedirects(response, first.get_absolute_url())
        self.assertContains(response, "is not awaiting your approval")
        again = self.reload()
        self.assertEqual(again.status, DecisionStatus.APPROVED)
        self.assertEqual(again.decided_at, first.decided_at)
        # Two approvals racing past the view's check: the second one is refused by the service.
        with self.assertRaisesMessage(ValidationError, "was already approved"):
            services.decision_approve(decision=self.decision, user=self.chair)

    def test_approved_words_cannot_be_edited(self):
        services.decision_approve(decision=self.decision, user=self.chair)
        decision = self.reload()

        decision.wording = "Something else"
        with self.assertRaises(ValidationError) as raised:
            decision.save()
        self.assertIn("wording", raised.exception.message_dict)
        decision = self.reload()
        decision.status = DecisionStatus.REJECTED
        with self.assertRaises(ValidationError):
            decision.save()
        self.assertEqual(self.reload().wording, PROPOSED)

    def test_the_admin_shows_approved_words_read_only(self):
        services.decision_approve(decision=self.decision, user=self.chair)
        admin = make_user("admin", superuser=True)
        self.client.force_login(admin)

        response = self.client.get(f"/admin/decisions/decision/{self.decision.pk}/change/")

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="wording"')
        self.assertNotContains(response, 'name="status"')

    def test_a_correction_is_a_revision_with_its_reason(self):
        services.decision_approve(decision=self.decision, user=self.chair)
        url = f"/decisions/{self.decision.reference}/correct/"
        corrected = PROPOSED.replace("IF-165", "IF-166")

        missing = self.client.post(url, {"wording": corrected, "reason": ""})
        self.assertContains(missing, "This field is required.")
        self.assertContains(missing, "IF-166")
        same = self.client.post(url, {"wording": PROPOSED, "reason": "No change"})
        self.assertContains(same, "The corrected wording is the same as the current one.")
        response = self.client.post(
            url, {"wording": corrected, "reason": "Typo in the interface number"}, follow=True
        )

        self.assertContains(response, "Correction of DAG-DEC1 recorded.")
        decision = self.reload()
        self.assertEqual(decision.wording, PROPOSED)  # the approved words stay
        revision = DecisionRevision.objects.get(decision=decision)
        self.assertEqual(
            (revision.wording, revision.reason), (corrected, "Typo in the interface number")
        )
        self.assertEqual(revision.by, self.chair)
        page = response.content.decode()
        self.assertIn('<p class="lead">' + corrected, page)
        self.assertIn("Typo in the interface number", page)
        self.assertIn("Correction 1</strong> by Ian Smith", page)
        self.assertIn(PROPOSED, page)  # shown as approved, under the approval record
        log = self.client.get("/decisions/").content.decode()
        self.assertIn(corrected, log)
        self.assertIn("Corrected", log)

    def test_only_an_approved_decision_can_be_corrected(self):
        response = self.client.get(f"/decisions/{self.decision.reference}/correct/", follow=True)

        self.assertContains(response, "Only an approved decision can be corrected.")
        with self.assertRaises(ValidationError):
            services.decision_revise(
                decision=self.decision, wording="x", reason="y", user=self.chair
            )

    def test_the_decision_page_offers_the_chair_the_approval(self):
        page = self.client.get(self.decision.get_absolute_url())

        self.assertContains(page, approve_url(self.decision))
        self.assertContains(page, "Not yet decided: awaiting the chair of DAG.")

    def test_the_approval_is_in_the_audit_history(self):
        services.decision_approve(decision=self.decision, user=self.chair)

        page = self.client.get(self.decision.get_absolute_url())

        self.assertContains(page, "<strong>Changed</strong>")


class RecordProposedDecisionTests(TestCase):
    """The secretariat records a proposed decision; it gets the group's next reference."""

    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.meeting = make_meeting(cls.dag, number=29)
        cls.action = make_action(cls.meeting)
        cls.cr = change_request_create(title="Change to Interface IF-165", group=cls.dag)
        cls.other_meeting = make_meeting(make_group("PSG"), number=5)
        services.decision_create(group=cls.dag, wording="Imported", reference="DAG-DEC78")

    def setUp(self):
        self.client.force_login(self.secretariat)

    def post(self, **overrides):
        data = {
            "group": self.dag.pk,
            "meeting": self.meeting.pk,
            "area": "CR032 Impact Assessment",
            "wording": PROPOSED,
            "change_requests": self.cr.reference.lower(),
            "actions": self.action.reference,
            **overrides,
        }
        return self.client.post("/decisions/new/", data)

    def test_records_a_proposed_decision_with_the_next_reference_and_links(self):
        response = self.post()

        decision = Decision.objects.get(reference="DAG-DEC79")
        self.assertRedirects(response, decision.get_absolute_url())
        self.assertEqual(decision.status, DecisionStatus.PROPOSED)
        self.assertEqual(decision.meeting, self.meeting)
        self.assertEqual(list(decision.change_requests.all()), [self.cr])
        self.assertEqual(list(decision.actions.all()), [self.action])
        page = self.client.get(decision.get_absolute_url())
        self.assertContains(page, self.cr.get_absolute_url())
        self.assertContains(page, self.action.reference)
        self.assertNotContains(page, approve_url(decision))  # the secretariat cannot approve

    def test_unknown_references_and_other_groups_meetings_are_errors_next_to_the_fields(self):
        response = self.post(change_requests="CR999", meeting=self.other_meeting.pk)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No change request CR999 in your groups.")
        self.assertContains(response, "Select a valid choice")
        self.assertContains(response, "CR999")  # typed input kept
        self.assertFalse(Decision.objects.filter(reference="DAG-DEC79").exists())

    def test_a_meeting_whose_minutes_are_issued_is_refused(self):
        Meeting.objects.filter(pk=self.meeting.pk).update(status=MeetingStatus.MINUTES_ISSUED)

        response = self.post()

        self.assertContains(response, "have been issued, so they take no new decisions")
        self.assertContains(response, PROPOSED)  # typed input kept
        self.assertEqual(Decision.objects.count(), 1)

    def test_blank_wording_is_refused(self):
        response = self.post(wording="  ")

        self.assertContains(response, "This field is required.")
        self.assertEqual(Decision.objects.count(), 1)

    def test_an_action_of_another_group_is_refused(self):
        # The secretariat of both groups sees PSG's action, but it cannot go on a DAG decision.
        self.secretariat.person.memberships.create(
            group=self.other_meeting.group, role=Role.SECRETARIAT
        )
        psg_action = make_action(self.other_meeting)

        response = self.post(actions=psg_action.reference)

        self.assertContains(response, f"{psg_action.reference} belongs to another group.")
        self.assertEqual(Decision.objects.count(), 1)


class DecisionDatesTests(TestCase):
    def test_how_decided_in_the_papers_words(self):
        dag = make_group("DAG")
        meeting = make_meeting(dag, number=29)
        when = timezone.make_aware(datetime.datetime(2023, 10, 11, 10))
        cases = [
            ({}, "Awaiting approval"),
            (
                {"status": DecisionStatus.APPROVED, "decided_at": when, "meeting": meeting},
                "At DAG029",
            ),
            (
                {"status": DecisionStatus.APPROVED, "decided_at": when, "by_correspondence": True},
                "By correspondence",
            ),
            ({"status": DecisionStatus.APPROVED, "decided_at": when}, "By the chair"),
            (
                {"status": DecisionStatus.REJECTED, "decided_at": when, "by_correspondence": True},
                "Rejected by correspondence",
            ),
        ]
        for fields, expected in cases:
            decision = services.decision_create(group=dag, wording="Agreed", **fields)
            self.assertEqual(decision.how_decided, expected)
