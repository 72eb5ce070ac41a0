"""Correspondence emails carry the papers: each item of a round comes with its wording and
links to what it approves (the minutes as issued, as a PDF once rendered; the headline
report; the agenda item and its paper; the change request; the decision itself), in the
members' invitations and reminders and in the chair's copy, which links the round's page
where the chair concludes it. The links lead to pages a member may read and an outsider
may not."""

import datetime
import re

from django.conf import settings
from django.utils import timezone

from decisions import services
from documents.models import Document, DocumentStatus
from meetings.models import AgendaItem, MinutesIssue
from tests.decisions.test_correspondence import GroupData, SmtpTestCase, later
from tests.factories import make_group, make_meeting, make_user

URL = re.compile(r"https?://[^\s\"<>]+")


class CorrespondencePapersTests(GroupData, SmtpTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_group_data()
        cls.pdf = Document.objects.create(
            kind="minutes",
            scope=f"meeting:{cls.dag28.pk}",
            version=1,
            meeting=cls.dag28,
            status=DocumentStatus.READY,
            file="documents/2023/10/dag028-minutes.pdf",
        )
        MinutesIssue.objects.create(meeting=cls.dag28, number=1, data={}, document=cls.pdf)
        cls.dag29 = make_meeting(cls.dag, number=29, date=datetime.date(2023, 10, 11))
        cls.item = AgendaItem.objects.create(
            meeting=cls.dag29, number="5", title="Interface Code of Connection v1.1"
        )
        cls.at_item = services.decision_create(
            group=cls.dag,
            meeting=cls.dag29,
            agenda_item=cls.item,
            wording="The SRO approved the Interface Code of Connection v1.1",
        )

    def open_round(self):
        with self.captureOnCommitCallbacks(execute=True):
            return services.correspondence_round_open(
                group=self.dag,
                title="October approvals",
                deadline=later(),
                user=self.secretariat,
                decisions=[self.at_item],
                minutes_of=[self.dag28],
                change_requests=[self.cr],
            )

    def text_of(self, address):
        (message,) = self.messages_to(address)
        return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()

    def test_members_and_chair_read_the_wording_and_the_papers_from_the_email(self):
        round_ = self.open_round()
        decisions = list(round_.decisions.order_by("reference"))
        site = settings.SITE_URL

        for address in ("alice@example.org", "chair@example.org"):
            text, html = self.text_of(address)
            for decision in decisions:
                self.assertIn(decision.wording, text)
                self.assertIn(f"{site}{decision.get_absolute_url()}", text)
            self.assertIn(f"{site}/documents/{self.pdf.pk}/download/", text)
            self.assertIn("The minutes of DAG028 as issued (Issue 1, PDF)", text)
            self.assertIn(f"{site}/meetings/{self.dag28.pk}/documents/", text)  # headline
            self.assertIn(f"{site}{self.item.get_absolute_url()}", text)
            self.assertIn(f"{site}{self.cr.get_absolute_url()}", text)
            self.assertIn(f"/documents/{self.pdf.pk}/download/", html)
        chair_text, _ = self.text_of("chair@example.org")
        self.assertIn(f"{site}{round_.get_absolute_url()}", chair_text)
        self.assertNotIn("/respond/", chair_text)  # the chair concludes; members respond

    def test_the_reminder_carries_the_papers_too(self):
        round_ = self.open_round()
        round_.opened_at = timezone.now() - datetime.timedelta(days=30)
        round_.save(update_fields=["opened_at"])
        self.smtp.recorder.messages.clear()

        with self.captureOnCommitCallbacks(execute=True):
            services.correspondence_send_reminders(today=round_.reminder_date)

        text, _ = self.text_of("bob@example.org")
        self.assertIn(f"/documents/{self.pdf.pk}/download/", text)
        self.assertIn(self.cr.get_absolute_url(), text)

    def test_the_linked_papers_open_for_a_member_and_not_for_another_group(self):
        self.open_round()
        text, _ = self.text_of("alice@example.org")
        paths = [
            re.sub(r"^https?://[^/]+", "", url).split("#")[0]
            for url in URL.findall(text)
            if "/respond/" not in url and "/download/" not in url
        ]
        self.assertGreaterEqual(len(paths), 5)
        outsider = make_user("outsider", group=make_group("TMAG"), role="member")
        for path in paths:
            self.client.force_login(self.alice)
            self.assertEqual(self.client.get(path).status_code, 200, path)
            self.client.force_login(outsider)
            self.assertEqual(self.client.get(path).status_code, 404, path)
