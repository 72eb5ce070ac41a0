"""Declarations of interest at agenda items (printed in the minutes, on the page and in the
PDF alike, and taking a recused declarer out of the item's quorum), the group's register of
interests with its history, the quorum rule page, and part-meeting attendance by item;
with who may do each (another group's 404, a reader's 403)."""

import datetime

from django.test import TestCase
from django.urls import reverse

from core.models import Membership, Role
from documents.models import Document
from documents.rendering import build_source, render_html
from meetings.documents import MINUTES
from meetings.minutes import build_minutes
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceCategory,
    AttendanceStatus,
    InterestDeclaration,
    RegisteredInterest,
)
from meetings.quorum import meeting_quorum
from tests.factories import GroupFactory, MeetingFactory, PersonFactory, UserFactory


class InterestsAndQuorumPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(code="DAG", quorum_members=2)
        cls.secretariat = UserFactory(username="pmo", group=cls.group, role=Role.SECRETARIAT)
        cls.chair = UserFactory(username="chair", group=cls.group, role=Role.CHAIR)
        cls.observer = UserFactory(username="obs", group=cls.group, role=Role.OBSERVER)
        cls.outsider = UserFactory(group=GroupFactory(code="TMAG"), role=Role.SECRETARIAT)
        cls.seth = PersonFactory(name="Seth Chapman")
        Membership.objects.create(
            group=cls.group, person=cls.seth, constituency="Supplier Agent Representative"
        )
        cls.meeting = MeetingFactory(group=cls.group, date=datetime.date(2024, 6, 12))
        cls.items = [
            AgendaItem.objects.create(meeting=cls.meeting, number=str(n), order=n, title=f"T{n}")
            for n in range(1, 6)
        ]
        for person, initials in ((cls.chair.person, "JA"), (cls.seth, "SC")):
            Attendance.objects.create(
                meeting=cls.meeting,
                person=person,
                category=AttendanceCategory.INDUSTRY,
                status=AttendanceStatus.PRESENT,
                initials=initials,
            )

    def declare(self, **data):
        self.client.force_login(self.secretariat)
        return self.client.post(
            reverse("meetings:meeting_interests", args=[self.meeting.pk]),
            {"agenda_item": self.items[4].pk, "person": self.seth.pk, **data},
        )

    def test_declaration_is_printed_on_the_page_and_in_the_pdf_and_leaves_the_quorum(self):
        assert meeting_quorum(self.meeting)[self.items[4].pk].met
        response = self.declare(interest="employed by a bidder", recused="on")
        assert response.status_code == 302
        line = "SC declared an interest (employed by a bidder) and left for item 5."
        minutes = build_minutes(self.meeting)
        assert minutes.items[4].declarations == [line]
        assert all(not item.declarations for item in minutes.items[:4])
        page = self.client.get(reverse("meetings:minutes_document", args=[self.meeting.pk]))
        assert line in page.content.decode()
        overview = self.client.get(self.meeting.get_absolute_url()).content.decode()
        assert line in overview
        source = build_source(Document(kind=MINUTES, meeting=self.meeting))
        assert line in render_html(source, version=1, issued=self.meeting.date)
        quorum = meeting_quorum(self.meeting)
        assert not quorum[self.items[4].pk].met
        assert quorum[self.items[4].pk].recused == ["Seth Chapman"]
        assert quorum[self.items[3].pk].met
        assert "Not quorate" in overview

    def test_declaration_by_someone_not_attending_is_refused_at_the_field(self):
        stranger = PersonFactory(name="Not Here")
        response = self.declare(person=stranger.pk)
        assert response.status_code == 200
        assert response.context["form"].errors["person"]
        self.declare(interest="x")
        again = self.declare(interest="y")
        assert "already declared" in again.content.decode()
        assert InterestDeclaration.objects.count() == 1

    def test_declarations_page_permissions(self):
        url = reverse("meetings:meeting_interests", args=[self.meeting.pk])
        self.client.force_login(self.observer)
        assert self.client.get(url).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404

    def test_register_of_interests_with_history(self):
        url = reverse("meetings:group_interests", args=["DAG"])
        self.client.force_login(self.secretariat)
        added = self.client.post(
            url,
            {"person": self.seth.pk, "interest": "Director of Acme", "declared_on": "01/02/2024"},
        )
        assert added.status_code == 302
        entry = RegisteredInterest.objects.get()
        end_url = reverse("meetings:group_interest_end", args=["DAG", entry.pk])
        too_early = self.client.post(end_url, {f"end-{entry.pk}-ended_on": "01/01/2024"})
        assert too_early.status_code == 200
        assert "cannot end before" in too_early.content.decode()
        self.client.post(end_url, {f"end-{entry.pk}-ended_on": "01/03/2024"})
        entry.refresh_from_db()
        assert entry.ended_on == datetime.date(2024, 3, 1)
        assert RegisteredInterest.objects.current(datetime.date(2024, 2, 15)).exists()
        assert not RegisteredInterest.objects.current(datetime.date(2024, 3, 1)).exists()
        self.client.force_login(self.observer)
        page = self.client.get(url)
        assert page.status_code == 200
        assert list(page.context["history"].values_list("history_type", flat=True)) == ["~", "+"]
        assert page.context["ended"] == [entry]
        assert "Add an interest" not in page.content.decode()
        refused = self.client.post(
            url, {"person": self.seth.pk, "interest": "x", "declared_on": "01/02/2024"}
        )
        assert refused.status_code == 403
        assert self.client.post(end_url, {}).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404

    def test_quorum_rule_page(self):
        url = reverse("meetings:group_quorum", args=["DAG"])
        self.client.force_login(self.chair)
        assert self.client.get(url).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404
        self.client.force_login(self.secretariat)
        seth = Membership.objects.get(person=self.seth)
        chair = Membership.objects.get(person=self.chair.person)
        refused = self.client.post(url, {"quorum_members": "3", "voting": [seth.pk, chair.pk]})
        assert refused.context["form"].errors["quorum_members"]
        saved = self.client.post(
            url,
            {
                "quorum_members": "1",
                "publication_working_days": "10",
                "quorum_constituencies": " Supplier \r\n\r\n",
                "quorum_needs_chair": "on",
                "deputy_chair": self.seth.pk,
                "voting": [seth.pk],
            },
        )
        assert saved.status_code == 302
        self.group.refresh_from_db()
        chair.refresh_from_db()
        assert self.group.quorum_constituency_rules == ["Supplier"]
        assert self.group.deputy_chair == self.seth
        assert not chair.voting
        page = self.client.get(self.group.get_absolute_url()).content.decode()
        assert "At least one voting member for Supplier" in page

    def test_part_meeting_by_item_on_the_attendance_page(self):
        line = Attendance.objects.get(person=self.seth)
        url = reverse("meetings:attendance", args=[self.meeting.pk])
        self.client.force_login(self.secretariat)
        form = self.client.get(url).context["rows"][1][1]
        assert form.instance == line
        data = {f"{form.prefix}-{name}": value for name, value in form.initial.items() if value}
        data |= {
            f"{form.prefix}-status": "present",
            f"{form.prefix}-category": "industry",
            f"{form.prefix}-joined_at": self.items[3].pk,
            f"{form.prefix}-left_after": self.items[1].pk,
        }
        refused = self.client.post(url, data)
        assert "cannot leave before" in refused.content.decode()
        data[f"{form.prefix}-joined_at"] = self.items[1].pk
        data[f"{form.prefix}-left_after"] = self.items[3].pk
        assert self.client.post(url, data).status_code == 302
        line.refresh_from_db()
        assert (line.joined_at, line.left_after, line.part_meeting) == (
            self.items[1],
            self.items[3],
            True,
        )
        quorum = meeting_quorum(self.meeting)
        assert [quorum[item.pk].counted for item in self.items] == [
            ["Chair"],
            ["Chair", "Seth Chapman"],
            ["Chair", "Seth Chapman"],
            ["Chair", "Seth Chapman"],
            ["Chair"],
        ]
