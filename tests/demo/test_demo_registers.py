# ruff: noqa: E501  (rows transcribed from the papers: one cell per string, unwrapped)
"""python manage.py load_demo: the registers as the later papers show them, the June 2024
Change Request Status table and actions review, the DAG004 slides' open actions review,
and the RAID log.

Expected rows below are transcribed from shared/seeds/ independently of demo/data/,
so a slip in either shows up here.
"""

import datetime

import pytest

from actions.models import Action
from changerequests.models import ChangeRequest
from raid.models import RaidItem
from tests.demo_data import load_demo

pytestmark = pytest.mark.django_db

# June 2024 papers, "Change Request Status" table: (Ref, Key Detail, Change Raiser(s), Change
# Type, Latest Action, Approval Status, Current Stage, Action If approved, Implementation
# date/milestone, Change Owner(s) If approved).
CR_STATUS_TABLE = [
    (
        "CR043",
        "Supplier Registration of ABMU and MPAN Mapping",
        "Mike Ceney, Elexon",
        "Full Impact Assessment",
        "Approved by DAG (13-Mar-24)",
        "Approved",
        "Complete",
        "",
        "",
        "Paul Pettitt, MHHS Programme",
    ),  # noqa: E501
    (
        "CR044",
        "Implementation of 'Data Refresh' Message IF-051",
        "Sean Cooper, MHHS Programme",
        "Full Impact Assessment",
        "Awaiting PSG decision on implementation",
        "Rejected",
        "Closed",
        "Programme to hand over solution design to Code Bodies",
        "",
        "",
    ),  # noqa: E501
    (
        "CR045",
        "Supply Start Date (SSD) Correction Tool",
        "Sean Cooper, MHHS Programme on behalf of SCS",
        "Full Impact Assessment",
        "Awaiting PSG decision on implementation",
        "Open",
        "Approval decision",
        "Programme Participant Information Request (PPIR) to be issued to elicit participant views on feasibility of implementation pre-M10.",
        "",
        "",
    ),  # noqa: E501
    (
        "CR046",
        "Enabling Metering Point Energy Flow to be changed more than once",
        "Harriet Truss, RECCo",
        "Full Impact Assessment",
        "Approved by DAG (10-Apr-24)",
        "Approved",
        "Implementation",
        "Implement",
        "IR8.1 June-24",
        "Paul Pettitt, MHHS Programme",
    ),  # noqa: E501
    (
        "CR047",
        "Amending Qualification Milestones for non-SIT LDSO QT",
        "Ben Wickins, MHHS Programme",
        "Full Impact Assessment",
        "Approved by Change Board (12-Apr-24), subject to ratification by PSG",
        "Approved",
        "Complete",
        "",
        "",
        "Ben Wickins, MHHS Programme",
    ),  # noqa: E501
    (
        "CR048",
        "Amending Qualification Milestones for Non-SIT Supplier and Agent QT",
        "Laura Kennedy, Credera",
        "Full Impact Assessment",
        "Approved by Change Board (12-Apr-24), subject to ratification by PSG",
        "Approved",
        "Complete",
        "",
        "",
        "Nicola Farley, MHHS Programme",
    ),  # noqa: E501
    (
        "CR049",
        "Swagger Open API 3.0 to 3.1 Upgrade",
        "Rob Golding, MHHS Programme",
        "Full Impact Assessment",
        "Withdrawn by Change Raiser",
        "Withdrawn",
        "Withdrawn",
        "",
        "",
        "",
    ),  # noqa: E501
    (
        "CR050",
        "Amendments to the MHHS Change Control Approach and Form",
        "Immy Syms, MHHS Programme",
        "Full Impact Assessment",
        "Awaiting Ofgem approval decision",
        "Open",
        "Approval decision",
        "",
        "",
        "",
    ),  # noqa: E501
]

# June 2024 papers, "Minutes and Actions Review": (Ref, Owner, Due, status of Latest update).
JUNE_2024_ACTIONS = [
    ("DAG32-06", "Programme (PMO)", "08/05/2024", "ONGOING"),
    ("DAG34-08", "Programme (PMO)", "08/05/2024", "ONGOING"),
    ("DAG35-01", "Programme (Smitha Pichrikat)", "08/05/2024", "RECOMMEND CLOSED"),
    ("DAG35-03", "Programme (Paul Pettitt)", "08/05/2024", "RECOMMEND CLOSED"),
    ("DAG36-01", "Programme (PMO)", "10/05/2024", "RECOMMEND CLOSED"),
    ("DAG36-02", "Programme (Paul Pettitt)", "12/06/2024", "ONGOING"),
]

# DAG004 slides, open actions review: (Ref, Date, Due Date, first word of Status).
DAG004_ACTIONS = [
    ("DES-01-04", "17/11/2021", "09/02/2022", "CLOSED"),
    ("DES-01-05", "17/11/2021", "09/02/2022", "OPEN"),
    ("DES-02-02", "08/12/2021", "02/02/2022", "OPEN"),
    ("DES-03-01", "12/01/2022", "19/01/2022", "CLOSED"),
    ("DES-03-02", "12/01/2022", "09/02/2022", "OPEN"),
    ("DES-03-03", "12/01/2022", "09/02/2022", "CLOSED"),
    ("DES-03-04", "12/01/2022", "21/01/2022", "CLOSED"),
    ("DES-03-05", "12/01/2022", "09/02/2022", "OPEN"),
    ("DES-03-06", "12/01/2022", "09/02/2022", "CLOSED"),
    ("DES-03-07", "12/01/2022", "09/02/2022", "CLOSED"),
    ("DES-03-08", "12/01/2022", "09/02/2022", "CLOSED"),
]


def dmy(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def test_cr_status_table_row_for_row():
    load_demo()
    for row in CR_STATUS_TABLE:
        ref, title, raiser, change_type, latest, approval, stage, next_action, milestone, owner = (
            row
        )
        cr = ChangeRequest.objects.get(reference=ref)
        change_owner = (
            f"{cr.change_owner}, {cr.change_owner.organisation}" if cr.change_owner else ""
        )
        assert (
            cr.title,
            cr.raiser_display(),
            cr.get_change_type_display(),
            cr.latest_action,
            cr.get_approval_status_display(),
            cr.get_stage_display(),
            cr.next_action,
            cr.implementation_milestone,
            change_owner,
        ) == (title, raiser, change_type, latest, approval, stage, next_action, milestone, owner)
        assert cr.status_updated == datetime.date(2024, 6, 4), ref
    assert ChangeRequest.objects.get(reference="CR032").stage == "impact_assessment"


def test_june_2024_actions_with_latest_update():
    load_demo()
    for ref, owner, due, status in JUNE_2024_ACTIONS:
        action = Action.objects.get(reference=ref)
        assert (action.owner_display(), action.due_display()) == (owner, due), ref
        assert action.get_status_display() == status, ref
        latest = action.updates.latest()
        assert latest.get_status_set_display() == status, ref
        assert latest.meeting.date == datetime.date(2024, 6, 12), ref
    assert Action.objects.get(reference="DAG35-03").change_requests.get().reference == "CR045"


def test_dag004_open_actions_review_keeps_legacy_references():
    load_demo()
    for ref, raised, due, status in DAG004_ACTIONS:
        action = Action.objects.get(reference=ref)
        assert (action.date_raised, action.due_date) == (dmy(raised), dmy(due)), ref
        # As the DAG004 review left it: those still open were closed before DAG029.
        update = action.updates.filter(date__lte=datetime.date(2022, 2, 9)).latest()
        assert update.get_status_set_display() == status, ref
        assert action.status == "closed", ref
    assert Action.objects.get(reference="DES-03-04").closed_date == datetime.date(2022, 1, 18)


def test_raid_items():
    load_demo()
    r432 = RaidItem.objects.get(reference="R432")
    assert r432.title == (
        "There is a risk that new and existing Change Requests have a material impact on the "
        "baseline Design"
    )
    assert (r432.group.code, r432.area, r432.status) == ("DAG", "Design", "open")
    assert r432.score is not None
    assert r432.reviews.get().agenda_item.title == "Top Programme Risks related to DAG"
    types = set(RaidItem.objects.values_list("raid_type", flat=True))
    assert types == {"risk", "assumption", "issue", "dependency"}
    superseded = RaidItem.objects.get(status="superseded")
    assert superseded.superseded_by == r432
