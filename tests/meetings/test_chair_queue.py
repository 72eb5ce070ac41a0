"""The chair's queue (/decisions/queue/): everything awaiting the chair in the groups they
chair (proposed decisions, issued minutes, actions recommended closed, open correspondence
rounds) and its count badge in the navigation."""

import datetime
from unittest import mock

from django.test import TestCase

from actions.models import ActionStatus
from actions.services import action_add_update
from core.models import Role
from decisions import services
from meetings.chair_queue import chair_queue_count
from meetings.models import MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

QUEUE_URL = "/decisions/queue/"
# Session, user, the chair's roles (read once, shared with the menu), the Person (menu),
# the badge count, then per section: decisions, minutes, actions with their owners and
# the owners' people (three), rounds and their decisions (two), and the counts of the
# decisions, minutes and actions sections (only their first QUEUE_SHOWN rows are listed).
QUEUE_QUERIES = 15


def later(days=10):
    return datetime.date.today() + datetime.timedelta(days=days)


def badge(response):
    """The number in the menu's "Chair's queue" badge, or None without one."""
    content = response.content.decode()
    marker = 'Chair\'s queue <span class="badge">'
    if marker not in content:
        return None
    return int(content.split(marker, 1)[1].split("<", 1)[0])


class ChairQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag, cls.psg = make_group("DAG"), make_group("PSG")
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR)
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        make_user("psg-member", group=cls.psg, role=Role.MEMBER)
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        cls.meeting = make_meeting(cls.dag, number=29)
        cls.waiting = services.decision_create(
            group=cls.dag, meeting=cls.meeting, wording="DAG proposed wording"
        )
        approved = services.decision_create(group=cls.dag, wording="Already approved")
        services.decision_approve(decision=approved, user=cls.chair)
        cls.psg_decision = services.decision_create(group=cls.psg, wording="PSG proposed wording")
        cls.issued = make_meeting(
            cls.dag, number=28, date=datetime.date(2023, 9, 13), status=MeetingStatus.MINUTES_ISSUED
        )
        make_meeting(cls.dag, number=27, status=MeetingStatus.MINUTES_DRAFT)
        make_meeting(cls.dag, number=26, status=MeetingStatus.MINUTES_APPROVED)
        make_meeting(cls.psg, number=9, status=MeetingStatus.MINUTES_ISSUED)
        cls.recommended = cls.recommend_closing(make_action(cls.meeting, text="Ready to close"))
        make_action(cls.meeting, text="Still open")
        cls.recommend_closing(make_action(make_meeting(cls.psg, number=10), text="PSG closing"))
        out = services.decision_create(group=cls.dag, wording="Out for correspondence")
        cls.round = services.correspondence_round_open(
            group=cls.dag,
            title="DAG round",
            deadline=later(),
            user=cls.secretariat,
            decisions=[out],
        )
        psg_out = services.decision_create(group=cls.psg, wording="PSG correspondence")
        services.correspondence_round_open(
            group=cls.psg,
            title="PSG round",
            deadline=later(),
            user=cls.secretariat,
            decisions=[psg_out],
        )

    @staticmethod
    def recommend_closing(action):
        action_add_update(
            action=action,
            text="Recommend closed",
            date=datetime.date(2023, 10, 20),
            status=ActionStatus.RECOMMEND_CLOSED,
        )
        return action

    def test_lists_what_awaits_the_chair_in_their_groups(self):
        self.client.force_login(self.chair)

        response = self.client.get(QUEUE_URL)

        self.assertEqual(response.status_code, 200)
        context = response.context
        self.assertEqual(list(context["decisions"]), [self.waiting])
        self.assertEqual(list(context["minutes"]), [self.issued])
        self.assertEqual(list(context["actions"]), [self.recommended])
        self.assertEqual(list(context["rounds"]), [self.round])
        content = response.content.decode()
        for text in (
            "DAG proposed wording",
            f"/decisions/{self.waiting.reference}/approve/",
            f"/decisions/minutes/{self.issued.pk}/approve/",
            self.recommended.reference,
            "DAG round",
            "0 of 1",  # responses so far, of the members asked
        ):
            self.assertIn(text, content)
        for hidden in ("PSG proposed wording", "Already approved", "PSG round", "PSG closing"):
            self.assertNotIn(hidden, content)
        self.assertEqual(badge(response), 4)

    def test_the_badge_shows_on_every_page_for_chairs_only(self):
        self.client.force_login(self.chair)
        self.assertEqual(badge(self.client.get("/decisions/")), 4)
        self.assertEqual(badge(self.client.get(self.waiting.get_absolute_url())), 4)
        for user in (self.member, self.secretariat):
            self.client.force_login(user)
            self.assertIsNone(badge(self.client.get("/decisions/")))

    def test_the_count_falls_as_the_chair_clears_the_queue(self):
        self.client.force_login(self.chair)

        self.client.post(
            f"/decisions/{self.waiting.reference}/approve/",
            {"outcome": "approve", "wording": self.waiting.wording},
        )
        self.assertEqual(badge(self.client.get(QUEUE_URL)), 3)
        self.client.post(f"/decisions/minutes/{self.issued.pk}/approve/", {"headline": "on"})
        self.assertEqual(badge(self.client.get(QUEUE_URL)), 2)
        (out,) = self.round.decisions.all()
        self.client.post(
            f"/decisions/correspondence/{self.round.pk}/conclude/", {f"outcome_{out.pk}": "approve"}
        )
        response = self.client.get(QUEUE_URL)

        self.assertEqual(badge(response), 1)  # the action: closed from its own page
        self.assertContains(response, "No proposed decisions are waiting for you.")
        self.assertContains(response, "No issued minutes are waiting for approval.")
        self.assertContains(response, "No correspondence rounds are open.")

    def test_a_superuser_sees_every_group(self):
        self.client.force_login(make_user("admin", superuser=True))

        response = self.client.get(QUEUE_URL)

        self.assertEqual(len(response.context["decisions"]), 2)
        self.assertEqual(len(response.context["minutes"]), 2)
        self.assertEqual(len(response.context["actions"]), 2)
        self.assertEqual(len(response.context["rounds"]), 2)
        self.assertEqual(badge(response), 8)

    def test_minutes_out_for_correspondence_wait_in_their_round(self):
        services.correspondence_round_open(
            group=self.dag,
            title="Minutes",
            deadline=later(),
            user=self.secretariat,
            minutes_of=[self.issued],
        )
        self.client.force_login(self.chair)

        response = self.client.get(QUEUE_URL)

        self.assertEqual(list(response.context["minutes"]), [])
        self.assertEqual(len(response.context["rounds"]), 2)
        self.assertEqual(badge(response), 4)


class ChairQueueQueriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.chair = make_user("chair", group=cls.dag, role=Role.CHAIR)
        cls.secretariat = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        for _ in range(3):
            make_user(group=cls.dag, role=Role.MEMBER)

    def add(self, count):
        for _ in range(count):
            meeting = make_meeting(self.dag, status=MeetingStatus.MINUTES_ISSUED)
            services.decision_create(group=self.dag, meeting=meeting, wording="Proposed")
            action = make_action(meeting, owners=[make_person(), make_person()])
            action_add_update(
                action=action,
                text="Done",
                date=meeting.date,
                status=ActionStatus.RECOMMEND_CLOSED,
            )
            out = services.decision_create(group=self.dag, wording="By correspondence")
            services.correspondence_round_open(
                group=self.dag,
                title="Round",
                deadline=later(),
                user=self.secretariat,
                decisions=[out],
            )

    def test_the_queue_page_takes_a_fixed_number_of_queries(self):
        """Each row's group, meeting, action owners, round decisions and response counts
        come with their section's query, not one query (or several) per row."""
        self.client.force_login(self.chair)
        self.add(2)
        with self.assertNumQueries(QUEUE_QUERIES):
            self.assertEqual(badge(self.client.get(QUEUE_URL)), 8)
        self.add(12)
        with self.assertNumQueries(QUEUE_QUERIES):
            self.assertEqual(badge(self.client.get(QUEUE_URL)), 56)

    def test_long_sections_show_their_first_rows_and_count(self):
        """A chair of many groups may have thousands of actions recommended for closure:
        the queue lists the first few of each long section, says how many there are and
        links the register for the rest."""
        self.client.force_login(self.chair)
        self.add(3)
        with mock.patch("meetings.chair_views.QUEUE_SHOWN", 2):
            response = self.client.get(QUEUE_URL)
        self.assertEqual(len(response.context["actions"]), 2)
        self.assertContains(response, "The first 2 of 3 by reference")
        self.assertContains(response, "The oldest 2 of 3 minutes awaiting approval")
        self.assertContains(response, "/actions/?status=recommend_closed")

    def test_the_badge_is_counted_in_one_query(self):
        """The four sections are counted in one UNION ALL, not one query per section
        (nor per item) on every page a chair opens."""
        self.add(2)
        chair = self.chair
        chair._governance_roles = {self.dag.pk: {Role.CHAIR}}  # roles read by the request
        with self.assertNumQueries(1):
            self.assertEqual(chair_queue_count(chair), 8)
        self.add(5)
        with self.assertNumQueries(1):
            self.assertEqual(chair_queue_count(chair), 28)
        # Past the cap the badge stops counting and says so.
        with mock.patch("meetings.chair_queue.BADGE_CAP", 10):
            self.assertEqual(chair_queue_count(chair), 10)
            self.client.force_login(chair)
            self.assertContains(self.client.get(QUEUE_URL), "9+<span")
