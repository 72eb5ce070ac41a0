"""Approval by correspondence: the secretariat opens a round (/decisions/correspondence/new/)
for proposed decisions, minutes and change-request approvals; each member is emailed
(through the outbox, to a real SMTP server on loopback) a signed link that works without
logging in, expires at the deadline and is used once; the round page shows who answered
what; the chair concludes the round and its decisions are taken "by correspondence";
non-responders get one reminder two working days before the deadline."""

import datetime
import re
import zoneinfo
from unittest import mock
from urllib.parse import urlparse

from django.core import signing
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from changerequests.services import change_request_create
from core.models import Role
from decisions import services
from decisions.models import (
    CorrespondenceResponse,
    CorrespondenceRound,
    Decision,
    DecisionStatus,
    RoundStatus,
)
from meetings.minutes_approval import minutes_approve
from meetings.models import MeetingStatus
from notifications import outbox
from notifications.models import EmailKind, EmailStatus, OutboundEmail
from tests.factories import make_group, make_meeting, make_person, make_user
from tests.smtp_sink import SmtpSink

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Session, user, roles, count, Person (menu), the groups the user may open rounds for,
# the rounds with their response counts, their decisions.
ROUND_LIST_QUERIES = 8
# Session, user, round, roles, its items, recipients with their emails, their answers,
# Person (menu), badge, the audit history.
ROUND_PAGE_QUERIES = 10
LINK = re.compile(r"https?://\S+/decisions/correspondence/respond/[^/\s]+/")


def later(days=10):
    return timezone.localdate() + datetime.timedelta(days=days)


def link_path(text):
    """The path of the one response link in an email's text."""
    (url,) = set(LINK.findall(text))
    return urlparse(url).path


class SmtpTestCase(TestCase):
    """Emails leave through the outbox to a recording SMTP server on loopback; the Celery
    dispatch queued after commit sends at once, as a worker would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smtp = SmtpSink().start()
        cls.addClassCleanup(cls.smtp.stop)

    def setUp(self):
        self.smtp.recorder.messages.clear()
        settings = self.settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.smtp.port,
            EMAIL_TIMEOUT=5,
        )
        settings.enable()
        self.addCleanup(settings.disable)
        send_now = mock.patch.object(
            outbox.send_outbound_email, "delay", side_effect=outbox.send_outbound_email.run
        )
        send_now.start()
        self.addCleanup(send_now.stop)

    def messages_to(self, address):
        return [m for m in self.smtp.recorder.messages if m["To"] == address]


class GroupData:
    """DAG with a chair, the secretariat, three members (one without an email address) and
    an observer; a proposed decision, minutes issued and awaiting approval, an open CR."""

    @classmethod
    def make_group_data(cls):
        cls.dag = make_group("DAG", name="Design Advisory Group")
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR, person_name="Ian Smith")
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.alice = make_user("alice", group=cls.dag, role=Role.MEMBER, person_name="Alice Ames")
        cls.bob = make_user("bob", group=cls.dag, role=Role.MEMBER, person_name="Bob Brown")
        cls.nomail = make_person("Carol Cole")
        cls.nomail.memberships.create(group=cls.dag, role=Role.MEMBER)
        make_user("ofgem", group=cls.dag, role=Role.OBSERVER)
        cls.proposed = services.decision_create(
            group=cls.dag,
            area="Updates to the Interface Code of Connections",
            wording="The SRO approved updates to the Interface Code of Connections as v1.1",
        )
        cls.dag28 = make_meeting(
            cls.dag,
            number=28,
            date=datetime.date(2023, 9, 13),
            status=MeetingStatus.MINUTES_ISSUED,
        )
        cls.cr = change_request_create(
            title="Change to Interface IF-165 P0210 TUoS Reporting", group=cls.dag
        )


class OpenRoundTests(GroupData, SmtpTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_group_data()

    def setUp(self):
        super().setUp()
        self.client.force_login(self.secretariat)

    def post(self, **overrides):
        data = {
            "title": "DAG approvals by correspondence, October 2023",
            "deadline": later().strftime("%d/%m/%Y"),
            "message": "Please respond by the deadline.",
            "decisions": [self.proposed.pk],
            "minutes_of": [self.dag28.pk],
            "headline": "on",
            "change_requests": [self.cr.pk],
            **overrides,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/decisions/correspondence/new/?group=DAG", data, follow=True)

    def test_the_form_offers_the_groups_items(self):
        other = services.decision_create(group=make_group("PSG"), wording="PSG's own")

        response = self.client.get("/decisions/correspondence/new/?group=DAG")

        self.assertContains(response, self.proposed.wording)
        self.assertContains(response, "DAG028, held 13/09/2023")
        self.assertContains(response, self.cr.title)
        self.assertNotContains(response, other.wording)

    def test_opening_a_round_emails_each_member_a_personal_link(self):
        response = self.post()

        round_ = CorrespondenceRound.objects.get()
        self.assertRedirects(response, round_.get_absolute_url())
        self.assertContains(response, "Round opened: 3 members asked to respond by")
        decisions = list(round_.decisions.order_by("reference"))
        self.assertEqual(
            [d.wording for d in decisions],
            [
                self.proposed.wording,
                "Headline Report and Minutes of DAG meeting held 13 September 2023 approved",
                f"The SRO approved {self.cr.reference} ({self.cr.title})",
            ],
        )
        self.assertEqual([d.reference for d in decisions], ["DAG-DEC1", "DAG-DEC2", "DAG-DEC3"])
        self.assertTrue(all(d.status == DecisionStatus.PROPOSED for d in decisions))
        self.assertEqual(decisions[1].approves_minutes_of, self.dag28)
        self.assertEqual(list(decisions[2].change_requests.all()), [self.cr])

        # Members (not the secretariat or observer), those with an address, each with a
        # personal link; and the chair, who concludes the round (correspondence_papers).
        self.assertEqual(
            sorted(m["To"] for m in self.smtp.recorder.messages),
            ["alice@example.org", "bob@example.org", "chair@example.org"],
        )
        (message,) = self.messages_to("alice@example.org")
        self.assertEqual(
            message["Subject"],
            "[DAG] For approval by correspondence: DAG approvals by correspondence, "
            f"October 2023 (respond by {later():%d/%m/%Y})",
        )
        text = message.get_body(("plain",)).get_content()
        self.assertIn("Dear Alice Ames", text)
        self.assertIn("Please respond by the deadline.", text)
        for decision in decisions:
            self.assertIn(decision.reference, text)
            self.assertIn(decision.wording, text)
        html = message.get_body(("html",)).get_content()
        path = link_path(text)
        self.assertEqual(link_path(html), path)
        self.assertNotEqual(path, link_path(self.messages_to("bob@example.org")[0].as_string()))
        # (The chair's notice of the proposed decision was planned in setUpTestData.)
        round_emails = OutboundEmail.objects.filter(kind=EmailKind.CORRESPONDENCE)
        self.assertFalse(round_emails.exclude(status=EmailStatus.SENT).exists())

        # The link works without logging in.
        self.client.logout()
        form = self.client.get(path)
        self.assertContains(form, "Alice Ames, please give your answer on each item")
        for decision in decisions:
            self.assertContains(form, decision.wording)

        # The round page: nobody has answered; Carol had no address, so was not emailed.
        self.client.force_login(self.secretariat)
        page = self.client.get(round_.get_absolute_url())
        self.assertContains(page, "Not responded (3)")
        self.assertContains(page, "No email address: not asked")
        self.assertContains(page, "Sent", count=2)  # the members' invitations

    def test_decisions_out_for_correspondence_leave_the_chairs_direct_approval(self):
        self.post()
        self.client.force_login(self.chair)

        response = self.client.get(f"/decisions/{self.proposed.reference}/approve/", follow=True)

        self.assertContains(response, "is not awaiting your approval")
        with self.assertRaisesMessage(ValidationError, "out for approval by correspondence"):
            services.decision_approve(decision=self.proposed, user=self.chair)
        with self.assertRaisesMessage(ValidationError, "awaiting approval as DAG-DEC2"):
            minutes_approve(meeting=self.dag28, user=self.chair)

    def test_a_title_with_line_breaks_still_makes_a_valid_subject(self):
        self.post(title="October\r\nBcc: someone@example.com")

        self.assertEqual(
            CorrespondenceRound.objects.get().title, "October Bcc: someone@example.com"
        )
        self.assertEqual(len(self.smtp.recorder.messages), 3)  # two members and the chair
        self.assertTrue(all(m["Bcc"] is None for m in self.smtp.recorder.messages))

    def test_bad_input_is_shown_next_to_the_fields_and_kept(self):
        for overrides, error in (
            ({"deadline": timezone.localdate().strftime("%d/%m/%Y")}, "must be after today"),
            ({"deadline": "31/02/2030"}, "Enter a valid date."),
            ({"decisions": [], "minutes_of": [], "change_requests": []}, "Choose at least one"),
            ({"title": ""}, "This field is required."),
        ):
            with self.subTest(overrides=overrides):
                response = self.post(**overrides)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, error)
                self.assertContains(response, "Please respond by the deadline.")
        self.assertFalse(CorrespondenceRound.objects.exists())
        self.assertEqual(self.smtp.recorder.messages, [])

    def test_a_group_without_members_gets_no_round(self):
        self.dag.memberships.filter(role=Role.MEMBER).update(active=False)

        response = self.post()

        self.assertContains(response, "DAG has no active members to ask; nothing was opened.")
        self.assertFalse(CorrespondenceRound.objects.exists())
        self.assertEqual(Decision.objects.get(pk=self.proposed.pk).correspondence_round, None)


class RoundData(GroupData):
    @classmethod
    def setUpTestData(cls):
        cls.make_group_data()
        cls.round = services.correspondence_round_open(
            group=cls.dag,
            title="October approvals",
            deadline=later(),
            user=cls.secretariat,
            decisions=[cls.proposed],
            minutes_of=[cls.dag28],
        )
        cls.items = list(cls.round.decisions.order_by("reference"))
        cls.alice_link = cls.link(cls.alice.person)
        cls.bob_link = cls.link(cls.bob.person)

    @classmethod
    def link(cls, person):
        recipient = cls.round.recipients.get(person=person)
        return urlparse(services.response_url(recipient)).path

    def answers(self, *pairs):
        data = {}
        for decision, (choice, comment) in zip(self.items, pairs, strict=True):
            data[f"choice_{decision.pk}"] = choice
            data[f"comment_{decision.pk}"] = comment
        return data

    def recorded(self):
        return list(
            CorrespondenceResponse.objects.order_by("pk").values_list(
                "recipient__person__name", "decision__reference", "choice", "comment"
            )
        )


class RespondTests(RoundData, TestCase):
    def test_a_member_answers_through_the_link_without_logging_in(self):
        response = self.client.post(
            self.alice_link,
            self.answers(("approve", ""), ("object", "The change marks are missing")),
            follow=True,
        )

        self.assertRedirects(response, self.alice_link)
        self.assertContains(response, "Your response is recorded")
        self.assertContains(response, "The change marks are missing")
        self.assertEqual(
            self.recorded(),
            [
                ("Alice Ames", self.items[0].reference, "approve", ""),
                ("Alice Ames", self.items[1].reference, "object", "The change marks are missing"),
            ],
        )
        recipient = self.round.recipients.get(person=self.alice.person)
        self.assertIsNotNone(recipient.responded_at)

    def test_a_comment_or_objection_needs_words_and_every_item_an_answer(self):
        for data, error in (
            (self.answers(("comment", ""), ("approve", "")), "Say why you object"),
            ({f"choice_{self.items[0].pk}": "approve"}, "This field is required."),
            (self.answers(("maybe", ""), ("approve", "")), "Select a valid choice"),
        ):
            with self.subTest(data=data):
                response = self.client.post(self.bob_link, data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, error)
        self.assertEqual(self.recorded(), [])

    def test_a_used_link_is_refused_and_changes_nothing(self):
        self.client.post(self.alice_link, self.answers(("approve", ""), ("approve", "")))
        before = self.round.recipients.get(person=self.alice.person).responded_at

        response = self.client.post(
            self.alice_link, self.answers(("object", "Changed my mind"), ("object", "Me too"))
        )

        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "This link cannot be used", status_code=409)
        self.assertContains(response, "already been recorded", status_code=409)
        self.assertContains(response, "Nothing was changed", status_code=409)
        self.assertEqual([row[2] for row in self.recorded()], ["approve", "approve"])
        after = self.round.recipients.get(person=self.alice.person).responded_at
        self.assertEqual(after, before)
        # Reading it again shows what was answered.
        self.assertContains(self.client.get(self.alice_link), "Your response is recorded")

    def test_a_tampered_link_is_refused_and_changes_nothing(self):
        token = self.alice_link.rstrip("/").rsplit("/", 1)[1]
        recipient = self.round.recipients.get(person=self.alice.person)
        forged = [
            token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
            signing.dumps([self.round.pk, self.bob.person.pk])[:-1] + "x",
            # Signed by the app, but for another purpose (a different salt).
            signing.dumps([self.round.pk, recipient.person_id], salt="actions.update"),
            # Signed for responses, but not a (round, person) pair.
            signing.dumps("hello", salt=services.RESPONSE_SALT),
            # A person who was never asked.
            signing.dumps([self.round.pk, self.chair.person.pk], salt=services.RESPONSE_SALT),
            "not-a-token",
        ]
        for token in forged:
            with self.subTest(token=token):
                url = f"/decisions/correspondence/respond/{token}/"
                response = self.client.post(url, self.answers(("approve", ""), ("approve", "")))
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "This link is not valid", status_code=400)
                self.assertContains(response, "Nothing was recorded", status_code=400)
                self.assertEqual(self.client.get(url).status_code, 400)
        self.assertEqual(self.recorded(), [])

    def test_an_expired_link_is_refused_and_changes_nothing(self):
        CorrespondenceRound.objects.filter(pk=self.round.pk).update(
            deadline=timezone.localdate() - datetime.timedelta(days=1)
        )

        get = self.client.get(self.alice_link)
        post = self.client.post(self.alice_link, self.answers(("approve", ""), ("approve", "")))

        for response in (get, post):
            self.assertEqual(response.status_code, 410)
            self.assertContains(response, "The deadline for responses has passed", status_code=410)
        self.assertEqual(self.recorded(), [])
        self.assertIsNone(self.round.recipients.get(person=self.alice.person).responded_at)

    def test_links_expire_at_the_end_of_the_deadline_day_uk_time(self):
        round_ = CorrespondenceRound(deadline=datetime.date(2023, 10, 20), status=RoundStatus.OPEN)

        last_second = datetime.datetime(2023, 10, 20, 23, 59, 59, tzinfo=LONDON)
        self.assertTrue(round_.takes_responses(last_second))
        self.assertFalse(round_.takes_responses(last_second + datetime.timedelta(seconds=1)))
        # 23:30 UTC on the deadline day is already the next day in London (BST).
        self.assertFalse(
            round_.takes_responses(datetime.datetime(2023, 10, 20, 23, 30, tzinfo=datetime.UTC))
        )

    def test_a_concluded_round_takes_no_more_answers(self):
        services.correspondence_round_conclude(
            round_=self.round, user=self.chair, outcomes={d.pk: True for d in self.items}
        )

        response = self.client.post(self.alice_link, self.answers(("approve", ""), ("approve", "")))

        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "The chair has concluded this round", status_code=410)
        self.assertEqual(self.recorded(), [])

    def test_the_service_refuses_answers_after_the_deadline_too(self):
        recipient = self.round.recipients.get(person=self.alice.person)
        answers = dict.fromkeys(self.items, ("approve", ""))
        CorrespondenceRound.objects.filter(pk=self.round.pk).update(
            deadline=timezone.localdate() - datetime.timedelta(days=1)
        )

        with self.assertRaisesMessage(ValidationError, "no longer takes responses"):
            services.correspondence_respond(recipient=recipient, answers=answers)
        self.assertEqual(self.recorded(), [])

    def test_the_round_page_shows_who_answered_what_and_who_has_not(self):
        self.client.post(
            self.alice_link, self.answers(("approve", ""), ("comment", "Fine, one typo in 4.2"))
        )
        self.client.force_login(self.alice)  # members may read the round

        page = self.client.get(self.round.get_absolute_url())

        self.assertContains(page, "Responses (1)")
        self.assertContains(page, "Not responded (2)")
        content = page.content.decode()
        responded = content[content.index("Responses (1)") : content.index("Not responded")]
        waiting = content[content.index("Not responded") :]
        self.assertIn("Alice Ames", responded)
        self.assertIn(
            f"{self.items[1].reference}: Comment</strong>: Fine, one typo in 4.2", responded
        )
        self.assertIn("Bob Brown", waiting)
        self.assertIn("Carol Cole", waiting)
        self.assertNotIn("Conclude the round", content)  # members do not conclude

    def test_another_groups_round_is_not_found(self):
        self.client.force_login(make_user("psg", group=make_group("PSG"), role=Role.CHAIR))

        self.assertEqual(self.client.get(self.round.get_absolute_url()).status_code, 404)
