"""Approving a previous meeting's minutes (and headline report), at a later meeting
(/decisions/minutes/<meeting>/approve/) or by correspondence: the decision is recorded in
the papers' words with the group's next reference, and the meeting's minutes are marked
approved."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from core.models import Role
from decisions import services
from decisions.minutes_papers import minutes_approval_wording
from decisions.models import Decision, DecisionStatus, Papers
from meetings.minutes_approval import minutes_approve
from meetings.models import MeetingStatus, MinutesEvent, MinutesEventKind
from tests.factories import make_group, make_meeting, make_user

DAG028_WORDS = (
    "Headline Report and change marked Minutes of DAG meeting held 13 September 2023 approved"
)


class MinutesApprovalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR, person_name="Ian Smith")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        make_user("member", group=cls.dag, role=Role.MEMBER)
        cls.dag28 = make_meeting(
            cls.dag,
            number=28,
            date=datetime.date(2023, 9, 13),
            status=MeetingStatus.MINUTES_ISSUED,
            minutes_issue_date=datetime.date(2023, 9, 20),
        )
        cls.dag29 = make_meeting(cls.dag, number=29, date=datetime.date(2023, 10, 11))
        # The DAG decisions up to DAG028, as imported from the old log.
        services.decision_create(group=cls.dag, wording="Imported", reference="DAG-DEC74")
        services.decision_create(group=cls.dag, wording="Old style", reference="DAG-DEC-29")

    def url(self, meeting=None):
        return f"/decisions/minutes/{(meeting or self.dag28).pk}/approve/"

    def test_at_the_next_meeting_in_the_papers_words_with_the_next_reference(self):
        before = timezone.now()

        decision = minutes_approve(
            meeting=self.dag28, user=self.chair, at_meeting=self.dag29, change_marked=True
        )

        self.assertEqual(decision.reference, "DAG-DEC75")
        self.assertEqual(decision.wording, DAG028_WORDS)
        self.assertEqual(decision.area, "Minutes and Actions")
        self.assertEqual(decision.status, DecisionStatus.APPROVED)
        self.assertEqual(decision.meeting, self.dag29)
        self.assertEqual(decision.approves_minutes_of, self.dag28)
        self.assertEqual(decision.papers, Papers.MINUTES_AND_HEADLINE)
        self.assertEqual(decision.decided_by, self.chair.person)
        self.assertTrue(before <= decision.decided_at <= timezone.now())
        self.assertEqual(decision.how_decided, "At DAG029")
        self.dag28.refresh_from_db()
        self.assertEqual(self.dag28.status, MeetingStatus.MINUTES_APPROVED)
        self.assertEqual(self.dag28.minutes_approved_date, timezone.localdate())
        event = MinutesEvent.objects.get(meeting=self.dag28, kind=MinutesEventKind.APPROVED)
        self.assertEqual(event.by, self.chair)

    def test_the_wording_variants(self):
        cases = [
            ({"papers": Papers.MINUTES_AND_HEADLINE, "change_marked": True}, DAG028_WORDS),
            (
                {"papers": Papers.MINUTES_AND_HEADLINE},
                "Headline Report and Minutes of DAG meeting held 13 September 2023 approved",
            ),
            (
                {"papers": Papers.MINUTES},
                "Minutes of DAG meeting held 13 September 2023 approved",
            ),
            (
                {"papers": Papers.MINUTES, "change_marked": True},
                "Change marked Minutes of DAG meeting held 13 September 2023 approved",
            ),
            (
                {"papers": Papers.HEADLINE, "change_marked": True},
                "Change marked Headline Report of DAG meeting held 13 September 2023 approved",
            ),
        ]
        for flags, words in cases:
            self.assertEqual(minutes_approval_wording(self.dag28, **flags), words)
        # Single-digit days are written as the papers write them: "3 September", not "03".
        early = make_meeting(self.dag, date=datetime.date(2023, 9, 3))
        self.assertIn("held 3 September 2023", minutes_approval_wording(early))

    def test_the_chair_approves_from_the_queue(self):
        self.client.force_login(self.chair)

        page = self.client.get(self.url())
        self.assertContains(page, "Approve the minutes of DAG028")
        self.assertContains(page, DAG028_WORDS)
        self.assertContains(page, "DAG029 (11/10/2023)")  # the next meeting, chosen already
        response = self.client.post(
            self.url(),
            {"at_meeting": self.dag29.pk, "headline": "on", "change_marked": "on"},
            follow=True,
        )

        self.assertRedirects(response, "/decisions/queue/")
        self.assertContains(response, "Minutes of DAG028 approved: DAG-DEC75.")
        decision = Decision.objects.get(reference="DAG-DEC75")
        self.assertEqual(decision.wording, DAG028_WORDS)
        self.assertEqual(decision.meeting, self.dag29)
        self.assertContains(self.client.get("/decisions/"), DAG028_WORDS)
        meeting_page = self.client.get(self.dag28.get_absolute_url())
        self.assertContains(meeting_page, "Minutes approved")

    def test_the_meeting_page_offers_the_chair_alone_the_approval(self):
        link = f'href="{self.url()}"'
        self.client.force_login(self.secretariat)
        self.assertNotContains(self.client.get(self.dag28.get_absolute_url()), link)
        self.client.force_login(self.chair)
        self.assertContains(self.client.get(self.dag28.get_absolute_url()), link)
        # Not before the minutes are issued.
        self.assertNotContains(
            self.client.get(self.dag29.get_absolute_url()), "Approve the minutes"
        )

    def test_reopened_minutes_are_offered_as_change_marked(self):
        MinutesEvent.objects.create(
            meeting=self.dag28, kind=MinutesEventKind.REOPENED, reason="Comments from members"
        )
        self.client.force_login(self.chair)

        page = self.client.get(self.url())

        self.assertContains(page, 'name="change_marked" id="id_change_marked" checked')

    def test_minutes_not_issued_are_not_approved(self):
        draft = make_meeting(self.dag, number=30, status=MeetingStatus.MINUTES_DRAFT)
        self.client.force_login(self.chair)

        response = self.client.post(self.url(draft), {"headline": "on"}, follow=True)

        self.assertContains(response, "The minutes of DAG030 are not awaiting approval.")
        with self.assertRaisesMessage(ValidationError, "not issued and awaiting approval"):
            minutes_approve(meeting=draft, user=self.chair)
        self.assertFalse(Decision.objects.filter(approves_minutes_of=draft).exists())

    def test_minutes_are_approved_once(self):
        minutes_approve(meeting=self.dag28, user=self.chair)

        with self.assertRaises(ValidationError):
            minutes_approve(meeting=self.dag28, user=self.chair)
        self.assertEqual(Decision.objects.filter(approves_minutes_of=self.dag28).count(), 1)

    def test_the_approving_meeting_must_be_a_later_one_of_the_group(self):
        earlier = make_meeting(self.dag, number=27, date=datetime.date(2023, 8, 9))
        psg_meeting = make_meeting(make_group("PSG"), date=datetime.date(2023, 10, 20))
        self.client.force_login(self.chair)

        for meeting in (earlier, psg_meeting):
            with self.subTest(meeting=meeting.code):
                response = self.client.post(self.url(), {"at_meeting": meeting.pk})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Select a valid choice")
            with self.assertRaises(ValidationError) as raised:
                minutes_approve(meeting=self.dag28, user=self.chair, at_meeting=meeting)
            self.assertIn("at_meeting", raised.exception.message_dict)
        self.assertEqual(
            self.dag28.__class__.objects.get(pk=self.dag28.pk).status, MeetingStatus.MINUTES_ISSUED
        )

    def test_by_correspondence(self):
        round_ = services.correspondence_round_open(
            group=self.dag,
            title="DAG028 minutes",
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            user=self.secretariat,
            minutes_of=[self.dag28],
        )
        (decision,) = round_.decisions.all()
        self.assertEqual(decision.reference, "DAG-DEC75")
        self.assertEqual(
            decision.wording,
            "Headline Report and Minutes of DAG meeting held 13 September 2023 approved",
        )

        services.correspondence_round_conclude(
            round_=round_, user=self.chair, outcomes={decision.pk: True}
        )

        decision.refresh_from_db()
        self.assertEqual(decision.status, DecisionStatus.APPROVED)
        self.assertEqual(decision.how_decided, "By correspondence")
        self.assertIsNone(decision.meeting)
        self.dag28.refresh_from_db()
        self.assertEqual(self.dag28.status, MeetingStatus.MINUTES_APPROVED)

    def test_reopened_minutes_sent_round_are_change_marked(self):
        MinutesEvent.objects.create(
            meeting=self.dag28, kind=MinutesEventKind.REOPENED, reason="Comments from members"
        )

        round_ = services.correspondence_round_open(
            group=self.dag,
            title="DAG028 minutes",
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            user=self.secretariat,
            minutes_of=[self.dag28],
        )

        self.assertEqual(round_.decisions.get().wording, DAG028_WORDS)

    def round_for(self, **items):
        return services.correspondence_round_open(
            group=self.dag,
            title="Headline reports",
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            user=self.secretariat,
            **items,
        )

    def test_headline_reports_on_their_own_by_correspondence(self):
        """As DAG did in June 2024: headline reports sent round without their minutes."""
        may = make_meeting(self.dag, number=37, date=datetime.date(2024, 5, 15))
        MinutesEvent.objects.create(meeting=self.dag28, kind=MinutesEventKind.REOPENED, reason="x")
        round_ = self.round_for(headline_of=[self.dag28, may])

        first, second = round_.decisions.order_by("reference")
        self.assertEqual(
            [first.wording, second.wording],
            [
                "Change marked Headline Report of DAG meeting held 13 September 2023 approved",
                "Headline Report of DAG meeting held 15 May 2024 approved",
            ],
        )
        self.assertEqual({first.papers, second.papers}, {Papers.HEADLINE})
        services.correspondence_round_conclude(
            round_=round_, user=self.chair, outcomes={first.pk: True, second.pk: True}
        )
        # The minutes still wait for their own approval, without the headline report.
        self.dag28.refresh_from_db()
        self.assertEqual(self.dag28.status, MeetingStatus.MINUTES_ISSUED)
        self.client.force_login(self.chair)
        page = self.client.get(self.url())
        self.assertContains(page, f"Already in {first.reference}.")
        self.assertNotContains(page, 'name="headline" id="id_headline" checked')
        with self.assertRaisesMessage(ValidationError, f"is in {first.reference} already"):
            minutes_approve(meeting=self.dag28, user=self.chair, headline=True)
        minutes = minutes_approve(meeting=self.dag28, user=self.chair, headline=False)
        self.assertEqual(minutes.wording, "Minutes of DAG meeting held 13 September 2023 approved")

    def test_a_headline_report_is_sent_round_once(self):
        self.round_for(headline_of=[self.dag28])

        with self.assertRaisesMessage(ValidationError, "is in DAG-DEC75 already"):
            self.round_for(headline_of=[self.dag28])
        # Its minutes can still go round: without the headline report, already in a round.
        minutes = self.round_for(minutes_of=[self.dag28]).decisions.get()
        self.assertEqual(minutes.papers, Papers.MINUTES)
        with self.assertRaisesMessage(ValidationError, "not both"):
            self.round_for(minutes_of=[self.dag29], headline_of=[self.dag29])

    def test_the_round_form_offers_headline_reports_of_meetings_held(self):
        future = make_meeting(
            self.dag, number=40, date=timezone.localdate() + datetime.timedelta(7)
        )
        cancelled = make_meeting(self.dag, number=39, status=MeetingStatus.CANCELLED)
        self.round_for(headline_of=[self.dag29])
        self.client.force_login(self.secretariat)

        form = self.client.get("/decisions/correspondence/new/?group=DAG").context["form"]

        self.assertEqual(list(form.fields["headline_of"].queryset), [self.dag28])
        self.assertNotIn(future, form.fields["headline_of"].queryset)
        self.assertNotIn(cancelled, form.fields["headline_of"].queryset)
        with self.assertRaisesMessage(ValidationError, "has not been held"):
            self.round_for(headline_of=[future])
