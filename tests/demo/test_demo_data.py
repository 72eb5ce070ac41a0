# ruff: noqa: E501  (rows transcribed from the papers: one cell per string, unwrapped)
"""python manage.py load_demo: the demo reproduces the DAG029 paper's tables (actions,
decisions, attendees, agenda), has the demo users, and can be run twice. (The June 2024
papers, the DAG004 slides and the RAID log: test_demo_registers.py.)

Expected rows below are transcribed from shared/seeds/ independently of demo/data/,
so a slip in either shows up here.
"""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actions.models import Action
from core.models import Membership
from decisions.models import Decision
from meetings.models import Meeting
from tests.demo_data import load_demo

pytestmark = pytest.mark.django_db

# DAG029 minutes, "New / Outstanding Actions": (Area, Ref, Action, Owner, Due) as written.
# A blank area continues the one above; "Previous Meeting(s)" heads the older actions.
DAG029_ACTIONS_TABLE = [
    (
        "CR032 Impact Assessment",
        "DAG29-01",
        "NGESO to amend Programme Change Request 032 (Change to Interface IF-165 P0210 TUoS Reporting) and resubmit to the Programme for issuance to Impact Assessment",
        "NGESO Representative (Daniel Arrowsmith)",
        "13/10/2023",
    ),  # noqa: E501
    (
        "UTC vs Clock Times",
        "DAG29-02",
        "Programme to issue Programme Participant Information Request on UTC vs Clock Time for Change of Supplier Reads and Service Appointment, and return to November DAG with recommendation for decision",
        "Programme (Matt Hall)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "",
        "DAG29-03",
        "Programme to raise UTC vs Clock Time with the Fast Track Implementation Group",
        "Programme (Paul Pettitt)",
        "13/10/2023",
    ),  # noqa: E501
    (
        "Testing Release Strategy",
        "DAG29-04",
        "Programme to consider the provision of regular updates to DAG on the interaction of design/testing releases",
        "Programme (Paul Pettitt & Lee Cox)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "",
        "DAG29-05",
        "Programme to review the Programme Change Request template and ensure a view is provided alongside new CRs on the implementation/release outlook",
        "Programme (PMO)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "DAG Terms of Reference",
        "DAG29-06",
        "Programme to review additional comments on DAG Terms of Reference updates and wider governance structure",
        "Programme (Justin Andrews)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "Top Programme Risks related to DAG",
        "DAG29-07",
        "Programme to provide link to RAID form to DAG members",
        "Programme (PMO)",
        "ASAP",
    ),  # noqa: E501
    (
        "AOB (CR029)",
        "DAG29-08",
        "Programme to review CR029 implementation and confirm it has not expanded the scope of the solution and whether any change or explanation is required",
        "Programme (Paul Pettitt)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "Previous Meeting(s)",
        "DAG28-04",
        "Programme to raise Design Issue Notifications (DINs) for the implementation of CR024 and CR025",
        "Programme (Berlinda Kugara)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "",
        "DAG28-05",
        "Programme to consider the potential implications for MDR onboarding as part of the detailed design activities (including the approach to DIP onboarding and ISD Management for MDRs using this optional solution) and engage with code bodies as required",
        "Programme (Design Team)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "",
        "DAG28-12",
        "Programme to provide update on the retrospective amendments process issue and raise for discussion at the DRG meeting",
        "Programme (Paul Pettitt)",
        "08/11/2023",
    ),  # noqa: E501
    (
        "",
        "DAG27-08",
        "Programme to confirm version incrementing arrangements for data flows and scenario variants changing as a result of MHHS",
        "Programme (Matt McKeon)",
        "08/11/2023",
    ),  # noqa: E501
]
PREVIOUS_MEETINGS = "Previous Meeting(s)"

# DAG029 minutes, "Decisions": (Area, Dec Ref, Decision).
DAG029_DECISIONS_TABLE = [
    (
        "Minutes and Actions",
        "DAG-DEC75",
        "Headline Report and changed marked Minutes of DAG meeting held 13 September 2023 approved",
    ),  # noqa: E501
    (
        "CR032 Impact Assessment",
        "DAG-DEC76",
        "The SRO agreed CR032 (Change to Interface IF-165 P0210 TUoS Reporting) should be issued to Impact Assessment, subject to amendments to be undertaken by the Change Raiser",
    ),  # noqa: E501
    (
        "Updates to the Interface Code of Connections",
        "DAG-DEC77",
        "The SRO approved updates to the Interface Code of Connections for publication as v1.1",
    ),  # noqa: E501
    (
        "Transition Design Updates",
        "DAG-DEC78",
        "The SRO agreed the Tranche 2 Transition Design (Settlement Timetable Transition) artefacts should be issued for consultation",
    ),  # noqa: E501
]

# DAG029 attendee table: (section, name, initials, role, on behalf of, part meeting).
DAG029_ATTENDEES = [
    ("Chair", "Justin Andrews", "", "Chair", None, False),
    (
        "Industry Representatives",
        "Carolyn Burns",
        "CBu",
        "Small Supplier Representative",
        None,
        False,
    ),  # noqa: E501
    ("Industry Representatives", "Daniel Arrowsmith", "DA", "National Grid ESO", None, False),
    ("Industry Representatives", "David Yeoman", "DY", "DNO Representative", None, False),
    (
        "Industry Representatives",
        "Morven Hunter",
        "MHu",
        "iDNO Representative",
        "Donna Jamieson",
        False,
    ),  # noqa: E501
    ("Industry Representatives", "Gareth Evans", "GE", "I&C Supplier Representative", None, False),  # noqa: E501
    (
        "Industry Representatives",
        "Haz Elmamoun",
        "HE",
        "Large Supplier Representative",
        None,
        False,
    ),  # noqa: E501
    (
        "Industry Representatives",
        "Robert Langdon",
        "RL",
        "Supplier Agent Representative",
        None,
        False,
    ),  # noqa: E501
    ("Industry Representatives", "Riccardo Lampini", "RLamp", "Elexon Representative", None, False),  # noqa: E501
    ("Industry Representatives", "Sarah Jones", "SJ", "RECCo Representative", None, False),
    (
        "Industry Representatives",
        "Seth Chapman",
        "SC",
        "Supplier Agent Representative",
        None,
        False,
    ),  # noqa: E501
    (
        "Industry Representatives",
        "Stuart Scott",
        "SS",
        "DCC Representative (as smart meter central system provider)",
        None,
        True,
    ),  # noqa: E501
    (
        "Industry Representatives",
        "Vladimir Black",
        "VB",
        "Medium Supplier Representative",
        None,
        False,
    ),  # noqa: E501
    ("MHHS", "Andrew Margan", "AM", "Code Lead", None, True),
    ("MHHS", "Berlinda Kugara", "BK", "Design Team", None, False),
    ("MHHS", "Fraser Mathieson", "FM", "PMO Governance Lead", None, False),
    ("MHHS", "Immy Syms", "IS", "PMO Change Lead", None, True),
    ("MHHS", "Lee Cox", "LC", "Test Lead", None, True),
    ("MHHS", "Matt Hall", "MH", "Design Team", None, True),
    ("MHHS", "Paul Pettitt", "PP", "Design Lead", None, False),
    ("MHHS", "Sean Cooper", "SC", "Design Team", None, True),
    ("Other Attendees", "Andrew Dudkowsky", "AD", "NGESO", None, True),
    ("Other Attendees", "Colin Berry", "CBer", "Elexon Helix", None, True),
    ("Other Attendees", "Colin Bezant", "CBez", "IPA", None, True),
    ("Other Attendees", "Danielle Walton", "DW", "Ofgem", None, False),
    ("Other Attendees", "Taylor Thorpe", "TT", "IPA", None, True),
    ("Apologies", "Caroline Farquhar", "", "Consumer Representative", None, False),
]
SECTION_CATEGORY = {
    "Chair": "chair",
    "Industry Representatives": "industry",
    "MHHS": "programme",
    "Other Attendees": "other",
}


def test_dag029_new_and_outstanding_actions_table_row_for_row():
    load_demo()
    area = ""
    for written_area, ref, text, owner, due in DAG029_ACTIONS_TABLE:
        area = written_area or area
        action = Action.objects.get(reference=ref)
        assert action.text == text, ref
        assert action.due_display() == due, ref
        assert action.owner_display() == owner, ref
        if area == PREVIOUS_MEETINGS:
            assert action.meeting.date < datetime.date(2023, 10, 11), ref
        else:
            assert action.area == area, ref
            assert action.meeting.code == "DAG029", ref
            assert action.date_raised == datetime.date(2023, 10, 11), ref
    raised_at_dag029 = Action.objects.filter(meeting__number=29).order_by("reference")
    assert [a.reference for a in raised_at_dag029] == [f"DAG29-0{n}" for n in range(1, 9)]


def test_dag029_actions_link_their_agenda_items_and_change_requests():
    load_demo()
    links = {
        ref: (
            action.agenda_item.number,
            sorted(cr.reference for cr in action.change_requests.all()),
        )
        for ref, action in ((a.reference, a) for a in Action.objects.filter(meeting__number=29))
    }
    assert links == {
        "DAG29-01": ("4", ["CR032"]),
        "DAG29-02": ("6", []),
        "DAG29-03": ("6", []),
        "DAG29-04": ("8", []),
        "DAG29-05": ("8", []),
        "DAG29-06": ("10", []),
        "DAG29-07": ("11", []),
        "DAG29-08": ("13", ["CR029"]),
    }
    dag28_04 = Action.objects.get(reference="DAG28-04")
    assert sorted(cr.reference for cr in dag28_04.change_requests.all()) == ["CR024", "CR025"]
    assert Action.objects.get(reference="DAG29-07").due_kind == "asap"


def test_previous_actions_reviewed_at_dag029_carry_its_updates():
    load_demo()
    ongoing = Action.objects.get(reference="DAG28-04")
    update = ongoing.updates.get(meeting__number=29)
    assert (update.meeting.code, update.status_set) == ("DAG029", "ongoing")
    # Closed later, so the June 2024 papers do not list it (demo/data/actions.yaml).
    assert ongoing.closed_meeting.code == "DAG030"
    for ref in ("DAG28-02", "DAG28-03", "DAG28-05", "DAG28-07", "DAG28-08", "DAG28-11", "DAG28-15"):
        action = Action.objects.get(reference=ref)
        assert action.get_status_display() == "CLOSED", ref
        assert action.closed_meeting.code == "DAG029", ref
        assert action.closed_date == datetime.date(2023, 10, 11), ref
        assert action.updates.get().status_set == "closed", ref


def test_dag029_decisions_table_row_for_row():
    load_demo()
    taken_at = datetime.datetime(2023, 10, 11, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    for area, ref, wording in DAG029_DECISIONS_TABLE:
        decision = Decision.objects.get(reference=ref)
        assert (decision.area, decision.wording) == (area, wording), ref
        assert decision.status == "approved", ref
        assert decision.decided_by.name == "Justin Andrews", ref
        assert decision.decided_at == taken_at, ref
        assert decision.meeting.code == "DAG029", ref
        assert decision.agenda_item.title == area or ref == "DAG-DEC75", ref
    dec76 = Decision.objects.get(reference="DAG-DEC76")
    assert [cr.reference for cr in dec76.change_requests.all()] == ["CR032"]


def test_dag029_attendee_lines_as_written():
    load_demo()
    meeting = Meeting.objects.get(group__code="DAG", number=29)
    lines = [
        (
            a.category,
            a.status,
            a.person.name,
            a.initials,
            a.role,
            a.on_behalf_of.name if a.on_behalf_of else None,
            a.part_meeting,
        )
        for a in meeting.attendances.select_related("person", "on_behalf_of").order_by("order")
    ]
    expected = []
    for section, name, initials, role, on_behalf_of, part in DAG029_ATTENDEES:
        if section == "Apologies":
            # Caroline Farquhar: the Consumer Representative, an industry seat.
            category, status = "industry", "apologies"
        else:
            category, status = SECTION_CATEGORY[section], "present"
        expected.append((category, status, name, initials, role, on_behalf_of, part))
    assert lines == expected
    both_sc = meeting.attendances.filter(initials="SC").values_list("person__name", flat=True)
    assert sorted(both_sc) == ["Sean Cooper", "Seth Chapman"]


def test_dag029_header_and_agenda():
    load_demo()
    meeting = Meeting.objects.get(group__code="DAG", number=29)
    assert meeting.code == "DAG029"
    assert (meeting.date, meeting.start_time, meeting.end_time) == (
        datetime.date(2023, 10, 11),
        datetime.time(10, 0),
        datetime.time(13, 0),
    )
    assert meeting.venue == "Virtual – MS Teams"
    assert meeting.classification == "public"
    assert meeting.status == "minutes_issued"
    assert meeting.minutes_issue_date == datetime.date(2023, 10, 18)
    assert (meeting.next_meeting_date, meeting.next_meeting_time) == (
        datetime.date(2023, 11, 8),
        datetime.time(10, 0),
    )
    items = list(meeting.agenda_items.order_by("order"))
    assert [i.number for i in items] == [str(n) for n in range(1, 14)]
    assert items[3].title == "CR032 Impact Assessment"
    assert "ACTION DAG29-01:" in items[3].minutes
    assert "DECISION DAG-DEC76:" in items[3].minutes
    assert not any("Formatted:" in i.minutes for i in items)
    assert [i.number for i in items if i.item_type == "decision"] == ["2", "4", "5", "7"]
    assert meeting.group.programme_label == "MHHS"
    assert "primary decision-making authority" in meeting.group.terms_of_reference


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_running_twice_changes_nothing_and_keeps_passwords():
    load_demo()
    first = row_counts()
    chair = get_user_model().objects.get(username="chair")
    chair.set_password("changed by the chair")
    chair.save()

    out = StringIO()  # the command itself, over the demo data
    call_command("load_demo", stdout=out)
    summary = out.getvalue()

    assert row_counts() == first  # no duplicates, and no new history records either
    changes = re.findall(r"(\d+) (?:created|updated),", summary)
    assert changes and set(changes) == {"0"}
    chair.refresh_from_db()
    assert chair.check_password("changed by the chair")


def test_demo_users_and_their_roles():
    load_demo()
    users = get_user_model().objects
    expected = {
        "secretariat": ("Fraser Mathieson", "secretariat"),
        "chair": ("Justin Andrews", "chair"),
        "member": ("Paul Pettitt", "member"),
        "observer": ("Danielle Walton", "observer"),
    }
    for username, (name, role) in expected.items():
        user = users.get(username=username)
        assert user.check_password("demo"), username
        assert user.person.name == name, username
        roles = Membership.objects.filter(person__user=user, group__code="DAG")
        assert list(roles.values_list("role", flat=True)) == [role], username
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo")
    # The member's own page has something on it: open actions they own.
    assert Action.objects.open().owned_by(users.get(username="member").person).exists()
