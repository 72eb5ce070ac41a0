"""Home says what to do next, per role: the secretariat's work (minutes to issue against the
publication clock, reviews not recorded, decisions awaiting the chair, actions recommended
closed, overdue actions by group, unfinished imports, stalled documents), the chair's
approvals, and a member's own actions due soon or overdue with their update form one click
away. Each row links to where the work is done; another group's work never shows; the page
costs a fixed number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionStatus
from actions.services import action_add_update
from core.models import Membership, Role
from decisions.services import decision_create
from documents.models import Document
from meetings.documents import MINUTES
from meetings.models import MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = pytest.mark.django_db


def home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def stalled_document(meeting):
    document = Document.objects.create(
        kind=MINUTES, scope=f"meeting:{meeting.pk}", version=1, meeting=meeting
    )
    Document.objects.filter(pk=document.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=1)
    )
    return document


def test_the_secretariat_sees_its_work_each_linked_to_where_it_is_done(client, dag, secretariat):
    today = timezone.localdate()
    late = make_meeting(dag, number=30, date=today - datetime.timedelta(days=30))
    recent = make_meeting(dag, number=31, date=today - datetime.timedelta(days=1))
    make_action(late, due_date=today - datetime.timedelta(days=3))
    recommended = make_action(late, due_date=today + datetime.timedelta(days=30))
    action_add_update(
        action=recommended, text="Done", date=today, status=ActionStatus.RECOMMEND_CLOSED
    )
    decision = decision_create(group=dag, wording="The SRO agreed CR032 goes to IA")
    document = stalled_document(late)
    client.force_login(secretariat)
    client.post(
        reverse("actions:action_import"),
        {
            "group": "DAG",
            "file": _csv(
                "Ref,Date raised,Action,Owner,Due,Status\nDAG1-01,31/02/2023,X,Ofgem,,OPEN\n"
            ),
        },
    )

    content = home(client, secretariat)

    assert reverse("meetings:minutes_document", args=[late.pk]) in content
    assert 'badge--overdue">Overdue by' in content  # DAG030's clock ran out: red
    assert "working days left" in content or "working day left" in content  # DAG031's did not
    assert reverse("meetings:action_review", args=[recent.pk]) in content
    assert decision.get_absolute_url() in content
    assert f"Confirm or reopen {recommended.reference}" in content
    assert "?group=DAG&amp;due=overdue" in content and "DAG: 1 overdue action" in content
    assert "Action log log.csv into DAG" in content and "1 problem" in content
    assert reverse("meetings:document_detail", args=[document.pk]) in content
    # No DAG meeting is scheduled ahead: preparing the next one is offered.
    assert reverse("meetings:meeting_prepare", args=["DAG"]) in content
    make_meeting(dag, number=32, date=today + datetime.timedelta(days=20))
    assert reverse("meetings:meeting_prepare", args=["DAG"]) not in home(client, secretariat)


def test_a_recorded_review_and_issued_minutes_leave_the_list(client, dag, secretariat):
    today = timezone.localdate()
    earlier = make_meeting(dag, number=29, date=today - datetime.timedelta(days=40))
    held = make_meeting(dag, number=30, date=today - datetime.timedelta(days=2))
    action = make_action(earlier)
    action_add_update(
        action=action, text="Discussed", date=held.date, meeting=held, source="meeting"
    )
    earlier.status = MeetingStatus.MINUTES_ISSUED
    earlier.save()

    content = home(client, secretariat)

    assert reverse("meetings:action_review", args=[held.pk]) not in content
    assert reverse("meetings:minutes_document", args=[earlier.pk]) not in content
    assert reverse("meetings:minutes_document", args=[held.pk]) in content


def test_the_chair_sees_approvals_and_minutes_to_approve(client, dag, chair, member):
    decision = decision_create(group=dag, wording="The SRO agreed CR032 goes to IA")
    issued = make_meeting(dag, number=28, date=datetime.date(2023, 9, 13))
    issued.status = MeetingStatus.MINUTES_ISSUED
    issued.save()

    content = home(client, chair)

    assert reverse("decisions:decision_approve", args=[decision.reference]) in content
    assert reverse("meetings:minutes_approve", args=[issued.pk]) in content
    assert "To do as secretariat" not in content
    member_home = home(client, member)
    assert "To do as chair" not in member_home and "To do as secretariat" not in member_home


def test_a_member_sees_overdue_and_due_soon_actions_with_an_update_link(client, dag, member):
    today = timezone.localdate()
    meeting = make_meeting(dag, number=29, date=today - datetime.timedelta(days=60))
    overdue = make_action(meeting, owners=[member.person], due_date=today - datetime.timedelta(1))
    soon = make_action(meeting, owners=[member.person], due_date=today + datetime.timedelta(5))
    later = make_action(meeting, owners=[member.person], due_date=today + datetime.timedelta(60))

    content = home(client, member)

    overdue_at, soon_at, later_at = (
        content.index(">Overdue</h3>"),
        content.index(">Due in the next two weeks</h3>"),
        content.index(">Due later or undated</h3>"),
    )
    assert overdue_at < content.index(overdue.reference) < soon_at
    assert soon_at < content.index(soon.reference) < later_at < content.index(later.reference)
    assert f'href="{overdue.get_absolute_url()}#update-heading"' in content


def test_another_groups_work_is_not_shown(client, dag, secretariat, outsider):
    today = timezone.localdate()
    held = make_meeting(dag, number=30, date=today - datetime.timedelta(days=30))
    make_action(held, due_date=today - datetime.timedelta(days=3))
    decision = decision_create(group=dag, wording="Agreed")
    stalled_document(held)

    content = home(client, outsider)

    assert "To do as secretariat" not in content
    assert decision.reference not in content and "DAG030" not in content


def _csv(text):
    return SimpleUploadedFile("log.csv", text.encode(), content_type="text/csv")


# The secretariat and chair of the DAG who also owns actions: every section is on the page.
# Session, user, person, roles; the owner's actions (3); the secretariat's groups, meetings,
# overdue counts, decisions, recommended closed, documents (6); the chair's decisions,
# rounds and minutes (3) and menu badge (1); next meetings and groups (2).
HOME_ALL_ROLES_QUERIES = 19


class HomeQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
        cls.user = make_user("pmo", group=cls.dag, role=Role.SECRETARIAT)
        Membership.objects.create(group=cls.dag, person=cls.user.person, role=Role.CHAIR)

    def grow(self, start, count):
        today = timezone.localdate()
        for i in range(start, start + count):
            held = make_meeting(self.dag, date=today - datetime.timedelta(days=i + 1))
            make_action(held, owners=[self.user.person, make_person()], due_date=today)
            overdue = make_action(held, due_date=today - datetime.timedelta(days=1))
            action_add_update(
                action=overdue, text="Done", date=today, status=ActionStatus.RECOMMEND_CLOSED
            )
            decision_create(group=self.dag, wording="Agreed", meeting=held)
            stalled_document(held)
            make_meeting(self.dag, date=today + datetime.timedelta(days=i + 1))

    def test_fixed_queries_at_two_sizes(self):
        self.client.force_login(self.user)
        for start, count in ((0, 2), (2, 6)):
            self.grow(start, count)
            with self.assertNumQueries(HOME_ALL_ROLES_QUERIES):
                self.assertEqual(self.client.get("/").status_code, 200)
