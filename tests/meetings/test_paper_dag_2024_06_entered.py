"""The DAG papers of 12 June 2024 (DAG037, stood down to correspondence at DAG036) entered
as the secretariat would, through the ordinary pages with the test client: the meeting
scheduled and marked held by correspondence, its agenda items with the objective and the
slides presented, the review of the earlier actions with each action's latest update and
status as printed (ONGOING, RECOMMEND CLOSED), and the change requests named under the
"Change Request Updates" item with the status presented. Then the minutes page and the PDF
are compared with the pack table by table: the actions review table and the CRs presented.

Only what would already be in the tracker is made by fixtures: the group, DAG032 to DAG036
with the actions the pack reviews, and CR043 to CR050 (kept through the CR pages by
tests/changerequests/test_cr_june_2024_table.py). The expected rows are those of the pack
(../shared/seeds/DAG-papers-2024-06-12.txt), written out here so that the test runs from a
clean clone.

What the pack prints that is left out of the comparison:
- It records no decision: item 1 asks for the headline reports to be approved by
  correspondence, and the outcome is in no paper. There is no decisions table to compare.
- The app prints the actions review as two tables where the pack prints one: the
  outstanding actions (ref, action, owner, due) and, under "Updates on previous actions",
  each action's latest update with the status it set and the date it was recorded. The
  comparison checks the pack's row across the two.
- The CR status table itself (its ten columns) is the CR register's, compared there.
"""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Action, ActionStatus
from changerequests.services import change_request_create
from core.models import Role
from meetings.minutes import PREVIOUS_MEETINGS
from meetings.models import ChangeRequestPresented, Meeting, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text, section, tokens
from tests.meetings.test_paper_dag029_entered import assert_rows, tidy, url

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The earlier meetings (second Wednesday of the month; demo/data/meetings.yaml).
EARLIER = {
    32: datetime.date(2024, 1, 10),
    34: datetime.date(2024, 3, 13),
    35: datetime.date(2024, 4, 10),
    36: datetime.date(2024, 5, 8),
}

# The pack's "Minutes and Actions Review" table: (ref, action, owner, due, latest update),
# the latest update as printed, its status first.
REVIEW_TABLE = [
    (
        "DAG32-06",
        "Programme to provide further detail on the change freeze criteria and how change "
        "requests are progressed into normal BSC/REC/SEC BAU",
        "Programme (PMO)",
        "08/05/2024",
        "ONGOING: Work to develop arrangements for transition to BAU governance arrangements "
        "currently ongoing by Elexon. Elexon to engage RECCo (and any other Code Bodies s "
        "required). Programme supporting. Further updates to be provided to DAG as development "
        "by Elexon/Code Bodies progresses.",
    ),
    (
        "DAG34-08",
        "Programme to advise whether changes to the DAG Terms of Reference are required in "
        "response to the changes agreed by the Programme Steering Group to the MHHS Change "
        "Control Process",
        "Programme (PMO)",
        "08/05/2024",
        "ONGOING: ToR under review pending outcome of CR050 (Amendments to the MHHS Change "
        "Control Approach and Form).",
    ),
    (
        "DAG35-01",
        "Programme to provide visibility of the outputs of the lessons learned information "
        "provided by participants in relation to the Interface Code of Connections and DIP "
        "onboarding processes, as well as information on onboarding requirements for future "
        "testing stages",
        "Programme (Smitha Pichrikat)",
        "08/05/2024",
        "RECOMMEND CLOSED: Programme have updated the onboarding process where relevant. Areas "
        "have been identified where the CoCo needs to be updated to reflect minor feedback, and "
        "this is due in July 2024. Onboarding process for LDSO QT and Supplier and Agent "
        "Qualification will be published closer to the time.",
    ),
    (
        "DAG35-03",
        "Programme schedule Design Resolution Group (DRG) to develop detailed solution for CR045",
        "Programme (Paul Pettitt)",
        "08/05/2024",
        "RECOMMEND CLOSED: DRG to be took place 16-May-24, a further session took place on "
        "31-May, A PPIR will be issued by the PMO requesting feedback on implementation prior "
        "to M10.",
    ),
    (
        "DAG36-01",
        "Change marked headline reports of DAG meetings held 14 February 2024 and 13 March "
        "2024 to be issued for review/approval",
        "Programme (PMO)",
        "10/05/2024",
        "RECOMMEND CLOSED: Change marked headline reports issued with 12 June 2024 DAG papers "
        "for review/approval by correspondence.",
    ),
    (
        "DAG36-02",
        "Programme to invite Elexon to provide an update to DAG on the progress of "
        "arrangements for the transition of design change to BAU code governance arrangement "
        "post-M10",
        "Programme (Paul Pettitt)",
        "12/06/2024",
        "ONGOING: See DAG32-06.",
    ),
]
STATUSES = {label: value for value, label in ActionStatus.choices}

# The CRs the pack names (its CR status table, CR043-CR050): reference, title, and the
# status presented, worded from the table's "Latest Action", "Approval Status" and
# "Current Stage in Change Control" columns.
CRS = [
    (
        "CR043",
        "Supplier Registration of ABMU and MPAN Mapping",
        "Approved by DAG (13-Mar-24); Approved; Complete",
    ),
    (
        "CR044",
        "Implementation of 'Data Refresh' Message IF-051",
        "Awaiting PSG decision on implementation; Rejected; Closed",
    ),
    (
        "CR045",
        "Supply Start Date (SSD) Correction Tool",
        "Awaiting PSG decision on implementation; Open; Approval decision",
    ),
    (
        "CR046",
        "Enabling Metering Point Energy Flow to be changed more than once",
        "Approved by DAG (10-Apr-24); Approved; Implementation",
    ),
    (
        "CR047",
        "Amending Qualification Milestones for non-SIT LDSO QT",
        "Approved by Change Board (12-Apr-24), subject to ratification by PSG; Approved; Complete",
    ),
    (
        "CR048",
        "Amending Qualification Milestones for Non-SIT Supplier and Agent QT",
        "Approved by Change Board (12-Apr-24), subject to ratification by PSG; Approved; Complete",
    ),
    (
        "CR049",
        "Swagger Open API 3.0 to 3.1 Upgrade",
        "Withdrawn by Change Raiser; Withdrawn; Withdrawn",
    ),
    (
        "CR050",
        "Amendments to the MHHS Change Control Approach and Form",
        "Awaiting Ofgem approval decision; Open; Approval decision",
    ),
]

# The pack's sections as agenda items: (number, title, type, objective, slides presented).
# The pack numbers its slides, not its items; the items are numbered in order.
ITEMS = [
    (
        "1",
        "Headline Report and Actions",
        "decision",
        "Approval by correspondence of Headline Reports and update on actions",
        "1. Approval of change marked Headline Report of DAG held 14 February 2024, change "
        "marked Headline Report of DAG held 13 March 2024, change marked Headline Report of "
        "DAG held 10 April 2024, and Headline Report of DAG held 15 May 2024 by "
        "correspondence.\n\n2. Update on outstanding actions: see the Minutes and Actions "
        "Review.",
    ),
    (
        "2",
        "Change Request Updates",
        "information",
        "Updates on Programme Change Requests",
        "Updates from Programme Steering Group (PSG) held 05 June 2024:\n\n"
        "CR044 Implementation of 'Data Refresh' Message IF-051\n\n"
        "- Following an action taken at May PSG to understand Programme Participants' ability "
        "to implement CR044 before M10, the Programme issued a PPIR to all Participants, "
        "requesting that they confirm whether they are able to do so.\n"
        "- Despite all respondents supporting the principles of the change, 13 of the 19 "
        "responding Participants (including all DNOs) stated that they would not be able to "
        "implement the required changes before M10.\n"
        "- The SRO, as recommended by the Programme, rejected CR044 under the pre-M10 Change "
        "Control process.\n"
        "- CR044 and its solution design will be handed over to the Code Bodies for a post-M10 "
        "implementation.\n\n"
        "CR045 Supply Start Date (SSD) Correction Tool\n\n"
        "- The Programme has reached a finalised solution design development via the Design "
        "Resolution Group (DRG).\n"
        "- The Programme will now issue a PPIR to understand Programme Participants' ability "
        "to implement CR045 before M10, according to the finalised solution.\n"
        "- Should pre-M10 implementation not be feasible, the change will be handed over to "
        "Code Bodies for implementation under code governance processes, with a "
        "recommendation it be implemented as soon after M10 as possible (and noting CR045 is "
        "considered a higher priority than CR044).\n"
        "- An approval decision will be made at July PSG.\n\n"
        "Other CR Updates\n\n"
        "- CR050: Amendments to the MHHS Change Control Approach and Form was issued out to "
        "Impact Assessment. The IA response deadline closed on 29 May 2024. The report will be "
        "presented to Ofgem for an approval decision.",
    ),
    (
        "3",
        "Design Updates",
        "information",
        "Updates on Design Issue Notifications (DINs) and other design related matters",
        "DIN Log Stats as at 5 June 2024\n\n"
        "Design Interim Releases (IRs): IR8.1 – Publishing date 12-Jun",
    ),
    (
        "4",
        "Top Programme Risks related to DAG",
        "information",
        "Overview of Programme Risks related to DAG",
        "Single Programme Risk relating to DAG – R432 There is a risk that new and existing "
        "Change Requests have a material impact on the baseline Design. Please use dPMO Tool "
        "for further information",
    ),
    (
        "5",
        "Programme Updates",
        "information",
        "Updates from other MHHS governance groups and wider Programme updates",
        "PSG 05 June 2024\n\n"
        "CR044: Decision made on rejection of CR044 following engagement with participants. CR "
        "to be handed over to the Code Bodies for implementation post-M10 owing to feedback "
        "from participants that pre-M10 implementation is not feasible.\n\n"
        "DAG 08 May 2024\n\n"
        "Future DAG meetings: DAG agreed that, owing to the limited content expected for the "
        "next meeting, updates should be provided by correspondence and the meeting stood down "
        "(subject to there being no substantive items to discuss).",
    ),
    (
        "6",
        "Future DAG meetings",
        "information",
        "Information on future DAG meeting dates and approach",
        "Next steps:\n\n"
        "- Future DAG meetings: To be held via correspondence\n"
        "- Full meetings to be held if significant design matters require DAG consideration",
    ),
]
CR_ITEM = "2"

# The running header of the PDF's pages, in the middle of the text at a page break: the pack
# is papers, not minutes, so the minutes are not issued.
RUNNING_PDF = (
    "MHHS Design Advisory Group (DAG) Minutes and Actions – DAG037 – not yet issued "
    "Document Classification: Public"
)


@pytest.fixture
def dag():
    """The group, DAG032 to DAG036 with the actions the pack reviews, and the CRs it names."""
    group = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
    meetings = {
        number: make_meeting(group, number=number, date=date, status=MeetingStatus.HELD)
        for number, date in EARLIER.items()
    }
    for reference, text, owner, due, _ in REVIEW_TABLE:
        make_action(
            meetings[int(reference[3:5])],
            reference=reference,
            text=text,
            owner_printed=owner,
            owner_party="Programme",
            due_date=datetime.datetime.strptime(due, "%d/%m/%Y").date(),
        )
    change_request_create(title="An earlier change", group=group, reference="CR042")
    for reference, title, _ in CRS:
        change_request_create(title=title, group=group, reference=reference)
    return group


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("pmo", group=dag, role=Role.SECRETARIAT))
    return client


def ok(response):
    """A form accepted: the page redirects (a refusal shows the form again, with 200, and
    its errors)."""
    form = response.context and response.context.get("form")
    assert response.status_code == 302, form.errors if form else response.content.decode()
    return response


def schedule(pmo, dag):
    ok(
        pmo.post(
            url("meeting_create", "DAG"),
            {
                "number": "37",
                "point": "0",
                "title": "",
                "date": "2024-06-12",
                "start_time": "",
                "end_time": "",
                "venue": "",
                "classification": "public",
            },
        )
    )
    meeting = Meeting.objects.get(group=dag, number=37)
    form = pmo.get(url("meeting_edit", meeting.pk)).context["form"]
    ok(
        pmo.post(
            url("meeting_edit", meeting.pk),
            {
                "title": meeting.title,
                "date": "2024-06-12",
                "venue": "",
                "classification": "public",
                "held_by_correspondence": "on",
                "status": MeetingStatus.HELD,
                "version": form["version"].value(),
            },
        )
    )
    return meeting


def enter_agenda(pmo, meeting):
    for number, title, item_type, objective, slides in ITEMS:
        ok(
            pmo.post(
                url("agenda", meeting.pk),
                {
                    "number": number,
                    "title": title,
                    "lead": "",
                    "lead_text": "",
                    "item_type": item_type,
                    "duration_minutes": "",
                    "objective": objective,
                    "paper_text": slides,
                },
            )
        )
    return {item.number: item for item in meeting.agenda_items.all()}


def present_crs(pmo, meeting, item):
    for reference, _, status in CRS:
        response = pmo.post(
            reverse("meetings:agenda_item_cr_add", args=[meeting.pk, item.pk]),
            {"reference": reference, "status_presented": status},
        )
        ok(response)


def review_earlier_actions(pmo, meeting):
    data = {"date": "2024-06-04"}  # the pack's tables are "updated to 04/06/2024"
    for reference, *_, update in REVIEW_TABLE:
        label, text = update.split(": ", 1)
        pk = Action.objects.get(reference=reference).pk
        data |= {f"{pk}-status": STATUSES[label], f"{pk}-text": text}
    ok(pmo.post(url("action_review", meeting.pk), data))


def test_the_june_2024_papers_entered_through_the_pages_print_as_the_pack(pmo, dag):
    meeting = schedule(pmo, dag)
    items = enter_agenda(pmo, meeting)
    present_crs(pmo, meeting, items[CR_ITEM])
    review_earlier_actions(pmo, meeting)

    page, pdf = page_text(pmo, meeting), pdf_text(meeting)
    pdf = pdf.replace(RUNNING_PDF, " ")

    # Header: the meeting held by correspondence, with no times.
    header = [
        ["Meeting number", "DAG037", "Venue", "By correspondence"],
        ["Date and time", "12 June 2024", "Classification", "Public"],
    ]
    assert " ".join(" ".join(row) for row in header) in page
    assert_rows(pdf, header)

    # The pack's items headed by their type and objective ("DECISION: Approval by ..."),
    # on the agenda page and under each item of the minutes.
    agenda = pmo.get(url("agenda", meeting.pk)).content.decode()
    for number, title, item_type, objective, _ in ITEMS:
        assert objective in agenda, number
        heading = f"{number}. {title} {item_type.title()}: {objective} Paper presented"
        assert heading in page
        assert tidy(heading) in tidy(pdf)

    # The actions review, part one: the outstanding actions, oldest meeting last, as
    # "Previous Meeting(s)" rows of the actions table (the pack lists them oldest first).
    outstanding = sorted(
        (row[:4] for row in REVIEW_TABLE), key=lambda row: (-int(row[0][3:5]), row[0])
    )
    rows = [[PREVIOUS_MEETINGS] * (at == 0) + list(row) for at, row in enumerate(outstanding)]
    printed = " ".join(" ".join(row) for row in rows)
    assert f"New / Outstanding Actions Area Ref Action Owner Due {printed} Decisions" in page
    in_pdf = section(pdf, "New / Outstanding Actions", "Decisions")
    assert tokens(in_pdf) == tokens(printed)
    assert_rows(in_pdf.replace("/ ", "/"), rows)  # "BSC/REC/SEC" wraps after a slash

    # Part two: each action's latest update as printed, with the status it set.
    updates = [
        f"{reference}: {update.split(': ', 1)[1]} (04/06/2024) {update.split(': ', 1)[0]}"
        for reference, *_, update in REVIEW_TABLE
    ]
    for text in (page, pdf):
        heading = "Updates on previous actions"  # in title case in the PDF
        reviewed = section(text, heading, f"1. {ITEMS[0][1]}")[len(heading) :]
        assert tidy(reviewed) == tidy(" ".join([*updates, "Minutes"]))

    # The CRs presented under their item, each with its status. (The PDF's text may carry a
    # page's list markers, "1. 2. • •", in the middle of a line: its words are in order.)
    presented = [f"{ref} {title}: {status}" for ref, title, status in CRS]
    item_here = (f"{CR_ITEM}. Change Request Updates", "3. Design Updates")
    assert tidy(" ".join(presented)) in tidy(section(page, *item_here))
    assert_rows(section(pdf, *item_here), [[line] for line in presented])

    # The slides presented under each item, line by line (its list markers are the
    # page's, not text); in the PDF, each line's words in order.
    headings = [f"{number}. {title}" for number, title, *_ in ITEMS]
    for at, (*_, slides) in enumerate(ITEMS):
        end = headings[at + 1] if at + 1 < len(headings) else "Date of next meeting"
        lines = [re.sub(r"^(- |\d+\. )", "", line) for line in slides.splitlines() if line]
        part = section(page, headings[at], end)
        for line in lines:
            assert tidy(line) in tidy(part), line
        assert_rows(section(pdf, headings[at], end), [[line] for line in lines])

    # What was entered is held as the pack has it.
    meeting.refresh_from_db()
    assert meeting.held_by_correspondence
    assert ChangeRequestPresented.objects.filter(agenda_item__meeting=meeting).count() == 8
    assert {a.reference: a.status for a in Action.objects.all()} == {
        row[0]: STATUSES[row[4].split(":")[0]] for row in REVIEW_TABLE
    }
