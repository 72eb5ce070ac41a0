"""Published minutes: the public version of an issue leaks nothing withheld (every public
page, the feed and the PDF are searched for each members-only item and paragraph, the
records raised at a withheld item and the contact details typed in the minutes), says what
kind was withheld, is dated when published and marked late after the group's deadline;
anonymous visitors reach only the public pages."""

import datetime
import io

from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from core.models import Role
from core.workdays import add_working_days
from decisions.services import decision_create
from meetings.minutes_data import MeetingMinutes
from meetings.minutes_workflow import minutes_issue
from meetings.models import AgendaItem, Attendance, AttendanceCategory, MinutesPublication
from meetings.public import minutes_publish, public_version
from tests.factories import ActionFactory, GroupFactory, MeetingFactory, PersonFactory, UserFactory

SECRETS = [
    "Secret price is 42",
    "Confidential merger plan",
    "Paper on the merger",
    "Secret action text",
    "Secret decision wording",
    "jo@example.org",
    "020 7946 0958",
]
WITHHELD = "Withheld from the public version: commercially sensitive."


def anonymous_views():
    """Names of every URL whose view needs no login."""
    found = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and (
                getattr(pattern.callback, "login_required", True) is False
            ):
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return found


class PublicMinutes(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG", public=True, publication_working_days=10)
        cls.secretariat = UserFactory(username="pmo", group=cls.group, role=Role.SECRETARIAT)
        cls.meeting = MeetingFactory(group=cls.group, date=datetime.date(2024, 6, 12))
        Attendance.objects.create(
            meeting=cls.meeting,
            person=PersonFactory(name="Jo Bloggs", email="jo@example.org"),
            category=AttendanceCategory.INDUSTRY,
            initials="JB",
        )
        cls.open_item = AgendaItem.objects.create(
            meeting=cls.meeting,
            number="1",
            order=1,
            title="Design update",
            minutes="The design was presented.\n\n"
            "[Members only: commercially sensitive] Secret price is 42 pounds.\n\n"
            "Questions to Jo on 020 7946 0958 or jo@example.org.",
        )
        cls.withheld_item = AgendaItem.objects.create(
            meeting=cls.meeting,
            number="2",
            order=2,
            title="Market matters",
            minutes="Confidential merger plan discussed.",
            paper_text="Paper on the merger.",
            members_only="commercial",
        )
        ActionFactory(meeting=cls.meeting, agenda_item=cls.withheld_item, text="Secret action text")
        ActionFactory(meeting=cls.meeting, agenda_item=cls.open_item, text="Publish the design")
        decision_create(
            group=cls.group,
            wording="Secret decision wording",
            meeting=cls.meeting,
            agenda_item=cls.withheld_item,
        )
        minutes_issue(meeting=cls.meeting, user=cls.secretariat)
        cls.publication = minutes_publish(meeting=cls.meeting, user=cls.secretariat)

    def pages(self):
        """Every public page and the PDF's text, as an anonymous visitor gets them."""
        self.client.logout()
        texts = {}
        for name, args in (
            ("public_minutes_list", []),
            ("public_minutes_feed", []),
            ("public_minutes", [self.publication.pk]),
        ):
            response = self.client.get(reverse(name, args=args))
            assert response.status_code == 200, name
            texts[name] = response.content.decode()
        pdf = self.client.get(reverse("public_minutes_pdf", args=[self.publication.pk]))
        assert pdf.status_code == 200
        reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
        texts["pdf"] = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        return texts

    def test_nothing_withheld_leaks_and_what_was_withheld_is_said(self):
        texts = self.pages()
        for name, text in texts.items():
            for secret in SECRETS:
                assert secret not in text, (name, secret)
        page, pdf = texts["public_minutes"], texts["pdf"]
        assert page.count(WITHHELD) == 2  # the item and the paragraph
        assert WITHHELD in pdf
        for shown in ("The design was presented.", "Market matters", "Publish the design"):
            assert shown in page and shown in pdf
        assert "[contact details removed]" in page
        # The members' version, from the same issue, keeps everything.
        members = self.publication.issue.data
        assert "Secret price is 42" in str(members)
        assert "Confidential merger plan" in str(members)
        assert "href=" not in page.split('class="paper"')[1].split("</article>")[0]

    def test_dated_when_published_and_late_after_the_groups_deadline(self):
        texts = self.pages()
        deadline = add_working_days(self.meeting.date, 10)
        assert deadline.strftime("%d/%m/%Y") in texts["public_minutes_list"]
        assert "Late" in texts["public_minutes_list"]
        assert "Late" in texts["public_minutes"]
        assert "<updated>" in texts["public_minutes_feed"]

    def test_withheld_item_keeps_its_heading_and_loses_its_records(self):
        minutes = public_version(MeetingMinutes.from_dict(self.publication.issue.data))
        item = minutes.items[1]
        assert (item.number, item.title, item.withheld) == (
            "2",
            "Market matters",
            ["commercially sensitive"],
        )
        assert not item.html and not item.records and not item.paper_html
        assert [d.reference for d in minutes.decisions] == []
        assert [row.text for row in minutes.new_actions] == ["Publish the design"]

    def test_private_group_and_publishing_rules(self):
        self.client.force_login(self.secretariat)
        again = self.client.post(reverse("meetings:minutes_publish", args=[self.meeting.pk]))
        assert again.status_code == 302
        assert MinutesPublication.objects.count() == 1
        member = UserFactory(group=self.group, role=Role.MEMBER)
        self.client.force_login(member)
        assert (
            self.client.post(
                reverse("meetings:minutes_publish", args=[self.meeting.pk])
            ).status_code
            == 403
        )
        outsider = UserFactory(group=GroupFactory(code="TMAG"), role=Role.SECRETARIAT)
        self.client.force_login(outsider)
        assert (
            self.client.post(
                reverse("meetings:minutes_publish", args=[self.meeting.pk])
            ).status_code
            == 404
        )
        self.group.public = False
        self.group.save()
        self.client.logout()
        assert (
            self.client.get(reverse("public_minutes", args=[self.publication.pk])).status_code
            == 404
        )
        assert "DAG001" not in self.client.get(reverse("public_minutes_list")).content.decode()

    def test_anonymous_reaches_only_the_public_pages(self):
        public = {
            "public_minutes_list",
            "public_minutes_feed",
            "public_minutes",
            "public_minutes_pdf",
        }
        assert public <= anonymous_views()
        # Everything else needing no login existed before: login, password reset, the
        # health check, the emailed links and calendar feeds (each with its own secret).
        others = anonymous_views() - public
        assert not any(name.startswith("meetings:") and "calendar" not in name for name in others)
        assert not any(
            name.startswith(("actions:", "decisions:", "changerequests:", "raid:"))
            and "respond" not in name
            for name in others
        ), others
        self.client.logout()
        for url in (
            reverse("meetings:meeting_detail", args=[self.meeting.pk]),
            reverse("meetings:minutes_document", args=[self.meeting.pk]),
            reverse("meetings:registers_as_at"),
            reverse("meetings:group_interests", args=["DAG"]),
        ):
            assert self.client.get(url).status_code == 302, url
