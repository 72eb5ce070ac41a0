"""Approval by correspondence, continued: the chair concludes a round and its decisions are
taken "by correspondence"; non-responders get one reminder two working days before the
deadline; the round pages take a fixed number of queries. (Opening a round and answering
it: test_correspondence.py, whose fixtures and helpers these tests share.)"""

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.workdays import add_working_days
from decisions import services
from decisions.models import CorrespondenceRound, Decision, DecisionStatus, RoundStatus
from decisions.tasks import send_correspondence_reminders
from meetings.models import MeetingStatus
from notifications.models import EmailStatus, OutboundEmail
from tests.decisions.test_correspondence import (
    LONDON,
    ROUND_LIST_QUERIES,
    ROUND_PAGE_QUERIES,
    RoundData,
    SmtpTestCase,
    later,
    link_path,
)
from tests.factories import make_group, make_user


class ConcludeTests(RoundData, TestCase):
    def setUp(self):
        self.client.post(
            self.alice_link, self.answers(("approve", ""), ("object", "Change marks missing"))
        )
        self.client.post(
            self.bob_link, self.answers(("comment", "Agreed, see note"), ("approve", ""))
        )
        self.client.force_login(self.chair)
        self.url = f"/decisions/correspondence/{self.round.pk}/conclude/"

    def test_the_chair_concludes_and_the_decisions_are_taken_by_correspondence(self):
        page = self.client.get(self.round.get_absolute_url())
        self.assertContains(page, "Conclude the round")
        self.assertContains(page, "1 member has not responded.")
        decision, minutes = self.items

        response = self.client.post(
            self.url,
            {
                f"outcome_{decision.pk}": "approve",
                f"outcome_{minutes.pk}": "reject",
                "comment": "Minutes to be reissued with change marks.",
            },
            follow=True,
        )

        self.assertContains(response, "Round concluded")
        round_ = CorrespondenceRound.objects.get(pk=self.round.pk)
        self.assertEqual(round_.status, RoundStatus.CONCLUDED)
        self.assertEqual(round_.concluded_by, self.chair)
        decision.refresh_from_db()
        minutes.refresh_from_db()
        self.assertEqual(
            (decision.status, decision.by_correspondence, decision.decided_by),
            (DecisionStatus.APPROVED, True, self.chair.person),
        )
        self.assertEqual(decision.how_decided, "By correspondence")
        self.assertEqual(minutes.status, DecisionStatus.REJECTED)
        self.dag28.refresh_from_db()
        self.assertEqual(self.dag28.status, MeetingStatus.MINUTES_ISSUED)  # not approved

        # The responses are attached to each decision.
        detail = self.client.get(decision.get_absolute_url()).content.decode()
        responses = detail[detail.index("Responses by correspondence") :]
        self.assertIn("Alice Ames", responses)
        self.assertIn("Bob Brown", responses)
        self.assertIn("Agreed, see note", responses)
        self.assertNotIn("Change marks missing", responses)  # that answer was on the minutes
        self.assertIn("Approved, by correspondence", detail)
        self.assertIn("Minutes to be reissued with change marks.", detail)
        minutes_detail = self.client.get(minutes.get_absolute_url())
        self.assertContains(minutes_detail, "Change marks missing")
        self.assertContains(self.client.get("/decisions/"), "By correspondence")

        # The links stop working; the chair cannot conclude twice.
        self.client.logout()
        self.assertEqual(self.client.get(self.link(self.nomail)).status_code, 410)
        self.client.force_login(self.chair)
        again = self.client.post(self.url, {f"outcome_{decision.pk}": "reject"}, follow=True)
        self.assertContains(again, "This round has already been concluded.")
        decision.refresh_from_db()
        self.assertEqual(decision.status, DecisionStatus.APPROVED)

    def test_approved_minutes_are_marked_approved(self):
        self.client.post(self.url, {f"outcome_{d.pk}": "approve" for d in self.items})

        self.dag28.refresh_from_db()
        self.assertEqual(self.dag28.status, MeetingStatus.MINUTES_APPROVED)
        self.assertEqual(self.dag28.minutes_approved_date, timezone.localdate())
        minutes = Decision.objects.get(pk=self.items[1].pk)
        self.assertEqual(minutes.how_decided, "By correspondence")

    def test_every_item_needs_an_outcome(self):
        response = self.client.post(self.url, {f"outcome_{self.items[0].pk}": "approve"})

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertEqual(CorrespondenceRound.objects.get(pk=self.round.pk).status, RoundStatus.OPEN)
        self.assertFalse(Decision.objects.exclude(status=DecisionStatus.PROPOSED).exists())


class ReminderTests(RoundData, SmtpTestCase):
    def make_due(self, round_, *, deadline, opened):
        CorrespondenceRound.objects.filter(pk=round_.pk).update(deadline=deadline)
        CorrespondenceRound.objects.filter(pk=round_.pk).update(
            opened_at=datetime.datetime.combine(opened, datetime.time(9), tzinfo=LONDON)
        )

    def test_the_reminder_day_is_two_working_days_before_the_deadline(self):
        for deadline, reminder in (
            (datetime.date(2023, 10, 11), datetime.date(2023, 10, 9)),  # Wed -> Mon
            (datetime.date(2023, 10, 16), datetime.date(2023, 10, 12)),  # Mon -> Thu
            # Monday 26 August 2024 is a bank holiday in England and Wales.
            (datetime.date(2024, 8, 27), datetime.date(2024, 8, 22)),
        ):
            with self.subTest(deadline=deadline):
                self.assertEqual(CorrespondenceRound(deadline=deadline).reminder_date, reminder)

    def test_the_task_reminds_those_who_have_not_answered_once(self):
        """Beat runs the task every working day; it reminds each non-responder once."""
        self.client.post(self.alice_link, self.answers(("approve", ""), ("approve", "")))
        deadline = add_working_days(timezone.localdate(), 1)
        self.make_due(self.round, deadline=deadline, opened=deadline - datetime.timedelta(days=14))

        with self.captureOnCommitCallbacks(execute=True):
            planned = send_correspondence_reminders.run()

        self.assertEqual(planned, 1)  # Bob: Alice answered, Carol has no address
        (message,) = self.smtp.recorder.messages
        self.assertEqual(message["To"], "bob@example.org")
        self.assertEqual(
            message["Subject"],
            f"[DAG] Reminder: please respond by {deadline:%d/%m/%Y}: October approvals",
        )
        text = message.get_body(("plain",)).get_content()
        self.assertIn("Reminder: the DAG is waiting for your response", text)
        self.assertContains(self.client.get(link_path(text)), "Bob Brown, please give your answer")
        bob = self.round.recipients.get(person=self.bob.person)
        self.assertEqual(bob.reminder.status, EmailStatus.SENT)

        # Never twice: a second run (or a second beat) plans and sends nothing.
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_correspondence_reminders.run(), 0)
        self.assertEqual(len(self.smtp.recorder.messages), 1)
        self.assertEqual(OutboundEmail.objects.filter(kind="correspondence_reminder").count(), 1)

    def test_reminders_go_on_the_reminder_day_not_before(self):
        deadline = datetime.date(2023, 10, 11)  # reminder on Monday 9 October
        self.make_due(self.round, deadline=deadline, opened=datetime.date(2023, 10, 2))

        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 6)), 0
        )
        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 8)), 0
        )
        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 9)), 2
        )
        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 10)), 0
        )

    def test_a_missed_reminder_day_is_caught_up_before_the_deadline_only(self):
        self.make_due(
            self.round, deadline=datetime.date(2023, 10, 11), opened=datetime.date(2023, 10, 2)
        )

        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 12)), 0
        )
        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 10)), 2
        )

    def test_no_reminder_for_a_round_opened_on_or_after_its_reminder_day(self):
        self.make_due(
            self.round, deadline=datetime.date(2023, 10, 11), opened=datetime.date(2023, 10, 9)
        )

        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 9)), 0
        )

    def test_no_reminder_once_the_round_is_concluded(self):
        self.make_due(
            self.round, deadline=datetime.date(2023, 10, 11), opened=datetime.date(2023, 10, 2)
        )
        services.correspondence_round_conclude(
            round_=self.round, user=self.chair, outcomes={d.pk: True for d in self.items}
        )

        self.assertEqual(
            services.correspondence_send_reminders(today=datetime.date(2023, 10, 9)), 0
        )


class RoundPagesQueriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR)

    def add_rounds(self, count):
        for n in range(count):
            services.correspondence_round_open(
                group=self.dag,
                title=f"Round {n}",
                deadline=later(),
                user=self.secretariat,
                decisions=[
                    services.decision_create(group=self.dag, wording=f"Item {n}.{i}")
                    for i in range(2)
                ],
            )

    def test_the_round_list_takes_a_fixed_number_of_queries(self):
        """Each round's group, items and response counts come with the page, not per row."""
        make_user(group=self.dag, role=Role.MEMBER)
        self.client.force_login(self.secretariat)
        self.add_rounds(2)
        with self.assertNumQueries(ROUND_LIST_QUERIES):
            self.assertContains(self.client.get("/decisions/correspondence/"), "Round 1")
        self.add_rounds(10)
        with self.assertNumQueries(ROUND_LIST_QUERIES):
            self.assertContains(self.client.get("/decisions/correspondence/"), "Round 9")

    def test_the_round_page_takes_a_fixed_number_of_queries(self):
        """Each member's email, reminder and answers come with the page, not per member."""
        members = [make_user(group=self.dag, role=Role.MEMBER) for _ in range(12)]
        self.add_rounds(1)
        round_ = CorrespondenceRound.objects.get()
        items = list(round_.decisions.all())

        def answer(users):
            for user in users:
                recipient = round_.recipients.get(person=user.person)
                services.correspondence_respond(
                    recipient=recipient, answers=dict.fromkeys(items, ("comment", "Noted"))
                )

        self.client.force_login(self.chair)
        answer(members[:2])
        with self.assertNumQueries(ROUND_PAGE_QUERIES):
            self.assertContains(self.client.get(round_.get_absolute_url()), "Responses (2)")
        answer(members[2:10])
        with self.assertNumQueries(ROUND_PAGE_QUERIES):
            self.assertContains(self.client.get(round_.get_absolute_url()), "Responses (10)")

    def test_a_members_response_page_takes_a_fixed_number_of_queries(self):
        """The member's link shows each item of the round with its answer field, and once
        answered each answer with its decision (select_related): the same queries for a
        round of one item as of five, not a query per item."""
        member = make_user(group=self.dag, role=Role.MEMBER)

        def link(items):
            round_ = services.correspondence_round_open(
                group=self.dag,
                title=f"Round of {items}",
                deadline=later(),
                user=self.secretariat,
                decisions=[
                    services.decision_create(group=self.dag, wording=f"Item {items}.{i}")
                    for i in range(items)
                ],
            )
            recipient = round_.recipients.get(person=member.person)
            token = services.response_token(recipient)
            return recipient, reverse("decisions:correspondence_respond", args=[token])

        def answer(recipient):
            services.correspondence_respond(
                recipient=recipient,
                answers=dict.fromkeys(recipient.round.decisions.all(), ("comment", "Noted")),
            )

        (small, small_url), (big, big_url) = link(1), link(5)
        last = big.round.decisions.order_by("-pk").first()

        def assert_same_queries():
            with CaptureQueriesContext(connection) as one:
                self.assertEqual(self.client.get(small_url).status_code, 200)
            with self.assertNumQueries(len(one)):
                response = self.client.get(big_url)
            self.assertContains(response, last.reference)

        assert_same_queries()  # the form of each item
        answer(small)
        answer(big)
        assert_same_queries()  # the answers given
