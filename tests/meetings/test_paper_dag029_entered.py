"""The DAG029 minutes (11 October 2023, issued 18/10/2023) entered as the secretariat
would, through the ordinary pages with the test client: the meeting scheduled and its
header edited, the attendance lines, the agenda, the minutes of each item, the actions
raised with the paper's references, owners and due dates, the decisions taken (DAG-DEC76
typed), the minutes of DAG028 approved, the review of the earlier actions, the date of
the next meeting and the issue. Then the minutes page and the PDF are compared with the
paper table by table: header, attendees per section, new and outstanding actions,
decisions, and the date of the next meeting.

Only what would already be in the tracker is made by fixtures: the group and its people,
DAG027 and DAG028 with the actions the paper reviews, and the decision before DAG-DEC75.
The expected rows are those of the paper (../shared/seeds/DAG029-minutes-2023-10-11.txt),
written out here so that the test runs from a clean clone.

Where the app prints the paper differently, by design, the comparison says so:
- The paper's table lists DAG28-05 under "Previous Meeting(s)" while its minutes close it
  ("Action closed and to be picked up as part of CR023 solution development"); the paper
  contradicts itself, and the minutes win (as in the demo data): the app lists DAG28-05
  under "Closed at this meeting", a group the paper's table does not have.
- DAG-DEC75 is the app's record of the approval of DAG028's minutes, worded by the app
  ("change marked"; the paper's table has the typo "changed marked").
"""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Action, ActionStatus
from core.models import Person, Role
from decisions.models import Decision, DecisionStatus
from meetings.minutes import CLOSED_HERE, PREVIOUS_MEETINGS
from meetings.models import Attendance, Meeting, MeetingStatus
from tests.factories import (
    DecisionFactory,
    make_action,
    make_group,
    make_meeting,
    make_person,
    make_user,
)
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text, section, tokens

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MEETING_DAY = datetime.date(2023, 10, 11)
NOV_8 = "08/11/2023"

# Attendees as printed: (section, name, initials, role, part meeting, on behalf of).
# The chair's line prints "(Chair)" as its note; Caroline Farquhar sent apologies.
INDUSTRY = [
    ("Carolyn Burns", "CBu", "Small Supplier Representative", False),
    ("Daniel Arrowsmith", "DA", "National Grid ESO", False),
    ("David Yeoman", "DY", "DNO Representative", False),
    ("Gareth Evans", "GE", "I&C Supplier Representative", False),
    ("Haz Elmamoun", "HE", "Large Supplier Representative", False),
    ("Robert Langdon", "RL", "Supplier Agent Representative", False),
    ("Riccardo Lampini", "RLamp", "Elexon Representative", False),
    ("Sarah Jones", "SJ", "RECCo Representative", False),
    ("Seth Chapman", "SC", "Supplier Agent Representative", False),
    ("Stuart Scott", "SS", "DCC Representative (as smart meter central system provider)", True),
    ("Vladimir Black", "VB", "Medium Supplier Representative", False),
]
# Morven Hunter, new to the tracker, deputised for Donna Jamieson: printed after David
# Yeoman.
DEPUTY = ("Morven Hunter", "MHu", "iDNO Representative", False)
PROGRAMME = [
    ("Andrew Margan", "AM", "Code Lead", True),
    ("Berlinda Kugara", "BK", "Design Team", False),
    ("Fraser Mathieson", "FM", "PMO Governance Lead", False),
    ("Immy Syms", "IS", "PMO Change Lead", True),
    ("Lee Cox", "LC", "Test Lead", True),
    ("Matt Hall", "MH", "Design Team", True),
    ("Paul Pettitt", "PP", "Design Lead", False),
    ("Sean Cooper", "SC", "Design Team", True),  # SC as Seth Chapman: printed so
]
OTHERS = [
    ("Andrew Dudkowsky", "AD", "NGESO", True),
    ("Colin Berry", "CBer", "Elexon Helix", True),
    ("Colin Bezant", "CBez", "IPA", True),
    ("Danielle Walton", "DW", "Ofgem", False),
    ("Taylor Thorpe", "TT", "IPA", True),
]

# The attendee table as the paper prints it, section by section.
ATTENDEES = {
    "Chair": ["Justin Andrews (Chair) Chair"],
    "Industry Representatives": [
        "Carolyn Burns (CBu) Small Supplier Representative",
        "Daniel Arrowsmith (DA) National Grid ESO",
        "David Yeoman (DY) DNO Representative",
        "Morven Hunter (MHu) (on behalf of Donna Jamieson) iDNO Representative",
        "Gareth Evans (GE) I&C Supplier Representative",
        "Haz Elmamoun (HE) Large Supplier Representative",
        "Robert Langdon (RL) Supplier Agent Representative",
        "Riccardo Lampini (RLamp) Elexon Representative",
        "Sarah Jones (SJ) RECCo Representative",
        "Seth Chapman (SC) Supplier Agent Representative",
        "Stuart Scott (SS) (part meeting) DCC Representative (as smart meter central system "
        "provider)",
        "Vladimir Black (VB) Medium Supplier Representative",
    ],
    "MHHS": [
        "Andrew Margan (AM) (part meeting) Code Lead",
        "Berlinda Kugara (BK) Design Team",
        "Fraser Mathieson (FM) PMO Governance Lead",
        "Immy Syms (IS) (part meeting) PMO Change Lead",
        "Lee Cox (LC) (part meeting) Test Lead",
        "Matt Hall (MH) (part meeting) Design Team",
        "Paul Pettitt (PP) Design Lead",
        "Sean Cooper (SC) (part meeting) Design Team",
    ],
    "Other Attendees": [
        "Andrew Dudkowsky (AD) (part meeting) NGESO",
        "Colin Berry (CBer) (part meeting) Elexon Helix",
        "Colin Bezant (CBez) (part meeting) IPA",
        "Danielle Walton (DW) Ofgem",
        "Taylor Thorpe (TT) (part meeting) IPA",
    ],
    "Apologies": ["Caroline Farquhar Consumer Representative"],
}

# The paper's "New / Outstanding Actions" table: (area, ref, action, owner, due), the area
# printed on the first row of its group only; and the item each new action was raised at.
NEW_ACTIONS = [
    (
        "4",
        "CR032 Impact Assessment",
        "DAG29-01",
        "NGESO to amend Programme Change Request 032 (Change to Interface IF-165 P0210 TUoS "
        "Reporting) and resubmit to the Programme for issuance to Impact Assessment",
        "NGESO Representative (Daniel Arrowsmith)",
        "13/10/2023",
    ),
    (
        "6",
        "UTC vs Clock Times",
        "DAG29-02",
        "Programme to issue Programme Participant Information Request on UTC vs Clock Time for "
        "Change of Supplier Reads and Service Appointment, and return to November DAG with "
        "recommendation for decision",
        "Programme (Matt Hall)",
        NOV_8,
    ),
    (
        "6",
        "UTC vs Clock Times",
        "DAG29-03",
        "Programme to raise UTC vs Clock Time with the Fast Track Implementation Group",
        "Programme (Paul Pettitt)",
        "13/10/2023",
    ),
    (
        "8",
        "Testing Release Strategy",
        "DAG29-04",
        "Programme to consider the provision of regular updates to DAG on the interaction of "
        "design/testing releases",
        "Programme (Paul Pettitt & Lee Cox)",
        NOV_8,
    ),
    (
        "8",
        "Testing Release Strategy",
        "DAG29-05",
        "Programme to review the Programme Change Request template and ensure a view is "
        "provided alongside new CRs on the implementation/release outlook",
        "Programme (PMO)",
        NOV_8,
    ),
    (
        "10",
        "DAG Terms of Reference",
        "DAG29-06",
        "Programme to review additional comments on DAG Terms of Reference updates and wider "
        "governance structure",
        "Programme (Justin Andrews)",
        NOV_8,
    ),
    (
        "11",
        "Top Programme Risks related to DAG",
        "DAG29-07",
        "Programme to provide link to RAID form to DAG members",
        "Programme (PMO)",
        "ASAP",
    ),
    (
        "13",
        "AOB (CR029)",
        "DAG29-08",
        "Programme to review CR029 implementation and confirm it has not expanded the scope of "
        "the solution and whether any change or explanation is required",
        "Programme (Paul Pettitt)",
        NOV_8,
    ),
]
# Its "Previous Meeting(s)" rows, but DAG28-05 (see the module's docstring).
OUTSTANDING = [
    (
        "DAG28-04",
        "Programme to raise Design Issue Notifications (DINs) for the implementation of CR024 "
        "and CR025",
        "Programme (Berlinda Kugara)",
        NOV_8,
    ),
    (
        "DAG28-12",
        "Programme to provide update on the retrospective amendments process issue and raise "
        "for discussion at the DRG meeting",
        "Programme (Paul Pettitt)",
        NOV_8,
    ),
    (
        "DAG27-08",
        "Programme to confirm version incrementing arrangements for data flows and scenario "
        "variants changing as a result of MHHS",
        "Programme (Matt McKeon)",
        NOV_8,
    ),
]
DAG28_05 = (
    "DAG28-05",
    "Programme to consider the potential implications for MDR onboarding as part of the "
    "detailed design activities (including the approach to DIP onboarding and ISD Management "
    "for MDRs using this optional solution) and engage with code bodies as required",
    "Programme (Design Team)",
    NOV_8,
)
# DAG028's actions the minutes close, known to the tracker from DAG028's papers (their
# wording is not in DAG029's; summarised as in the demo data).
CLOSED_DAG28 = {
    "DAG28-02": "Programme to confirm prospective use by Suppliers of the CR023 solution",
    "DAG28-03": "Programme to raise prospective use by Suppliers of the CR023 solution at FTIG",
    "DAG28-07": "Programme to clarify what is meant by major and minor releases in testing",
    "DAG28-08": "Programme to confirm whether the CR027 solution will be part of SIT",
    "DAG28-11": "Programme to provide an example compressed ECS payload report (REP002)",
    "DAG28-15": "Programme to consider linking the Top Programme Risks to milestones",
}

# The paper's "Decisions" table: (item, area, ref, decision). DAG-DEC75 is the approval of
# DAG028's minutes, recorded on DAG028's approval page.
DECISIONS = [
    (
        "2",
        "Minutes and Actions",
        "DAG-DEC75",
        "Headline Report and change marked Minutes of DAG meeting held 13 September 2023 approved",
    ),
    (
        "4",
        "CR032 Impact Assessment",
        "DAG-DEC76",
        "The SRO agreed CR032 (Change to Interface IF-165 P0210 TUoS Reporting) should be "
        "issued to Impact Assessment, subject to amendments to be undertaken by the Change "
        "Raiser",
    ),
    (
        "5",
        "Updates to the Interface Code of Connections",
        "DAG-DEC77",
        "The SRO approved updates to the Interface Code of Connections for publication as v1.1",
    ),
    (
        "7",
        "Transition Design Updates",
        "DAG-DEC78",
        "The SRO agreed the Tranche 2 Transition Design (Settlement Timetable Transition) "
        "artefacts should be issued for consultation",
    ),
]

# What the minutes say of each earlier action at the review, and its new status.
REVIEW = {
    "DAG28-02": (
        "closed",
        "The Chair advised one Large Supplier has confirmed they will use "
        "the solution. Action closed.",
    ),
    "DAG28-03": ("closed", "FM advised this had been raised at the FTIG. Action closed."),
    "DAG28-04": (
        "ongoing",
        "FM advised DINs 685 and 686 had been raised. SJ requested the "
        "action remain as ongoing until the CRs are implemented.",
    ),
    "DAG28-05": (
        "closed",
        "Action closed and to be picked up as part of CR023 solution development.",
    ),
    "DAG28-07": (
        "closed",
        "Major and minor releases are defined in the Release Management "
        "and Configuration Management Approach. Action closed.",
    ),
    "DAG28-08": (
        "closed",
        "PP advised CR027 had been implemented in design IR5, and therefore "
        "would form part of SIT. Action closed.",
    ),
    "DAG28-11": (
        "closed",
        "An example compressed ECS payload report (REP002) can be found on "
        "SwaggerHub. Action closed.",
    ),
    "DAG28-15": ("closed", "Discussed under agenda item 11. Action closed."),
}

ITEMS = [
    (
        "1",
        "Welcome and Introductions",
        [
            (
                "The Chair welcomed attendees to the meeting and provided an overview of the "
                "meeting agenda."
            ),
        ],
    ),
    (
        "2",
        "Minutes and Actions",
        [
            (
                "The Headline Report and change marked Minutes of the DAG meeting held 13 "
                "September 2023 were approved."
            ),
            (
                "DECISION DAG-DEC75: Headline Report and changed marked Minutes of DAG meeting "
                "held 13 September 2023 approved"
            ),
            (
                "Action updates and full wording can be found within the meeting papers. A "
                "summary of key updates is provided below:"
            ),
            (
                "DAG28-02: Regarding prospective use by Suppliers of the Programme Change Request"
                " (CR) 023 (Standardisation of Interfaces within the Smart and Advanced Data "
                "Services Roles) solution; the Chair advised one Large Supplier has confirmed "
                "they will use the solution and others are assessing whether they will use it. "
                "The Chair also stated that a number of I&C Suppliers will use this solution as "
                "well. The solution is currently in development with a view to deploying as soon "
                "as is practicable. The first development group was scheduled for 09 October "
                "2023. Participants are encouraged to provide feedback and the Programme will "
                "schedule a further development group if required. Action closed."
            ),
            (
                "DAG28-03: Regarding prospective use by Suppliers of the CR023 solution; FM "
                "advised this had been raised at the Fast Track Implementation Group (FTIG). "
                "Several Suppliers advised the solution requires development before they were "
                "able to state whether they would use it. The Programme noted the solution "
                "development is happening as quickly as is practicable and as such whether "
                "Supplier will use the solution or not is no longer a factor in the timelines for"
                " deployment. Action closed."
            ),
            (
                "DAG28-04: FM advised Design Issue Notifications (DINs) 685 and 686 had been "
                "raised for the implementation of CR024 (Data Item Names and Descriptions) and "
                "CR025 (Data Integration Platform (DIP) Interface Name Changes). SJ requested the"
                " action remain as ongoing until the CRs are implemented. Action changed to "
                "ongoing."
            ),
            (
                "DAG28-05: PP advised the action was ongoing and the Programme Design Team are "
                "due to discuss with the Data Integration Platform (DIP) provider. The Chair "
                "queried whether there were any dependencies or critical timelines. PP advised "
                "development of the CR023 solution is required first and that a resolution was "
                "required ahead of the commencement of qualification in late 2024. The action "
                "relates to CR023 in that this seeks change to the DIP to allow Meter Data "
                "Retrievers (MDRs) to receive messages via the DIP. CBU noted the Qualifications "
                "and E2E Sandboxing Working Group (QWG) will seek to discuss MDR onboarding, but "
                "believed this action was more relevant to the CR023 development group. The QWG "
                "will discuss how the DIP manager will ensure MDRs seeking to use the DIP will be"
                " onboarded. The DAG agreed the wording of the action should be amended to "
                "replace 'qualification' with 'onboarding'. RLamp expressed support for the "
                "action being picked up as part of CR023 development. HE wished to ensure the "
                "solution for CR023 is proportionate and not overengineered: PP advised that the "
                "design team is considering feedback from the first DRG session and will plan the"
                " agenda for a follow up session based on that. -PP advised implementation would "
                "be achieved by updates to the Design Artefacts via DIN(s). Action closed and to "
                "be picked up as part of CR023 solution development."
            ),
            (
                "DAG28-07: Regarding what is meant by major and minor releases in testing; the "
                "Programme provided an overview of the interaction of design releases and "
                "testing, per the meeting slides (see agenda item 7). Major and minor releases "
                "are defined in the Release Management and Configuration Management Approach. A "
                "major release is a release of software that contains significant additions of "
                "functionality. A minor release is a release of software which contains minor "
                "additions of functionality. Action closed."
            ),
            (
                "DAG28-08: Regarding whether the CR027 (Distribution Use of System (DUoS) "
                "E-Billing Data Integration Platform (DIP) message for MHHS) solution would be "
                "part of Systems Integration Testing (SIT); PP advised CR027 had been implemented"
                " in design Interim Release (IR) 5, and therefore would form part of SIT. Action "
                "closed."
            ),
            (
                "DAG28-11: An example compressed ECS payload report (REP002) can be found on "
                "SwaggerHub. Action closed."
            ),
            "DAG28-15: Discussed under agenda item 11 below. Action closed.",
        ],
    ),
    (
        "3",
        "Upcoming Programme Milestones related to DAG",
        [
            (
                "FM advised the majority of upcoming Programme milestones related to testing. The"
                " next key milestone for DAG is the approval of the Tranche 2 Transition Design "
                "(see agenda item 7 below)."
            ),
        ],
    ),
    (
        "4",
        "CR032 Impact Assessment",
        [
            (
                "The Change Raiser presented CR032 (Change to Interface IF-165 P0210 TUoS "
                "Reporting) to the DAG. The Change Raiser advised the CR seeks to change the MHHS"
                " design to allow NGESO and Elexon to utilise an existing Transmission Network "
                "Use of System (TNUoS) report (P0210) rather than the currently proposed "
                "MHHS-IF-165 / ELEX-REP-080. The development and testing of the P0210 would be "
                "undertaken between NGESO and Elexon, and NGESO are the sole recipient of this "
                "file."
            ),
            (
                "The DAG questioned whether the report would be kept within the scope of MHHS SIT"
                " testing and whether deriving Measurement Class (MC) was in keeping with the "
                "aims of MHHS. CBER advised the methodology for TNUoS currently relies on the MC "
                "value, and this is why a method has been developed to derive MC. SJ expressed "
                "nervousness that the report is detailed in the MHHS Design Artefacts but is not "
                "included in SIT. Additionally, this prompted a question over whether there are "
                "other documented requirements not considered to be in scope of SIT."
            ),
            (
                "The DAG requested clarity is added to the CR on what changes to MHHS Design "
                "Artefacts may be required and whether the report would be removed from the "
                "Elexon Central Systems (ECS) reporting catalogue, or whether the P0210 would be "
                "known as REP-080 within the catalogue. The Change Raiser agreed to make "
                "amendments to the CR."
            ),
            (
                "ACTION DAG29-01: NGESO to amend Programme Change Request 032 (Change to "
                "Interface IF-165 P0210 TUoS Reporting) and resubmit to the Programme for "
                "issuance to Impact Assessment"
            ),
            (
                "The Chair invited any objections to CR032 being issued to Impact Assessment "
                "(IA), subject to the amendments requested, to which none were received. The "
                "Chair agreed CR032 should be issued for IA."
            ),
            (
                "DECISION DAG-DEC76: The SRO agreed CR032 (Change to Interface IF-165 P0210 TUoS "
                "Reporting) should be issued to Impact Assessment, subject to amendments to be "
                "undertaken by the Change Raiser"
            ),
            (
                "Next steps: Subject to receipt of the amended CR, the Programme will issue the "
                "change for a ten working day IA. The CR will return to the November DAG for a "
                "decision on approval."
            ),
        ],
    ),
    (
        "5",
        "Updates to the Interface Code of Connections",
        [
            (
                "The Programme provided an implementation plan for CR027 (The SRO approved minor "
                "updates to the Interface Code of Connections (CoCo) following review by the "
                "Security Design Working Group SDWG. The updated CoCo will be published to the "
                "MHHS website and Programme Collaboration Base and notice issued in the Programme"
                " newsletter, The Clock. The Chair invited any objections to publishing the "
                "updated version of the CoCo, to which none were raised."
            ),
            (
                "DECISION DAG-DEC77: The SRO approved updates to the Interface Code of "
                "Connections for publication as v1.1"
            ),
        ],
    ),
    (
        "6",
        "UTC vs Clock Times",
        [
            (
                "The DAG discussed the ongoing need to determine whether UTC or local clock time "
                "will be used for Change of Supplier (CoS) Reads and Service Appointments. The "
                "Programme provided recommendations agreed via the Design Resolution Group (DRG) "
                "but highlighted the somewhat limited representation provided by participants at "
                "this group."
            ),
            (
                "The DAG noted the levels of representation at the DRG, and considered potential "
                "consumer impacts around CoS Reads. There was recognition that the current design"
                " lacks clarity on CoS reads and Service Appointment. As such, the DAG resolved "
                "to issue a Programme Participant Information Request (PPIR) to consult on the "
                "available options and to gather information to support a decision by the DAG "
                "(**ACTION DAG29-02**)."
            ),
            (
                "ACTION DAG29-02: Programme to issue Programme Participant Information Request on"
                " UTC vs Clock Time for Change of Supplier Reads and Service Appointment, and "
                "return to November DAG with recommendation for decision"
            ),
            (
                "The DAG also requested the matter is highlighted to the Fast Track "
                "Implementation Group (FTIG) in case there are impacts on SIT Functional testing."
            ),
            (
                "ACTION DAG29-03: Programme to raise UTC vs Clock Time with the Fast Track "
                "Implementation Group"
            ),
            (
                "Next steps: The Programme will assess the responses to the PPIR and provide a "
                "recommendation to the November DAG."
            ),
        ],
    ),
    (
        "7",
        "Transition Design Updates",
        [
            (
                "AM provided an update on the development of the Tranche 2 Transition Design "
                "Artefacts (Settlement Timetable Transition) via the Migration and Transition "
                "Design Subgroup (MTDSG). AM advised the solution is now stable and requested the"
                " associated artefacts are issued for consultation. The Chair invited any "
                "objections to the artefacts being issued for consultation, to which none were "
                "received. The Char agreed the artefacts should be issued to consultation."
            ),
            (
                "DECISION DAG-DEC78: The SRO agreed the Tranche 2 Transition Design (Settlement "
                "Timetable Transition) artefacts should be issued for consultation"
            ),
            (
                "Next steps: The artefacts will be issued for a ten working day consultation, "
                "with responses due 25 October 2023. A decision on approval will then be "
                "requested at the November DAG meeting."
            ),
        ],
    ),
    (
        "8",
        "Testing Release Strategy",
        [
            (
                "LC, the Programme Test Lead, provided an overview of how design releases will be"
                " managed during testing, as per the meeting slides. There will be options for "
                "major, minor, ad-hoc, or emergency releases during testing which can be aligned "
                "to design IRs and will help to ensure there is a degree of nimbleness during "
                "testing to enable changes to be managed whilst testing activities are in flight."
                " An overview of environments and how changes will be deployed into the DIP "
                "simulator was provided."
            ),
            (
                "LC confirmed any design change would need to progress through the established "
                "Programme controls (i.e. IR or CR), before release into testing. The Programme "
                "highlighted that whilst parties will be required to build and test against IR5, "
                "there will likely be requirements for urgent design change or 'hot fixes' as "
                "testing progresses and defects/issues unearthed."
            ),
            (
                "CBu asked whether participants would be allowed to exit a given SIT phase if low"
                " priority defects are outstanding. LC advised a defect threshold will be "
                "established upon which stage exit will be based. The Testing Approach and Plan "
                "will define this. No severity one or two defects will be allowed, and the "
                "Programme will assess participants on a case-by-case basis. Thresholds will "
                "depend on factors such as the number of tests provisions in SIT, the number and "
                "severity of defects, and any plans documented and agreed on defect resolution. "
                "As such, it is possible participants could conclude SIT stages with some open "
                "defects, but this will be managed closely by the Programme and dialogue will be "
                "required."
            ),
            (
                "The DAG requested a regular view is provided on the interaction of design and "
                "testing release. The DAG also requested the Programme review the Programme CR "
                "template and ensure a view is provided alongside new CRs on the "
                "implementation/release outlook."
            ),
            (
                "ACTION DAG29-04: Programme to consider the provision of regular updates to DAG "
                "on the interaction of design/testing releases"
            ),
            (
                "ACTION DAG29-05: Programme to review the Programme Change Request template and "
                "ensure a view is provided alongside new CRs on the implementation/release "
                "outlook"
            ),
        ],
    ),
    (
        "9",
        "Design (DIN)",
        [
            (
                "PP noted the recent IR5 design release, which provided a significant uplift in "
                "the clarity of aspects of the MHHS design and supports testing requirements. The"
                " implementation of IR5 means the number of open DINs has reduced significantly. "
                "The Programme are continuing to assess DINs in terms of whether they are "
                "critical for SIT to support the stability of the design during testing."
            ),
            (
                "HE believed the Fast Track Design Change Process (the 'DIN process') was working"
                " well and had enabled a large volume of minor change to be agreed and "
                "implemented efficiently, but suggested areas for improvement around better "
                "signposting of documentation when communicating interim releases and ensuring "
                "internal alignment within the Programme so that DINs are not closed where there "
                'is active DRG discussion. PP advised HE that "aged" DINs, especially those from '
                "early in the year, will get the necessary focus now that IR5 has been "
                "implemented. CBU agreed it was impressive the number of DINs resolved via the "
                "process and praised the efforts of the Programme on this. CBU noted IR5 was a "
                "large release and this had implications for participants in reviewing and "
                "incorporating the changes into their design and build activities, but it was "
                "recognised the changes were important to support SIT. CBU requested the "
                "Programme are cognisant of future changes and DINs required to ensure activities"
                " can be incorporated into SIT which would support Qualification testing (QT) and"
                " Placing Reliance (PR)."
            ),
        ],
    ),
    (
        "10",
        "DAG Terms of Reference",
        [
            (
                "JA provided an update on the change marked draft of the DAG Terms of Reference "
                "(ToR) and invited comments. Several DAG members expressed unease over the way "
                "the draft ToR frames the powers of the DAG Chair and DAG members and considered "
                "this may represent a dilution of the powers of DAG members. The members believed"
                " this could impact the ways in which DAG member's views are taken into account "
                "and may affect engagement with the DAG. The Chair stated the changes were for "
                "clarification only and in accordance with MHHS Programme Governance Framework "
                "and the decision-making power of the SRO (as delegated to the DAG Chair)."
            ),
            (
                "A suggestion was made that the DAG ToR be clearer on the roles and "
                "responsibilities of DAG members versus the DAG Chair. The DAG also sought "
                "clarity on how appeals/escalations to the Programme Steering Group (PSG) operate"
                " and requested this is included in the ToR."
            ),
            (
                "The Chair and PMO agreed to consider the comments raised and the wider MHHS "
                "governance structure."
            ),
            (
                "ACTION DAG29-06: Programme to review additional comments on DAG Terms of "
                "Reference updates and wider governance structure"
            ),
        ],
    ),
    (
        "11",
        "Top Programme Risks related to DAG",
        [
            (
                "With regard to ACTION DAG28-15, FM advised the Programme will seek to link "
                "individual risks to Programme milestones where possible, however not all risks "
                "directly map to a related milestone."
            ),
            (
                "SC advised of a new potential risk and FM requested this is raised through the "
                "established Programme channels."
            ),
            "ACTION DAG29-07: Programme to provide link to RAID form to DAG members",
        ],
    ),
    (
        "12",
        "Programme Updates",
        [
            "This item was taken as read.",
        ],
    ),
    (
        "13",
        "Summary and Next Steps",
        [
            "The Chair invited any other business, to which one item was raised.",
            "AOB1",
            (
                "RLamp raised a concern regarding CR029 (Data Integration Platform (DIP) Licensed"
                " Distribution System Operator (LDSO) Interface Processing), advising the "
                "implementation of the change in the DES138 Interface Catalogue appeared to have "
                "expanded the optionality of certain flows to roles beyond Licences Distribution "
                "Service Operators (LDSOs). The Programme agreed to review this."
            ),
            (
                "ACTION DAG29-08: Programme to review CR029 implementation and confirm it has not"
                " expanded the scope of the solution and whether any change or explanation is "
                "required"
            ),
            "The Chair thanked the members for their input and closed the meeting.",
        ],
    ),
]


@pytest.fixture
def dag():
    """The group, its chair and members, the people of the Programme in the tracker, and
    DAG027 and DAG028 with the actions the paper reviews."""
    group = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
    make_person("Justin Andrews").memberships.create(group=group, role=Role.CHAIR)
    for name, _, role, _ in INDUSTRY:
        person = make_person(name)
        person.memberships.create(group=group, role=Role.MEMBER, constituency=role)
    for name, role in (
        ("Donna Jamieson", "iDNO Representative"),
        ("Caroline Farquhar", "Consumer Representative"),
    ):
        make_person(name).memberships.create(group=group, role=Role.MEMBER, constituency=role)
    for name, *_ in PROGRAMME:
        if name != "Fraser Mathieson":
            make_person(name)
    make_person("Matt McKeon")
    dag27 = make_meeting(
        group, number=27, date=datetime.date(2023, 8, 9), status=MeetingStatus.MINUTES_APPROVED
    )
    dag28 = make_meeting(group, number=28, date=datetime.date(2023, 9, 13))
    for reference, text, owner, _ in [*OUTSTANDING, DAG28_05]:
        make_action(
            dag27 if reference.startswith("DAG27") else dag28,
            reference=reference,
            text=text,
            owner_printed=owner,
            owner_party="Programme",
            due_date=datetime.date(2023, 11, 8),
        )
    for reference, text in CLOSED_DAG28.items():
        make_action(
            dag28, reference=reference, text=text, owner_party="Programme", due_date=MEETING_DAY
        )
    DecisionFactory(group=group, reference="DAG-DEC74", wording="An earlier decision")
    dag28.status = MeetingStatus.MINUTES_ISSUED
    dag28.minutes_issue_date = datetime.date(2023, 9, 20)
    dag28.save()
    return group


@pytest.fixture
def pmo(client, dag):
    client.force_login(
        make_user("pmo", group=dag, role=Role.SECRETARIAT, person_name="Fraser Mathieson")
    )
    return client


def ok(response):
    """A form accepted: the page redirects (a refusal shows the form again, with 200)."""
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def person(name):
    return Person.objects.get(name=name).pk


def schedule(pmo, dag):
    ok(
        pmo.post(
            url("meeting_create", "DAG"),
            {
                "number": "29",
                "point": "0",
                "title": "",
                "date": "2023-10-11",
                "start_time": "10:00",
                "end_time": "13:00",
                "venue": "Virtual – MS Teams",
                "classification": "public",
            },
        )
    )
    meeting = Meeting.objects.get(group=dag, number=29)
    form = pmo.get(url("meeting_edit", meeting.pk)).context["form"]
    ok(
        pmo.post(
            url("meeting_edit", meeting.pk),
            {
                "version": form["version"].value(),  # the edit form's hidden field
                "title": meeting.title,
                "date": "2023-10-11",
                "start_time": "10:00",
                "end_time": "13:00",
                "venue": "Virtual – MS Teams",
                "classification": "public",
                "status": MeetingStatus.HELD,
                "next_meeting_date": "2023-11-08",
                "next_meeting_time": "10:00",
            },
        )
    )
    return meeting


def enter_attendance(pmo, meeting):
    """Members and the Programme's people from the tracker, a deputy and the other
    attendees new to it; then, on the attendance page, who was present, initials as
    printed, part meeting, the chair's note and the apologies."""
    printed = {}  # name: (initials, part meeting)

    def add(name, category, role, initials, part):
        ok(
            pmo.post(
                url("attendance_add_person", meeting.pk),
                {"person": person(name), "category": category, "role": role},
            )
        )
        printed[name] = (initials, part)

    def guest(name, category, role, initials, part, organisation="", on_behalf_of=""):
        data = {
            "name": name,
            "organisation": organisation,
            "category": category,
            "role": role,
            "initials": initials,
            "on_behalf_of": on_behalf_of,
        }
        ok(
            pmo.post(
                url("attendance_add_guest", meeting.pk),
                data | ({"part_meeting": "on"} if part else {}),
            )
        )
        printed[name] = (initials, part)

    add("Justin Andrews", "chair", "Chair", "", False)
    for name, initials, role, part in INDUSTRY:
        add(name, "industry", role, initials, part)
        if name == "David Yeoman":
            deputy, initials, role, part = DEPUTY
            guest(deputy, "industry", role, initials, part, "SSEN", person("Donna Jamieson"))
    for name, initials, role, part in PROGRAMME:
        add(name, "programme", role, initials, part)
    for name, initials, role, part in OTHERS:
        guest(name, "other", role, initials, part, organisation=role)
    add("Caroline Farquhar", "industry", "Consumer Representative", "", False)

    page = pmo.get(url("attendance", meeting.pk)).content.decode()
    data = {}
    for line in Attendance.objects.filter(meeting=meeting).select_related("person"):
        name = line.person.name
        initials, part = printed[name]
        fields = {
            "status": "apologies" if name == "Caroline Farquhar" else "present",
            "category": line.category,
            "role": line.role,
            "printed_name": "",
            "initials": initials,
            "note": "Chair" if name == "Justin Andrews" else "",
            "on_behalf_of": line.on_behalf_of_id or "",
            # Each line's hidden version, as the page gives it.
            "version": re.search(rf'name="line-{line.pk}-version" value="(\d+)"', page).group(1),
        }
        if part:
            fields["part_meeting"] = "on"
        data |= {f"line-{line.pk}-{key}": value for key, value in fields.items()}
    ok(pmo.post(url("attendance", meeting.pk), data))


def enter_agenda_and_minutes(pmo, meeting):
    items = {}
    for number, title, _ in ITEMS:
        ok(
            pmo.post(
                url("agenda", meeting.pk),
                {
                    "number": number,
                    "title": title,
                    "lead": "",
                    "lead_text": "",
                    "item_type": "discussion",
                    "duration_minutes": "",
                },
            )
        )
        items[number] = meeting.agenda_items.get(number=number).pk
    for number, _, paragraphs in ITEMS:
        ok(
            pmo.post(
                url("minutes_save", meeting.pk, items[number]),
                {"text": "\n\n".join(paragraphs), "version": "0"},
            )
        )
    return items


def raise_actions(pmo, meeting, items):
    for number, area, reference, text, owner, due in NEW_ACTIONS:
        item = items[number]
        fields = {
            "reference": reference,
            "area": area,
            "text": text,
            "owner_printed": owner,
            "due_kind": "asap" if due == "ASAP" else "date",
            "due_date": ""
            if due == "ASAP"
            else datetime.datetime.strptime(due, "%d/%m/%Y").date().isoformat(),
        }
        ok(
            pmo.post(
                url("inline_record", meeting.pk, item, "action"),
                {f"action{item}-{key}": value for key, value in fields.items()},
            )
        )


def record_decisions(pmo, meeting, items):
    dag28 = Meeting.objects.get(group=meeting.group, number=28)
    ok(
        pmo.post(
            url("minutes_record_approval", dag28.pk),
            {
                "approved_on": "2023-10-11",
                "approved_by": person("Justin Andrews"),
                "at_meeting": meeting.pk,
                "headline": "on",
                "change_marked": "on",
            },
        )
    )
    for number, area, reference, wording in DECISIONS[1:]:
        item = items[number]
        fields = {
            "reference": reference,
            "area": area,
            "wording": wording,
            "taken_on": "2023-10-11",
            "taken_by": person("Justin Andrews"),
        }
        ok(
            pmo.post(
                url("inline_record", meeting.pk, item, "decision"),
                {f"decision{item}-{key}": value for key, value in fields.items()},
            )
        )


def review_earlier_actions(pmo, meeting):
    data = {"date": "2023-10-11"}
    for reference, (status, text) in REVIEW.items():
        pk = Action.objects.get(reference=reference).pk
        data |= {f"{pk}-status": status, f"{pk}-text": text}
    ok(pmo.post(url("action_review", meeting.pk), data))


def test_dag029_entered_through_the_pages_prints_as_the_paper(pmo, dag):
    meeting = schedule(pmo, dag)
    enter_attendance(pmo, meeting)
    items = enter_agenda_and_minutes(pmo, meeting)
    raise_actions(pmo, meeting, items)
    record_decisions(pmo, meeting, items)
    review_earlier_actions(pmo, meeting)
    ok(pmo.post(url("minutes_issue", meeting.pk), {"issued_on": "2023-10-18"}))

    page, pdf = page_text(pmo, meeting), pdf_text(meeting)
    pdf = pdf.replace(RUNNING_PDF, " ")

    # Header
    for text in (page, pdf):
        assert text.startswith("MHHS Design Advisory Group (DAG) Minutes and Actions")
        assert "Issue date: 18/10/2023" in text
    header = [
        ["Meeting number", "DAG029", "Venue", "Virtual – MS Teams"],
        ["Date and time", "11 October 2023 1000-1300", "Classification", "Public"],
    ]
    assert " ".join(" ".join(row) for row in header) in page
    assert_rows(pdf, header)

    # Attendees, section by section: the page prints "Role" over each section's roles
    # and the PDF "Attendee Role" over the table, where the paper prints "Role" beside
    # its first heading only.
    headings = list(ATTENDEES)
    attendees = section(pdf, "Attendee Role", "New / Outstanding Actions")
    for at, heading in enumerate(headings):
        following = headings[at + 1] if at + 1 < len(headings) else "New / Outstanding"
        lines = ATTENDEES[heading]
        assert f"{heading} Role {' '.join(lines)} {following}" in page
        assert_rows(section(attendees + following, heading, following), [[x] for x in lines])

    # New / Outstanding Actions: the paper's rows; then the actions closed at this
    # meeting, which the paper's table does not list.
    table = new_and_outstanding_rows()
    printed = " ".join(" ".join(row) for row in table)
    assert f"New / Outstanding Actions Area Ref Action Owner Due {printed} {CLOSED_HERE}" in page
    actions = section(pdf, "New / Outstanding Actions", CLOSED_HERE)
    assert tokens(actions) == tokens(printed)
    assert_rows(actions, table)
    closed = closed_rows()
    printed = " ".join(" ".join(row) for row in closed)
    assert f"{CLOSED_HERE} {printed} Decisions" in page
    in_pdf = section(pdf, CLOSED_HERE, "Decisions")
    assert tokens(in_pdf) == tokens(printed)
    assert_rows(in_pdf, closed)

    # Decisions
    rows = [[area, reference, wording] for _, area, reference, wording in DECISIONS]
    printed = " ".join(" ".join(row) for row in rows)
    first_item = f"1. {ITEMS[0][1]}"
    assert f"Decisions Area Dec Ref Decision {printed} Minutes {first_item}" in page
    decisions = section(pdf, "Dec Ref", first_item)
    assert tokens(decisions) == tokens(printed)
    assert_rows(decisions, rows)

    # The minutes of each item, as typed from the paper.
    for text in (page, pdf):
        minutes = tidy(text)
        for number, title, paragraphs in ITEMS:
            assert tidy(" ".join([f"{number}. {title}", *paragraphs])) in minutes

    assert "Date of next meeting 08 November 2023 10am" in page
    assert "Date of next meeting: 08 November 2023 10am" in pdf

    # What was entered is held as the paper has it.
    assert set(Action.objects.filter(meeting=meeting).values_list("reference", flat=True)) == {
        row[2] for row in NEW_ACTIONS
    }
    assert Decision.objects.filter(meeting=meeting, status=DecisionStatus.APPROVED).count() == 4
    assert Action.objects.get(reference="DAG28-04").status == ActionStatus.ONGOING


# The running header of the PDF's pages, in the middle of the text at a page break.
RUNNING_PDF = (
    "MHHS Design Advisory Group (DAG) Minutes and Actions – DAG029 Document Classification: Public"
)


def new_and_outstanding_rows():
    """The paper's actions table as rows of cells, the area on a group's first row."""
    rows, area = [], None
    for _, row_area, reference, text, owner, due in NEW_ACTIONS:
        rows.append([row_area] * (row_area != area) + [reference, text, owner, due])
        area = row_area
    for at, row in enumerate(OUTSTANDING):
        rows.append([PREVIOUS_MEETINGS] * (at == 0) + list(row))
    return rows


def closed_rows():
    """The actions closed at this meeting, as the app lists them after the paper's rows:
    reference, action, owner, due and status."""
    rows = [[ref, text, "Programme", "11/10/2023", "CLOSED"] for ref, text in CLOSED_DAG28.items()]
    rows.append([*DAG28_05, "CLOSED"])
    return sorted(rows)


def assert_rows(text, rows):
    """Each row's cells, in order, in the PDF's text: a cell's words in order from where
    the row before ended (a PDF's text interleaves the lines of a row's wrapped cells, so
    a cell's words are in order but not always together)."""
    words = text.split()
    start = 0
    for row in rows:
        end = start
        for cell in row:
            at = start
            for word in cell.split():
                try:
                    at = words.index(word, at) + 1
                except ValueError:
                    raise AssertionError(f"{cell!r} of {row!r} not in order in {text!r}") from None
            end = max(end, at)
        start = end


def tidy(text):
    """Text compared without the markup's spacing: "DAG-DEC75 :" is "DAG-DEC75:"."""
    text = " ".join(text.replace("**", "").split())
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([:.,;)])", r"\1", text))
