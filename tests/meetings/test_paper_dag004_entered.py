"""The DAG004 slide pack (Design Advisory Group #4, 9 February 2022, MHHS-DEL160
Version 1.0) entered as the secretariat would, through the ordinary pages with the test
client: the meeting scheduled and the pack's identity, status and next meetings entered on
its edit page; the agenda with the leads and times printed on its agenda slide; the text
of the slides presented on each item; and the review of the open actions, with the status
and latest update the pack's actions table gives each. Then the minutes page and the PDF
are compared with the pack table by table: the agenda (each item's line and slides), the
actions table and the updates of its status column.

Only what would already be in the tracker is made by fixtures: the group and its people,
DAG001 to DAG003 (17/11/2021, 08/12/2021, 12/01/2022) and the actions raised there that the
pack reviews, with their references, words, owners and due dates as the pack prints them.
The expected rows are the pack's (../shared/seeds/DAG004-slides-2022-02-09.txt), written
out here so that the test runs from a clean clone.

Where the app prints the pack differently, by design or for want of a place, the
comparison says so:
- The pack's agenda gives no item type: each item's type is entered as "Not given", so
  the agenda line prints the lead and the time only.
- Item 5 is "40 mins" on the agenda slide and "30 mins" on its own title slide; the agenda
  wins. Item 8 is "Summary & Actions" on the agenda and "Summary and Actions" on its slide.
- The actions table's "Date" column (the day each action was raised) is held (the action's
  date raised, the meeting it came from) but the minutes' actions table does not print it.
- The app orders the table as minutes do: the actions still open after the meeting under
  "Previous Meeting(s)", those closed at it under "Closed at this meeting", each newest
  meeting first; the pack lists them oldest first in one table. The "Status" cell (status
  – latest update) is printed as the dated update under "Updates on Previous Actions",
  with the status set (CLOSED) or none where the action stays open.
- The slide of item 2 holds the actions table itself: it is entered as the review, not
  typed again as the item's slides. The slides of item 1 (its title slide only) and the
  pack's agenda slide are not typed.
- The pack's schedule of further DAGs (item 8's slides) is held as the next meeting and
  the one after (16 February, 09 March 2022); the later dates are in the slides' text.
"""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Action, ActionStatus
from core.models import Person, Role
from meetings.minutes import CLOSED_HERE, PREVIOUS_MEETINGS
from meetings.models import Meeting, MeetingStatus
from tests.factories import make_action, make_group, make_meeting, make_person, make_user
from tests.meetings.test_minutes_page_pdf_agree import page_text, pdf_text, section, tokens

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EARLIER = {
    "DES-01": datetime.date(2021, 11, 17),
    "DES-02": datetime.date(2021, 12, 8),
    "DES-03": datetime.date(2022, 1, 12),
}

# The agenda slide: (number, title, lead, minutes).
AGENDA = [
    ("1", "Welcome", "Justin Andrews", 5),
    ("2", "Minutes and Actions Review", "Justin Andrews", 5),
    ("3", "PSG Update", "Lewis Hall", 5),
    ("4", "Review Terms of Reference", "Justin Andrews", 10),
    ("5", "Design Principles for review", "Ian Smith", 40),
    ("6", "Design Issues", "Ian Smith", 15),
    ("6A", "Technical Assumptions", "Ian Smith", 10),
    ("7", "Report from L4 Working Groups", "Claire Silk", 30),
    ("8", "Summary & Actions", "Justin Andrews", 5),
]

# The actions table of item 2, as printed: (ref, date, action, owner, due, status, update).
ACTIONS = [
    (
        "DES-01-04",
        "17/11/2021",
        "IS to ensure DAG members are able to easily review Level 4 working groups and sub "
        "group output",
        "Ian Smith",
        "09/02/2022",
        "CLOSED",
        "the MHHS Portal is now live and contains relevant documents. Register for Portal "
        "access via the PMO",
    ),
    (
        "DES-01-05",
        "17/11/2021",
        "SC to ensure DAG TOR are reviewed in February 2022",
        "Simon Chidwick",
        "09/02/2022",
        "OPEN",
        "for discussion today - Agenda item 4",
    ),
    (
        "DES-02-02",
        "08/12/2021",
        "'Draft Design Principles' – Ensure that: a) They are presented at a higher level in "
        "themes and categorised; b) A status for each principle is adopted, so it is clear "
        "whether the principle is a draft one or has been formally adopted and agreed; c) "
        "separate out assumptions or requirements and d) draft a governance approach for DAG "
        "approval and where they may be published.",
        "Ian Smith",
        "02/02/2022",
        "OPEN",
        "action complete and for discussion today - agenda item 5",
    ),
    (
        "DES-03-01",
        "12/01/2022",
        "SC to circulate updated minutes from December's DAG.",
        "Simon Chidwick",
        "19/01/2022",
        "CLOSED",
        "accessed via MHHS website",
    ),
    (
        "DES-03-02",
        "12/01/2022",
        "IS to attend Supplier Agent constituents' 'drop-in' session. LH to engage the Lead "
        "Delivery Partner Programme Party Co-Ordinator to potentially attend a future session.",
        "Ian Smith/Lewis Hall",
        "09/02/2022",
        "OPEN",
        "Ian Smith to contact Seth Chapman for follow up",
    ),
    (
        "DES-03-03",
        "12/01/2022",
        "Draft Design Principle' – PRI-15 – 'Future Proofing' - IS to ensure the 'Principle "
        "Title' is updated so as not to be specific to '15 minutes'.",
        "Ian Smith",
        "09/02/2022",
        "CLOSED",
        "design principle updated as per action",
    ),
    (
        "DES-03-04",
        "12/01/2022",
        "SCha and CH to provide their design principle feedback.",
        "Seth Chapman/ Craig Handford",
        "21/01/2022",
        "CLOSED 18/01/22",
        "Seth Chapman and Craig Handford have provided their feedback",
    ),
    (
        "DES-03-05",
        "12/01/2022",
        "'Draft Design Principle' – PRI-20 – 'Retrospective Appointments' - IS, CH and SCha "
        "to discuss further for understanding and clarification of this principle.",
        "Ian Smith",
        "09/02/2022",
        "OPEN",
        "internal session held, follow up in progress",
    ),
    (
        "DES-03-06",
        "12/01/2022",
        "IS to ensure accuracy of the Design Status Report as currently it shows June DAG "
        "activity.",
        "Ian Smith",
        "09/02/2022",
        "CLOSED",
        "Status Report has been corrected",
    ),
    (
        "DES-03-07",
        "12/01/2022",
        "JA to ensure placeholders are sent out for extra DAG meetings.",
        "Justin Andrews",
        "09/02/2022",
        "CLOSED",
        "invites shared from PMO mailbox",
    ),
    (
        "DES-03-08",
        "12/01/2022",
        "JA to ensure session is held to discuss SEC-Mod-MP162 and RL's design principle and "
        "circulate the principle wording, the modification context and considerations/proposal"
        " on any further MHHS design requirements.",
        "Justin Andrews",
        "09/02/2022",
        "CLOSED",
        "session held 01/02, update to be provided at meeting",
    ),
]
CLOSED_EARLY = {"DES-03-04": datetime.date(2022, 1, 18)}  # "CLOSED 18/01/22"

# The text of the slides presented on each item, as the pack prints it.
SLIDES = {
    "2": ("- Approval of [Minutes from 12/01/22](#)\n- Open Actions and Actions from DAG 12/01:"),
    "3": (
        "Mobilisation of Programme Parties\n"
        "\n"
        "- Programme Parties continue to mobilise their teams to support design "
        "development\n"
        "- Progress of mobilisation against the M5 (Physical Baseline Delivered) "
        "milestone in April is being monitored\n"
        "\n"
        "LDP and IPA mobilisation\n"
        "\n"
        "- Lead Delivery Partner (LDP) has mobilised, with Independent Programme "
        "Assurer (IPA) to follow in the coming weeks\n"
        " - Programme Party Coordinator (PPC) are actively engaging Programme Parties\n"
        " - Programme Management Office (PMO) are in place and have established processes "
        "such as RAID, Governance, Planning, MI Reporting, Change Control\n"
        " - System Integrator (SI) are active across programme delivery activities such "
        "as Design, Test and are leading on the roll out of the Programme Portal\n"
        "\n"
        " \n"
        "Programme Portal\n"
        "\n"
        "- The first tranche of programme participants have received log-on "
        "credentials to the Programme Portal to aid the review of Design Artefacts\n"
        "- A roadmap, backlog and release plan to build out the portal's functionality "
        "has been defined"
    ),
    "4": (
        "As per action DES 01-05 in Nov. '21, the DAG requested a review of DAG Terms "
        "of Reference in Feb. '22\n"
        "\n"
        "The DAG ToR are structured in five areas:\n"
        "\n"
        "- Role\n"
        "- Objectives\n"
        "- Membership\n"
        "- Scope, deliverables, roles and responsibilities\n"
        "- Decision making\n"
        "\n"
        "**Following three months of Design, we believe no change is required to the ToR\n"
        "Are there any areas DAG members believe need changing?**\n"
        "\n"
        "We plan to review the ToR again in April 2022\n"
        "\n"
        "DAG Role\n"
        "\n"
        "The DAG's role is to oversee, review, consult and approve, the MHHS "
        "Programme development of the end-to-end business processes, system and data "
        "architecture that delivers the detailed system design that enables all "
        "programme participants to design, build and test their individual system and "
        "business changes\n"
        "\n"
        "DAG Objectives\n"
        "\n"
        "- To be the primary decision-making authority for the system and solution "
        "design, unless above Ofgem thresholds\n"
        "- To oversee the Programme design outputs, review and validate the output "
        "contents against objectives and expectations, send the deliverables for "
        "consultation and approve the design artefacts\n"
        "- Ensure different programme participant perspectives are appropriately "
        "represented during decision making\n"
        "- Enable Design transparency for all impacted constituency groups and "
        "stakeholders\n"
        "- Delegate appropriate tasks and activities to Level 4 working groups\n"
        "- Receive escalations from lower-level workgroups and reach consensus on "
        "decisions, so the Programme design work progresses to plan\n"
        "- Provide detailed advice to the SRO, PSG and other groups if required\n"
        "\n"
        "DAG Membership\n"
        "\n"
        "The DAG Membership is the SRO as Chair, technical expert representatives from "
        "each programme participant constituency and Ofgem as an observer:\n"
        "\n"
        "1. SRO DAG - Chair\n"
        "2. SRO Design Manager\n"
        "3. Lead Delivery Partner (LDP) Programme/Design Manager\n"
        "4. Lead Delivery Partner (SI) System Integrator Manager\n"
        "5. Independent Programme Assurance (IPA) Manager\n"
        "6. Elexon Representative (as central systems provider)\n"
        "7. DCC Representative (as smart meter central system provider)\n"
        "8. Any other provider of a central system required for MHHS implementation (e.g. "
        "communications provider)\n"
        "9. Large Supplier Representative\n"
        "10. Medium Supplier Representative\n"
        "11. Small Supplier Representative\n"
        "12. I&C Supplier Representative\n"
        "13. Supplier Agent Representative (Independent Supplier Agent)\n"
        "14. Supplier Agent Representative\n"
        "15. DNO Representative\n"
        "16. iDNO Representative\n"
        "17. National Grid ESO\n"
        "18. Consumer Representative\n"
        "19. Ofgem (Observer, to attend as appropriate)\n"
        "20. The PMO will attend to act as meeting secretariat\n"
        "\n"
        "DAG Terms of Reference (extracted from MHHS-DEL031 MHHS Programme Governance "
        "Framework v1.1)\n"
        "\n"
        "Purpose and Duties of MHHS Design Advisory Group\n"
        "\n"
        "- DAG's purpose is to be the mechanism that oversees, reviews and approves "
        "end-to-end business processes, system and data architecture deliverables "
        "that produce the detailed system designs that enables all programme parties "
        "to design, build and test their individual system and business changes.\n"
        "- DAG is responsible for all design decisions and all requests that impact on "
        "design.\n"
        "- DAG is responsible for overseeing the development of the physical baseline "
        "which will provide the detail necessary for all parties to commence system "
        "design and build.\n"
        "\n"
        "DAG Scope, Deliverables, Roles and Responsibilities\n"
        "\n"
        "- DAG's scope is the development and management of all system and process "
        "design artefacts.\n"
        "- The SRO (or someone delegated by the SRO from within the MHHS Implementation "
        "Manager function) will chair the meetings.\n"
        "- The PMO will maintain and communicate up to date meeting documentation.\n"
        "- The PMO will maintain an up-to-date Programme plan, RAID log and actions log.\n"
        "- The PMO will provide all meeting management services and deliver all "
        "regular and ad hoc meetings.\n"
        "- DAG Members (or nominated alternatives) will attend every meeting.\n"
        "- DAG Members will be fully meeting prepared before the meeting starts.\n"
        "- DAG Members should be a mix of business, system, data, design, security and "
        "solution technical experts.\n"
        "\n"
        "Decision Making\n"
        "\n"
        "The DAG will make Level 3 decisions and Level 2 decisions when delegated from "
        "the PSG. (Level 1 decisions will be escalated to Ofgem by the SRO or IPA). The "
        "DAG can delegate decisions to another Level 3 group or a lower-level work group.\n"
        "\n"
        "The DAG will ensure that any decisions are based on full transparency with "
        "programme participants and appropriate consultation.\n"
        "\n"
        "Where parties raise significant concerns with a DAG decision, the concern "
        "will be resolved by DAG or escalated to the PSG via a constituency "
        "representative.\n"
        "\n"
        "Consultation will be carried out on an ongoing basis, with the DAG taking "
        "decisions based on information developed by Design Working Groups.\n"
        "\n"
        "Where the DAG is presented with recommendations from Design Working Groups they "
        "will have the ability to:\n"
        "\n"
        "- i. Accept the recommendation – the proposal/recommendations are aligned to "
        "the TOM and overall objectives.\n"
        "- ii. Reject the recommendation – the proposal/recommendations does not align to "
        "the TOM, programme principles or requires further work/clarity.\n"
        "- iii. Refer the recommendation for additional work or analysis.\n"
        "- iv. Accept the recommendation, subject to additional work being completed.\n"
        "- v. Refer to the PSG when the recommendation meets the threshold for Ofgem "
        "intervention or DAG cannot reach consensus.\n"
        "\n"
        " \n"
        "Decisions and outputs of the DAG will be published within 10 working days of the "
        "meeting."
    ),
    "5": (
        "High Level Design Principles (1 of 2)\n"
        "\n"
        "A review has been conducted of the current granular design principle with a view "
        "to deriving a set of over-arching principles as per the DAG request. A number of "
        "the original set have been re-categorised as requirements and assumptions and "
        "will be incorporated into the detailed design artefacts. The items listed below "
        "represent the current programme view of the high-level principles to be applied "
        "to the end-to-end design.\n"
        "\n"
        "Ref\tPrinciple\tScope\tSub-Principle\tReferences\n"
        "1\tThe solution will implement the TOM at a service level with prescribed "
        "interfaces between TOM services. The design will be agnostic as to the "
        "physical resolution that parties choose in the build of the services, it will "
        "only proscribe requirements and such physical characteristics as to enable "
        "interface build.\tSystem Wide\t\tPRI017\n"
        "2\tEnergy Suppliers can choose how they deliver their TOM Data Services (direct "
        "or procured)\tSystem Wide\t\tPRI016\n"
        "3\tThe DIP solution will remain stateless and will not execute Business "
        "Processing rules\tDIP\tSending parties are responsible for any follow up "
        "for business processes requiring completion (PRI026)\tPRI024.PRI025\n"
        "4\tNo new DTC flows will be created to resolve interface requirements for "
        "MHHS. Nor will there be facsimiles of existing DTC flows created on the "
        "DIP.\tSystem Wide\t\t\n"
        "5\tWhere optionality exists with regard to resolving an interface to either "
        "the DIP or remaining on the DTN the solution will seek to group the resolution "
        "based on related flows within the business process. i.e., if the majority "
        "of flows within a process use the DIP it would not be desirable for outliers to "
        "remain on the DTN.\tSystem Wide\t\t\n"
        "\n"
        "High Level Design Principles (2 of 2)\n"
        "\n"
        "Ref\tPrinciple\tScope\tSub-Principle\tReferences\n"
        "6\tSolution assumes that the data held/mastered by the owner/manager is "
        "correct. Services will undertake processing in good faith based on the data "
        "provided to them. This does not preclude the potential requirements for "
        "exception reporting and reconciliation requirements to rectify data quality "
        "issues.\tSystem Wide\tWill not duplicate items held in other "
        "systems(PRI004/005) Will only hold what is required to route messages Will not "
        "validate customer opt out (PRI008)\tPRI003. PRI001. PRI010. PRI011. PRI019\n"
        "7\tService providers will be responsible for reporting data accuracy issues to "
        "the data owner/manager\tSystem Wide\t\tPRI003\n"
        "8\tData will be processed within the services promptly and in accordance with "
        "BSC Procedures\tSystem Wide\t[Data services should process data in "
        "accordance with the settlement timetable]\tPRI010\n"
        "9\tThe solution will seek to minimise cost to industry participants in the "
        "delivery of the OFGEM approved TOM services and Integration "
        "platform\tSystem Wide\t\tPRI027\n"
        "10\tThe solution will be secure, scalable for volume, latency, interfaces and "
        "other key technical dimensions.\tSystem Wide\t\tPRI015.PRI028\n"
        "11\tInterfaces will only pass those elements of data required in direct "
        "support of their governing business process and requirements.\tSystem Wide\t\t\n"
        "12\tDesign will be articulated with sufficient breadth and detail required "
        "to enable regulatory code drafting in addition to enabling Service Design, "
        "Build, Test & Operate.\tSystem Wide\t\t\n"
        "13\tAny technology selection will be mindful of future use cases\tDIP\t\t\n"
        "\n"
        " \n"
        "New design principle on level playing field\n"
        "\n"
        "- New design principle proposed at January DAG meeting (and DAG agreed action "
        "DES-03-08):\n"
        " - *“Level playing field – All participants operating under MHHS will be "
        "afforded the ability to deliver the same level of service regardless of role”*\n"
        "- DAG sub group:\n"
        " - meeting held 1 February 2020\n"
        " - discussed context, design principles and potential design proposals (see "
        "slides available via [MHHS website](#) - document titled *MHHS-DEL200 DAG "
        "sub group 01 February 2022 v1.2*)\n"
        " - Agreed design principle with clarified wording\n"
        " - Agreed MHHS base requirement is a 24 hour TRT\n"
        "- MHHS Design team proposed new wording for DAG agreement:\n"
        " - *“Level playing field – All **market** participants operating under MHHS "
        "**Target Operating Model** will be afforded the ability to deliver the same "
        "level of service **for the same MHSS role or service** regardless of role”*\n"
        "- Next steps:\n"
        " - Look at options on how design proposals taken forward, e.g. under SDS "
        "workstream, DAG sub group\n"
        " - Canvas views on other design proposals (additional to SEC drafting "
        "restrictions or Supplier as MDR)"
    ),
    "6": (
        "Two key areas will be passed to DAG seeking a decision. A significant number of "
        "logical design artefacts cannot be progressed until a decision has been made "
        "regarding the approach for these areas. The process to collect and process "
        "participant feedback could not be completed in time for this DAG session and "
        "therefore an extraordinary DAG session has been requested to consider these.\n"
        "\n"
        "▪ **Change of Agent**\n"
        "\n"
        "- CCDG recommended an approach for the appointments to be mediated by the "
        "registration service as opposed to the current supplier mediated process. "
        "Following consultation OFGEM requested that this be considered as part of "
        "the decision to proceed with the recommendation for the use of the EDA "
        "pattern following responses challenging the CCDG recommendation. It was "
        "agreed that this issue be considered by the programme and dealt with via "
        "Design governance.\n"
        "- The design team have been working with industry participants to "
        "articulate the options available. These are the CCDG recommended approach and an "
        "alternative Supplier mediated approach.\n"
        "- These options have been presented to the Registration Sub-Working group and a "
        "request for written responses has been made. These responses are being collated "
        "and following an additional sub-working group session to refine feedback the "
        "positions will be presented to DAG where a decision will be sought.\n"
        "\n"
        "▪ **Interface Approach**\n"
        "\n"
        "- Optionality exists regarding the richness of data to be provided in various "
        "logical interfaces. There are a range of options ranging from very lightweight "
        "interfaces to very data rich interfaces mirroring some of the flows that are "
        "used today.\n"
        "- Options have been presented to the working group and written responses "
        "requested.\n"
        "- The responses have been received and are being processed by the design "
        "team. A further sub-working group session will be held after which a paper "
        "will be submitted to DAG detailing the options and requesting a decision."
    ),
    "6A": (
        "- TDWG have been considering a number of core principles and key technical "
        "characteristics that inform the Functional Specification of the integration "
        "platform\n"
        "- Following multiple working group sessions, the TDWG has reached consensus on a "
        "number of core elements\n"
        "- TDWG now seeks approval from DAG on these elements as these will form key "
        "drivers for the detail underpinning the DiP Functional Specification current "
        "being developed and under review\n"
        "\n"
        "High Level Design Principles\n"
        "\n"
        "#\tPrinciple\tDescription\tAgree (y/n)\n"
        "001\tBusiness Logic\tDIP is devoid of any business logic (the exception is the "
        "routing of messages to correct participants)\tYes\n"
        "002\tMessage/Event routing\tDIP is responsible for routing messages from senders "
        "to receivers\tYes\n"
        "003\tMessage/Event Validation (DIP)\tDIP will undertake message header and "
        "schema validation rather than full content validation.\tYes\n"
        "004\tMessage/Event Validation (Participant)\tRecipients will validate the "
        "message payload\tYes\n"
        "005\tError Reporting\tDIP/Message Recipients will report logically invalid "
        "messages back to recipient\tYes\n"
        "006\tFuture Requirements\tThe DIP is a platform for the future and should "
        "be designed such that additional business events can easily be added\tYes\n"
        "007\tFlexible Templates\tSupport templated design as new industry "
        "initiatives may require different patterns of message/event exchange\tYes\n"
        "008\tConnection Pattern\tStandardised connection patterns across all "
        "services. All services will present as a minimum API HTTPS interfaces with JSON "
        "payloads with API inbound, webhook outbound.\tYes\n"
        "009\tAPI Monitoring\tAll API activity (inbound & outbound) will be monitored "
        "and available for reporting\tYes\n"
        "\n"
        " \n"
        "Technology/Architecture Characteristics\n"
        "\n"
        "#\tCharacteristic\tDescription\tAgree (y/n)\n"
        "001\tPlatform Agnostic\tWork with the AWG definition of Event Driven "
        "Architecture for the RFP that uses the Gartner Report definition, 3 basic "
        'type of events brokers are defined: <ul style="list-style-type: none"> • '
        "Queue-oriented (like Solace PubSub+, RabbitMQ, Azure Service Bus, etc.) • "
        "Log-oriented (like Apache Kafka, Amazon Kinesis) • Subscription-oriented (such "
        "as Amazon EventBridge and Azure Event Grid). \tYes\n"
        '002\tCloud Architecture\tSingle Cloud Provider <ul style="list-style-type: '
        'none"> • at least 2 availability zones/regions • backup \tYes\n'
        "003\tAvailability\tPercentage of Uptime 99.95% (unplanned) Mean Time to "
        "Recovery (MTTR) 60 mins Mean Time between Failures (MTBR) - Recovery Time "
        "Objective (RTO) 60 mins Recovery Point Objective (RPO) 0\tYes\n"
        "004\tPerformance\tNear real-time message delivery with 90% delivered within 3 "
        "seconds of receipt, and 100% of messages within 30 seconds.\tYes\n"
        "005\tMessage Retention\tOn-line broker, i.e. routine processing – 14 days; "
        "archive replay – 2 years\tYes"
    ),
    "7": (
        "MHHS BPRWG - Business Design Artefact Status Report\n"
        "\n"
        "Business Process Artefacts\tCurrent Status\t\t\t\t\t\tForecast BPRWG "
        "Review\t\t\tForecast DAG Review\t\t\n"
        "\tNo. of Docs.\tFirst Draft Not Complete\tFirst Draft Complete\tIn Flight "
        "Sub-Group Review\tBlocked\tIn Flight BPRWG Review\tFeb\tMar\tApr\tFeb\tMar\tApr\n"
        "Business Process Maps\t20\t5\t15\t12\t3\t0\t12\t2\t6\t12\t2\t6\n"
        "Interface Specifications\t38\t4\t34\t34\t32\t0\t2\t9\t27\t2\t9\t27\n"
        "Business Requirements / Business Process "
        "Descriptions\t10\t7\t3\t3\t0\t0\t2\t2\t6\t2\t2\t6\n"
        "Global Artefacts\t5\t3\t2\t2\t0\t0\t1\t3\t1\t1\t3\t1\n"
        "Total\t73\t19\t54\t51\t35\t0\t17\t16\t40\t17\t16\t40\n"
        "\n"
        "Key Blocking Issues\tNo. of Artefacts Blocked\n"
        "Change of Agent- Forecast DAG discussion Feb\t17\n"
        "Interface Approach- Forecast DAG discussion Feb\t7\n"
        "Supplier Interaction- Linked to both above issues\t11\n"
        "\n"
        "See additional slide pack shared alongside meeting papers on design artefact "
        "status and progression timetable.\n"
        "\n"
        "Document titled *MHHS-DEL199 Design Artefact Status Report - Feb-22*\n"
        "\n"
        "MHHS TDWG & SDWG - Technical Design Artefact Status Report\n"
        "\n"
        "\tCurrent Status\t\t\t\t\t\tForecast Level 4 Review\t\t\tForecast DAG Review\t\t\n"
        "Technical Design Artefacts\tNo. of Docs\tFirst Draft Not Complete\tFirst "
        "Draft Complete\tIn Flight Sub-Group Review\tBlocked\tIn Flight Level 4 "
        "Review\tFeb\tMar\tApr\tMar\tApr\tMay\n"
        "DIP Non Functional Requirements\t1\t0\t1\t1\t0\t1\t1\t\t\t1\t\t\n"
        "DIP Functional Specification\t1\t0\t1\t1\t0\t1\t1\t\t\t1\t\t\n"
        "End to End Architecture\t1\t1\t0\t0\t0\t0\t\t1\t\t\t1\t\n"
        "End to End Non Functional Requirements\t1\t1\t0\t0\t0\t0\t\t1\t\t\t1\t\n"
        "Security Specifications and Impact assessments\t4\t1\t3\t3\t0\t3\t\t\t3\t\t\t3\n"
        "Total\t8\t3\t5\t5\t0\t5\t2\t2\t3\t2\t2\t3\n"
        "\n"
        "MHHS Business Process & Requirements Working Group Schedule – February 2022\n"
        "\n"
        " \n"
        "February 2022\t\t\t\t\n"
        "\tTue 1st\tWed 2nd\tThu 3rd\tFri 4th\n"
        "\tPre-read: • DNO Session\tDAG Papers • BPRWG\tPre-read • Smart • "
        "Advanced\tPre-read: • ECS • ECS\n"
        "Mon 7th\tTue 8th\tWed 9th\tThu 10th\tFri 11th\n"
        "MHHS Design Planning\tPre-read: • Registration • DNO Session\t• Design "
        "Advisory Group (DAG)\tPre-read: • Settlement Timetable • Smart • "
        "Advanced\tPre-read: • ECS • ECS\n"
        "Mon 14th\tTue 15th\tWed 16th\tThu 17th\tFri 18th\n"
        "MHHS Design Planning\tPre-read: • Registration • Registration\t\tPre-read: "
        "• Unmetered • Settlement Timetable\tPre-read: • ECS • ECS\n"
        "Mon 21 st\tTue 22nd\tWed 23rd\tThu 24th\tFri 25 th\n"
        "MHHS Design Planning\t• Registration\tPre-read: • BPRWG\t• "
        "Unmetered\tPre-read: • ECS • ECS\n"
        "Mon 28 th\t\t\t\t\n"
        "MHHS Design Planning\t\t\t\t\n"
        "\n"
        "BPRWG Sub-Group\tAgenda Item\tPre-read issued\tMeeting\n"
        "Registration\t• Update- Interface Approach • Review- Validation Rules\tTue 8 th "
        "Feb\tTue 15th Feb\n"
        "\t• Update- Change of Agent\tTue 15 th\tTue 22nd Feb\n"
        "Smart Market Segment\t• Final Review- Validation & Estimation Method "
        "Statement\tThu 3 rd\tThu 10th Feb\n"
        "Elexon Central Systems\t• Agree- Marketwide Data Service (MDS) • 1 st Review- "
        "Volume Allocation Service (VAS)\tFri 28 th Jan\tFri 4th Feb\n"
        "\t• 2 nd Review- Volume Allocation Service (VAS)\tFri 4 th Feb\tFri 11th Feb\n"
        "\t• 3 rd Review- Volume Allocation Service (VAS)\tFri 11 th Feb\tFri 18th Feb\n"
        "\t• Agree- Volume Allocation Service\tFri 18 th Feb\tFri 25th Feb\n"
        "Advanced Market Segment\t• Update- Segment Specific Business Processes\tThu 3 rd "
        "Feb\tThu 10th Feb\n"
        "Unmetered Market Segment\t• Update- Segment Specific Business "
        "Processes\tThu 17 th Feb\tThu 24th Feb\n"
        "Cross Sub-Group\t• Settlement Timetable\tThu 10 th Feb\tThu 17th Feb\n"
        "Participant Engagement\t• DNO Interactions\tTue 1 st Feb\tTue 8th Feb"
    ),
    "8": (
        "Next Steps\n"
        "\n"
        "- Confirm Actions from meeting\n"
        "- Dates of next DAGs (additional DAGs have been added to the schedule)\n"
        "\n"
        "Week commencing\t31/01\t07/02\t14/02\t21/02\t28/02\t07/03\t14/03\t21/03\t28/0"
        "3\t04/04\t11/04\t18/04\t25/04\t02/05\n"
        "Monthly DAG\t\tWeds 9th\t\t\t\tWeds 9th\t\t\t\t\tWeds 13th\t\t\tWeds 4th\n"
        "Additional DAG\t\t\tWeds 16th\t\t\t\t\tWeds 23rd\t\t\t\t\tWeds 27th\t\n"
        "\n"
        "↑\n"
        "*DAG meeting in\n"
        " May brought\n"
        " forward by a\n"
        " week*"
    ),
}

PEOPLE = [
    "Ian Smith",
    "Lewis Hall",
    "Claire Silk",
    "Simon Chidwick",
    "Seth Chapman",
    "Craig Handford",
]


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture
def dag():
    """The group, its chair and the people the pack names, and DAG001 to DAG003 with the
    actions the pack reviews."""
    group = make_group("DAG", name="Design Advisory Group", programme_label="MHHS")
    make_person("Justin Andrews").memberships.create(group=group, role=Role.CHAIR)
    for name in PEOPLE:
        make_person(name)
    earlier = {
        prefix: make_meeting(group, number=at, date=date, status=MeetingStatus.MINUTES_APPROVED)
        for at, (prefix, date) in enumerate(EARLIER.items(), start=1)
    }
    for reference, raised, text, owner, due, *_ in ACTIONS:
        meeting = earlier[reference[:6]]
        assert f"{meeting.date:%d/%m/%Y}" == raised
        make_action(meeting, reference=reference, text=text, owner_printed=owner, due_date=day(due))
    return group


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("pmo", group=dag, role=Role.SECRETARIAT))
    return client


def ok(response):
    """A form accepted: the page redirects (a refusal shows the form again, with 200)."""
    content = response.content.decode()
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', content, re.S)
    assert response.status_code == 302, errors or content[:3000]
    return response


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def version(pmo, address):
    """The version the edit form was opened at (its hidden field), as a browser posts it."""
    form = pmo.get(address).content.decode()
    return re.search(r'name="version" value="(\d+)"', form)[1]


def schedule(pmo, dag):
    """The meeting as the pack gives it: a date, no time or venue; then its identity, held,
    and the next DAGs of item 8's schedule."""
    ok(
        pmo.post(
            url("meeting_create", "DAG"),
            {
                "number": "4",
                "point": "0",
                "title": "",
                "date": "2022-02-09",
                "start_time": "",
                "end_time": "",
                "venue": "",
                "classification": "public",
            },
        )
    )
    meeting = Meeting.objects.get(group=dag, number=4)
    ok(
        pmo.post(
            url("meeting_edit", meeting.pk),
            {
                "version": version(pmo, url("meeting_edit", meeting.pk)),
                "title": "",
                "date": "2022-02-09",
                "start_time": "",
                "end_time": "",
                "venue": "",
                "classification": "public",
                "status": MeetingStatus.HELD,
                "next_meeting_date": "2022-02-16",
                "next_meeting_time": "",
                "following_meeting_date": "2022-03-09",
                "paper_title": "Design Advisory Group #4",
                "paper_reference": "MHHS-DEL160",
                "paper_version": "Version 1.0",
            },
        )
    )
    return meeting


def enter_agenda(pmo, meeting):
    """The agenda slide's items with their leads (people of the tracker) and times, then
    the slides presented on each, on the item's edit page."""
    for number, title, lead, minutes in AGENDA:
        ok(
            pmo.post(
                url("agenda", meeting.pk),
                {
                    "number": number,
                    "title": title,
                    "lead": Person.objects.get(name=lead).pk,
                    "lead_text": "",
                    "item_type": "",
                    "duration_minutes": str(minutes),
                },
            )
        )
    for number, title, _, minutes in AGENDA:
        if number not in SLIDES:
            continue
        item = meeting.agenda_items.get(number=number)
        address = url("agenda_item_edit", meeting.pk, item.pk)
        ok(
            pmo.post(
                address,
                {
                    "version": version(pmo, address),
                    "number": number,
                    "title": title,
                    "lead": item.lead_id,
                    "lead_text": "",
                    "item_type": "",
                    "duration_minutes": str(minutes),
                    "objective": "",
                    "paper_text": SLIDES[number],
                },
            )
        )


def review_actions(pmo, meeting):
    """The status column in one pass at the meeting; DES-03-04, closed on 18/01/22, in a
    pass of its own dated that day."""
    for date in [meeting.date, *CLOSED_EARLY.values()]:
        data = {"date": date.isoformat()}
        for reference, *_, status, update in ACTIONS:
            if CLOSED_EARLY.get(reference, meeting.date) != date:
                continue
            pk = Action.objects.get(reference=reference).pk
            closed = status.startswith("CLOSED")
            data |= {f"{pk}-status": "closed" if closed else "", f"{pk}-text": update}
        ok(pmo.post(url("action_review", meeting.pk), data))


def test_dag004_entered_through_the_pages_prints_as_the_pack(pmo, dag):
    meeting = schedule(pmo, dag)
    enter_agenda(pmo, meeting)
    review_actions(pmo, meeting)

    page, pdf = page_text(pmo, meeting), pdf_text(meeting)

    # The pack's identity and the header box: no time or venue given.
    identity = "Design Advisory Group #4 MHHS-DEL160 Version 1.0"
    header = "Meeting number DAG004 Venue — Date and time 09 February 2022 Classification Public"
    for text in (page, pdf):
        assert text.startswith(identity)
        assert header in text

    # The actions table: its rows in the app's order (see the module's docstring), each
    # Ref, Action, Owner, Due Date as printed, and CLOSED on those closed.
    rows = actions_rows()
    printed = " ".join(" ".join(row) for row in rows)
    table = section(page, "New / Outstanding Actions", "Decisions")
    assert words(table) == words(f"New / Outstanding Actions Area Ref Action Owner Due {printed}")
    table = section(pdf, "New / Outstanding Actions", "Decisions")
    assert tokens(table) == tokens(printed)
    assert_in_order(words(table), words(printed))

    # The status column: what was said of each action, dated, with the status it set.
    printed = " ".join(
        f"{reference}: {update} ({closed_on(reference)}){' CLOSED' * closing(status)}"
        for reference, *_, status, update in ACTIONS
    )
    for text in (page, pdf):
        review = section(text, "Updates on previous actions", "Minutes")
        heading = "Updates on previous actions"  # "Previous Actions" in the PDF
        assert words(review.lower()) == words(f"{heading} {printed}".lower())
        assert tokens(review) == tokens(printed)

    # The agenda: each item's number, title, lead and time as the agenda slide prints
    # them, then the slides presented on it, word for word; the page prints an ordered
    # list's numbers as list markers, not as text.
    agenda = []
    for number, title, lead, minutes in AGENDA:
        agenda.append(f"{number}. {title} {lead} · {minutes} mins")
        if number in SLIDES:
            agenda += ["Paper presented", re.sub(r"(?m)^\s*\d+\. ", "", SLIDES[number])]
        else:
            agenda.append("No minutes recorded.")
    agenda.append("Date of next meeting 16 February, 09 March 2022")
    printed = " ".join(agenda)
    assert words(section(page, "Minutes 1. Welcome", "Governance tracker")) == words(
        f"Minutes {printed}"
    )
    assert_in_order(words(pdf[pdf.index("Minutes 1. Welcome") :]), words(printed))
    assert "Date of next meeting: 16 February, 09 March 2022" in pdf

    # What was entered is held as the pack has it, the Date column included.
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    for reference, raised, _, owner, due, status, _ in ACTIONS:
        action = Action.objects.get(reference=reference)
        assert f"{action.date_raised:%d/%m/%Y}" == raised
        assert (action.owner_display(), action.due_display()) == (owner, due)
        assert (action.status == ActionStatus.CLOSED) == closing(status)
        assert (action.closed_meeting == meeting) == closing(status)


def closing(status):
    return status.startswith("CLOSED")


def closed_on(reference):
    """The date of the update: the meeting's, or the day the status gives ("18/01/22")."""
    return f"{CLOSED_EARLY.get(reference, datetime.date(2022, 2, 9)):%d/%m/%Y}"


def actions_rows():
    """The pack's table as the app orders it: still open under "Previous Meeting(s)", then
    closed at this meeting, each newest meeting first, in reference order within one."""
    rows = []
    for heading, closed in ((PREVIOUS_MEETINGS, False), (CLOSED_HERE, True)):
        listed = sorted(
            (row for row in ACTIONS if closing(row[5]) == closed),
            key=lambda row: (-day(row[1]).toordinal(), row[0]),
        )
        for at, (reference, _, text, owner, due, *_) in enumerate(listed):
            rows.append([heading] * (at == 0) + [reference, text, owner, due] + ["CLOSED"] * closed)
    return rows


def words(text):
    return re.findall(r"\w+", text)


def assert_in_order(found, expected):
    """The expected words in order in the PDF's, which adds the running header of each
    page, the table's header repeated and the list markers."""
    at = 0
    for word in expected:
        try:
            at = found.index(word, at) + 1
        except ValueError:
            context = " ".join(found[max(at - 20, 0) : at + 20])
            raise AssertionError(f"{word!r} not in order after {context!r}") from None
