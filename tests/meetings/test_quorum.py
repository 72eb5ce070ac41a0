"""Quorum per agenda item: a real meeting history (a deputy standing in, a late joiner, the
chair leaving early, a recusal, a non-voting member and an observer), checked item by item,
and what it means for the decisions recorded at those items."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from core.models import Membership, Role
from decisions.models import DecisionStatus
from decisions.services import (
    decision_approve,
    decision_confirm_quorum,
    decision_create,
)
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceCategory,
    AttendanceStatus,
    InterestDeclaration,
)
from meetings.quorum import meeting_quorum
from tests.factories import GroupFactory, MeetingFactory, PersonFactory, UserFactory

PRESENT, APOLOGIES = AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES


class QuorumHistory(TestCase):
    """DAG's rule: 3 voting members, one for Supplier and one for Network, the chair or the
    deputy chair (Dee) present. Items 1-5:

    - the chair (Jo) leaves after item 3; Dee, a voting member, is there throughout;
    - Sam (Large Supplier) sends apologies; Xan, no member, stands in for Sam from item 2;
    - Nia (DNO Network) is there throughout but declares an interest and leaves for item 4;
    - Vic (Network, non-voting) and Obi (observer) attend and never count.
    """

    @classmethod
    def setUpTestData(cls):
        cls.group = GroupFactory(
            code="DAG", quorum_members=3, quorum_constituencies="Supplier\nnetwork\n"
        )
        cls.chair_user = UserFactory(username="jo", group=cls.group, role=Role.CHAIR)
        cls.jo = cls.chair_user.person
        people = {}
        for name, role, constituency, voting in [
            ("Dee", Role.MEMBER, "Programme Representative", True),
            ("Sam", Role.MEMBER, "Large Supplier Representative", True),
            ("Nia", Role.MEMBER, "DNO Network Representative", True),
            ("Vic", Role.MEMBER, "Network Operator Observer", False),
            ("Obi", Role.OBSERVER, "Supplier Observer", True),
        ]:
            people[name] = PersonFactory(name=name)
            Membership.objects.create(
                group=cls.group,
                person=people[name],
                role=role,
                constituency=constituency,
                voting=voting,
            )
        cls.xan = PersonFactory(name="Xan")
        cls.people = people
        cls.group.quorum_needs_chair = True
        cls.group.deputy_chair = people["Dee"]
        cls.group.save()
        cls.meeting = MeetingFactory(group=cls.group, date=datetime.date(2024, 6, 12))
        cls.items = [
            AgendaItem.objects.create(
                meeting=cls.meeting, number=str(n), order=n, title=f"Item {n}"
            )
            for n in range(1, 6)
        ]
        one, two, three, four, _ = cls.items

        def line(person, status=PRESENT, **fields):
            return Attendance.objects.create(
                meeting=cls.meeting,
                person=person,
                category=AttendanceCategory.INDUSTRY,
                status=status,
                **fields,
            )

        line(cls.jo, left_after=three, part_meeting=True)
        line(people["Dee"])
        line(people["Sam"], APOLOGIES)
        line(cls.xan, on_behalf_of=people["Sam"], joined_at=two, part_meeting=True)
        line(people["Nia"])
        line(people["Vic"])
        line(people["Obi"])
        InterestDeclaration.objects.create(
            agenda_item=four, person=people["Nia"], interest="Bidder's adviser", recused=True
        )
        # Declared without leaving the room: still counted.
        InterestDeclaration.objects.create(agenda_item=two, person=people["Dee"], interest="x")

    def quorum(self):
        return [meeting_quorum(self.meeting)[item.pk] for item in self.items]

    def test_every_item(self):
        one, two, three, four, five = self.quorum()
        assert not one.met
        assert one.shortfalls == ["no voting member for Supplier"]
        assert sorted(one.counted) == ["Dee", "Jo", "Nia"]
        for item in (two, three):
            assert item.met, item.shortfalls
            assert sorted(item.counted) == ["Dee", "Jo", "Nia", "Xan (for Sam)"]
        assert not four.met
        assert four.recused == ["Nia"]
        assert four.shortfalls == [
            "2 voting members of the 3 needed",
            "no voting member for network",
        ]
        assert five.met
        assert sorted(five.counted) == ["Dee", "Nia", "Xan (for Sam)"]

    def test_without_the_deputy_the_chair_must_stay(self):
        self.group.deputy_chair = None
        self.group.save()
        quorum = self.quorum()
        assert quorum[2].met
        assert quorum[4].shortfalls == ["the chair not present"]

    def test_no_rule_no_correspondence_sitting_means_quorate(self):
        self.group.quorum_members = None
        self.group.quorum_constituencies = ""
        self.group.quorum_needs_chair = False
        self.group.save()
        assert all(q.met and not q.applies for q in self.quorum())

    def test_decision_at_a_quorate_item_is_approved_as_usual(self):
        decision = decision_create(
            group=self.group, wording="Agreed.", meeting=self.meeting, agenda_item=self.items[1]
        )
        assert decision.quorum_problem() == ""
        decision_approve(decision=decision, user=self.chair_user)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED
        assert decision.quorum_confirmed_at is None

    def test_decision_at_a_non_quorate_item_needs_the_chair_to_confirm_it(self):
        decision = decision_create(
            group=self.group, wording="Agreed.", meeting=self.meeting, agenda_item=self.items[3]
        )
        assert decision.quorum_problem().startswith("Item 4 was not quorate")
        with self.assertRaises(ValidationError) as refused:
            decision_approve(decision=decision, user=self.chair_user)
        assert "confirm_quorum" in refused.exception.error_dict
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.PROPOSED
        decision_approve(decision=decision, user=self.chair_user, confirm_quorum=True)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED
        assert decision.quorum_confirmed_by == self.chair_user
        assert decision.quorum_problem() == ""

    def test_approved_from_a_paper_is_flagged_until_confirmed(self):
        decision = decision_create(
            group=self.group,
            wording="Agreed.",
            meeting=self.meeting,
            agenda_item=self.items[0],
            status=DecisionStatus.APPROVED,
            decided_at=datetime.datetime(2024, 6, 12, 11, tzinfo=datetime.UTC),
        )
        self.client.force_login(self.chair_user)
        page = self.client.get(self.meeting.get_absolute_url())
        assert "Not quorate: chair to confirm" in page.content.decode()
        assert f'id="quorum-item-{self.items[0].pk}"' in page.content.decode()
        detail = self.client.get(decision.get_absolute_url())
        assert "quorum-flag" in detail.content.decode()
        self.client.post(reverse("decisions:decision_confirm_quorum", args=[decision.reference]))
        decision.refresh_from_db()
        assert decision.quorum_confirmed_at is not None
        with self.assertRaises(ValidationError):
            decision_confirm_quorum(decision=decision, user=self.chair_user)

    def test_approval_page_asks_for_the_confirmation(self):
        decision = decision_create(
            group=self.group, wording="Agreed.", meeting=self.meeting, agenda_item=self.items[3]
        )
        self.client.force_login(self.chair_user)
        url = reverse("decisions:decision_approve", args=[decision.reference])
        refused = self.client.post(url, {"outcome": "approve", "wording": "Agreed."})
        assert refused.status_code == 200
        assert "Item 4 was not quorate" in refused.content.decode()
        done = self.client.post(
            url, {"outcome": "approve", "wording": "Agreed.", "confirm_quorum": "on"}
        )
        assert done.status_code == 302
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED

    def test_only_the_chair_confirms(self):
        decision = decision_create(
            group=self.group,
            wording="Agreed.",
            meeting=self.meeting,
            agenda_item=self.items[0],
            status=DecisionStatus.APPROVED,
            decided_at=datetime.datetime(2024, 6, 12, 11, tzinfo=datetime.UTC),
        )
        url = reverse("decisions:decision_confirm_quorum", args=[decision.reference])
        member = UserFactory(group=self.group, role=Role.MEMBER)
        self.client.force_login(member)
        assert self.client.post(url).status_code == 403
        outsider = UserFactory(group=GroupFactory(code="TMAG"), role=Role.CHAIR)
        self.client.force_login(outsider)
        assert self.client.post(url).status_code == 404
