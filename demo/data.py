"""Demo data transcribed from the real MHHS papers in shared/seeds/.

Sources, cited per block below:
- DAG029: "MHHS Design Advisory Group (DAG) Minutes and Actions", meeting of 11 October 2023.
- DAG004: "Design Advisory Group #4" slide pack, 09 February 2022.
- JUNE24: DAG papers for 12 June 2024 (actions review, CR status table, RAID pointer).

Text is copied as the papers write it, typos included; only Word artefacts
("Formatted: Font...") and dead "(#)" links are dropped. Dates are written dd/mm/yyyy as
in the papers and parsed by the loader. Where a paper does not say something the demo needs,
the assumption is marked ASSUMPTION next to it.

Owners are the paper's Owner cell as written. The loader splits each cell one way:
"Party (Name & Name)" with people it knows in the brackets -> owner_party "Party" plus those
people as owners; a cell made only of known people ("Ian Smith/Lewis Hall") -> owners only;
anything else ("Programme (PMO)", "Programme (Design Team)") -> the whole cell is the party.
"""

ORGANISATIONS = [
    # (name, short name)
    ("MHHS Programme", "MHHS"),
    ("National Grid ESO", "NGESO"),
    ("Elexon", ""),
    ("RECCo", ""),
    ("DCC", ""),
    ("Ofgem", ""),
    ("Independent Programme Assurer", "IPA"),  # DAG004: "Independent Programme Assurer (IPA)"
    ("Credera", ""),
]

# (name, organisation). Organisation only where a paper states it; constituency
# representatives' employers are not in the papers, so they have none.
PEOPLE = [
    # DAG029 attendees
    ("Justin Andrews", "MHHS Programme"),
    ("Carolyn Burns", None),
    ("Daniel Arrowsmith", "National Grid ESO"),
    ("David Yeoman", None),
    ("Morven Hunter", None),
    ("Gareth Evans", None),
    ("Haz Elmamoun", None),
    ("Robert Langdon", None),
    ("Riccardo Lampini", "Elexon"),
    ("Sarah Jones", "RECCo"),
    ("Seth Chapman", None),
    ("Stuart Scott", "DCC"),
    ("Vladimir Black", None),
    ("Andrew Margan", "MHHS Programme"),
    ("Berlinda Kugara", "MHHS Programme"),
    ("Fraser Mathieson", "MHHS Programme"),
    ("Immy Syms", "MHHS Programme"),
    ("Lee Cox", "MHHS Programme"),
    ("Matt Hall", "MHHS Programme"),
    ("Paul Pettitt", "MHHS Programme"),
    ("Sean Cooper", "MHHS Programme"),
    ("Andrew Dudkowsky", "National Grid ESO"),
    ("Colin Berry", "Elexon"),  # "Elexon Helix": Elexon's MHHS central systems programme
    ("Colin Bezant", "Independent Programme Assurer"),
    ("Danielle Walton", "Ofgem"),
    ("Taylor Thorpe", "Independent Programme Assurer"),
    ("Caroline Farquhar", None),
    # DAG029 others named
    ("Donna Jamieson", None),
    ("Matt McKeon", "MHHS Programme"),
    # JUNE24 action owners and CR table
    ("Smitha Pichrikat", "MHHS Programme"),
    ("Mike Ceney", "Elexon"),
    ("Harriet Truss", "RECCo"),
    ("Ben Wickins", "MHHS Programme"),
    ("Laura Kennedy", "Credera"),
    ("Nicola Farley", "MHHS Programme"),
    ("Rob Golding", "MHHS Programme"),
    # DAG004 agenda leads and action owners
    ("Ian Smith", "MHHS Programme"),
    ("Lewis Hall", "MHHS Programme"),
    ("Claire Silk", "MHHS Programme"),
    ("Simon Chidwick", "MHHS Programme"),
    ("Craig Handford", None),
]

# DAG004 slides, "DAG Terms of Reference" (role, objectives, decision making).
DAG_TERMS_OF_REFERENCE = """\
## Role

The DAG's role is to oversee, review, consult and approve, the MHHS Programme development of the \
end-to-end business processes, system and data architecture that delivers the detailed system \
design that enables all programme participants to design, build and test their individual system \
and business changes

## Objectives

- To be the primary decision-making authority for the system and solution design, unless above \
Ofgem thresholds
- To oversee the Programme design outputs, review and validate the output contents against \
objectives and expectations, send the deliverables for consultation and approve the design \
artefacts
- Ensure different programme participant perspectives are appropriately represented during \
decision making
- Enable Design transparency for all impacted constituency groups and stakeholders
- Delegate appropriate tasks and activities to Level 4 working groups
- Receive escalations from lower-level workgroups and reach consensus on decisions, so the \
Programme design work progresses to plan
- Provide detailed advice to the SRO, PSG and other groups if required

## Decision making

The DAG will make Level 3 decisions and Level 2 decisions when delegated from the PSG. (Level 1 \
decisions will be escalated to Ofgem by the SRO or IPA). The DAG can delegate decisions to another \
Level 3 group or a lower-level work group.

The DAG will ensure that any decisions are based on full transparency with programme participants \
and appropriate consultation.

Where parties raise significant concerns with a DAG decision, the concern will be resolved by DAG \
or escalated to the PSG via a constituency representative.

Where the DAG is presented with recommendations from Design Working Groups they will have the \
ability to:

1. Accept the recommendation – the proposal/recommendations are aligned to the TOM and overall \
objectives.
2. Reject the recommendation – the proposal/recommendations does not align to the TOM, programme \
principles or requires further work/clarity.
3. Refer the recommendation for additional work or analysis.
4. Accept the recommendation, subject to additional work being completed.
5. Refer to the PSG when the recommendation meets the threshold for Ofgem intervention or DAG \
cannot reach consensus.

Decisions and outputs of the DAG will be published within 10 working days of the meeting.

*Extracted from MHHS-DEL031 MHHS Programme Governance Framework v1.1, as presented at DAG004.*
"""

# Parents come before children. Names as the papers spell them; ASSUMPTION where marked.
GROUPS = [
    # code, name, level, parent, active, terms of reference
    ("PSG", "Programme Steering Group", 2, None, True, ""),
    ("DAG", "Design Advisory Group", 3, "PSG", True, DAG_TERMS_OF_REFERENCE),
    (
        "TMAG",
        "Testing and Migration Advisory Group",
        3,
        "PSG",
        False,
        "Replaced by SITAG, QAG and MCAG in Q1 2024.",
    ),
    ("SITAG", "System Integration Testing Advisory Group", 3, "PSG", True, ""),
    ("QAG", "Qualification Advisory Group", 3, "PSG", True, ""),
    ("MCAG", "Migration & Cutover Advisory Group", 3, "PSG", True, ""),
    ("CCAG", "Cross Code Advisory Group", 3, "PSG", True, ""),
    ("BPRWG", "Business Process & Requirements Working Group", 4, "DAG", True, ""),
    ("TDWG", "Technical Design Working Group", 4, "DAG", True, ""),  # ASSUMPTION: expansion
    ("SDWG", "Security Design Working Group", 4, "DAG", True, ""),
    ("DWG", "Data Working Group", 4, "DAG", True, ""),
    ("DRG", "Design Resolution Group", 4, "DAG", True, ""),
    ("MTDSG", "Migration and Transition Design Subgroup", 4, "DAG", True, ""),
    ("SITWG", "Systems Integration Testing Working Group", 4, "SITAG", True, ""),
    ("EWG", "Environments Working Group", 4, "SITAG", True, ""),  # ASSUMPTION: expansion
    ("QWG", "Qualification and E2E Sandbox Working Group", 4, "QAG", True, ""),
    ("MWG", "Migration Working Group", 4, "MCAG", True, ""),  # ASSUMPTION: expansion
    ("TORWG", "Transition and Operational Readiness Working Group", 4, "MCAG", True, ""),
]

DAG_PROGRAMME_LABEL = "MHHS"  # heading of the programme-staff section of DAG029's attendee table

# DAG memberships: (person, role, constituency). Constituencies are DAG029's role column.
DAG_MEMBERSHIPS = [
    ("Justin Andrews", "chair", "Chair"),
    ("Fraser Mathieson", "secretariat", "PMO Governance Lead"),
    ("Danielle Walton", "observer", "Ofgem"),
    ("Carolyn Burns", "member", "Small Supplier Representative"),
    ("Daniel Arrowsmith", "member", "National Grid ESO"),
    ("David Yeoman", "member", "DNO Representative"),
    ("Donna Jamieson", "member", "iDNO Representative"),
    ("Gareth Evans", "member", "I&C Supplier Representative"),
    ("Haz Elmamoun", "member", "Large Supplier Representative"),
    ("Robert Langdon", "member", "Supplier Agent Representative"),
    ("Riccardo Lampini", "member", "Elexon Representative"),
    ("Sarah Jones", "member", "RECCo Representative"),
    ("Seth Chapman", "member", "Supplier Agent Representative"),
    ("Stuart Scott", "member", "DCC Representative (as smart meter central system provider)"),
    ("Vladimir Black", "member", "Medium Supplier Representative"),
    ("Caroline Farquhar", "member", "Consumer Representative"),
    ("Andrew Margan", "member", "Code Lead"),
    ("Berlinda Kugara", "member", "Design Team"),
    ("Immy Syms", "member", "PMO Change Lead"),
    ("Lee Cox", "member", "Test Lead"),
    ("Matt Hall", "member", "Design Team"),
    ("Paul Pettitt", "member", "Design Lead"),
    ("Sean Cooper", "member", "Design Team"),
]

# Demo logins (password "demo", set only when the account is first made).
# ASSUMPTION: `member` is Paul Pettitt rather than Haz Elmamoun, because a member's own
# page is about the actions they own and Haz Elmamoun owns none in the papers.
DEMO_USERS = [
    # username, person, superuser
    ("secretariat", "Fraser Mathieson", False),
    ("chair", "Justin Andrews", False),
    ("member", "Paul Pettitt", False),
    ("observer", "Danielle Walton", False),
    ("admin", None, True),
]

# DAG meetings: number -> fields. Only DAG029 (and its "next meeting") has times in the papers.
# ASSUMPTION for dates the papers do not give: the DAG sits on the second Wednesday of the
# month, as every dated DAG in the papers does (12/01/2022, 09/02/2022, 13/09/2023, 11/10/2023,
# 08/11/2023, 14/02/2024, 13/03/2024, 10/04/2024, 08/05/2024, 12/06/2024). That gives DAG027
# 09/08/2023, DAG031 13/12/2023 and DAG032 10/01/2024.
# Numbering of 2024: DAG36-01 (due 10/05/2024) asks for the headline reports of the 14 February
# and 13 March meetings, so DAG036 sat after 13 March and before 10 May: 08 May 2024, the
# "DAG 08 May 2024" of the June papers. DAG035 is then 10 April, DAG034 13 March, DAG033
# 14 February, and the June papers are for DAG037, stood down to correspondence at DAG036.
# (The June papers also mention a "DAG held 15 May 2024"; taken to be a slip for 08 May.)
DAG_MEETINGS = [
    # number, date, status, extra fields
    (1, "17/11/2021", "minutes_approved", {}),
    (2, "08/12/2021", "minutes_approved", {}),
    (3, "12/01/2022", "minutes_approved", {"minutes_approved_date": "09/02/2022"}),
    (4, "09/02/2022", "minutes_approved", {"title": "Design Advisory Group #4"}),
    (27, "09/08/2023", "minutes_approved", {}),
    (28, "13/09/2023", "minutes_approved", {"minutes_approved_date": "11/10/2023"}),
    (
        29,
        "11/10/2023",
        "minutes_issued",
        {
            "start_time": "10:00",
            "end_time": "13:00",
            "venue": "Virtual – MS Teams",
            "classification": "public",
            "minutes_issue_date": "18/10/2023",
            "next_meeting_date": "08/11/2023",
            "next_meeting_time": "10:00",
        },
    ),
    (30, "08/11/2023", "planned", {"start_time": "10:00"}),
    (31, "13/12/2023", "minutes_approved", {}),
    (32, "10/01/2024", "minutes_approved", {}),
    # Headline reports of DAG033-DAG036 go for approval by correspondence with the June papers.
    (33, "14/02/2024", "minutes_issued", {}),
    (34, "13/03/2024", "minutes_issued", {}),
    (35, "10/04/2024", "minutes_issued", {}),
    (36, "08/05/2024", "minutes_issued", {"next_meeting_date": "12/06/2024"}),
    (37, "12/06/2024", "held", {"held_by_correspondence": True}),
]

# DAG029 attendee table, in the paper's order.
# (category, name, initials, role, on behalf of, part meeting, status)
DAG029_ATTENDANCE = [
    ("chair", "Justin Andrews", "", "Chair", None, False, "present"),
    ("industry", "Carolyn Burns", "CBu", "Small Supplier Representative", None, False, "present"),
    ("industry", "Daniel Arrowsmith", "DA", "National Grid ESO", None, False, "present"),
    ("industry", "David Yeoman", "DY", "DNO Representative", None, False, "present"),
    ("industry", "Morven Hunter", "MHu", "iDNO Representative", "Donna Jamieson", False, "present"),
    ("industry", "Gareth Evans", "GE", "I&C Supplier Representative", None, False, "present"),
    ("industry", "Haz Elmamoun", "HE", "Large Supplier Representative", None, False, "present"),
    ("industry", "Robert Langdon", "RL", "Supplier Agent Representative", None, False, "present"),
    ("industry", "Riccardo Lampini", "RLamp", "Elexon Representative", None, False, "present"),
    ("industry", "Sarah Jones", "SJ", "RECCo Representative", None, False, "present"),
    ("industry", "Seth Chapman", "SC", "Supplier Agent Representative", None, False, "present"),
    (
        "industry",
        "Stuart Scott",
        "SS",
        "DCC Representative (as smart meter central system provider)",
        None,
        True,
        "present",
    ),
    ("industry", "Vladimir Black", "VB", "Medium Supplier Representative", None, False, "present"),
    ("programme", "Andrew Margan", "AM", "Code Lead", None, True, "present"),
    ("programme", "Berlinda Kugara", "BK", "Design Team", None, False, "present"),
    ("programme", "Fraser Mathieson", "FM", "PMO Governance Lead", None, False, "present"),
    ("programme", "Immy Syms", "IS", "PMO Change Lead", None, True, "present"),
    ("programme", "Lee Cox", "LC", "Test Lead", None, True, "present"),
    ("programme", "Matt Hall", "MH", "Design Team", None, True, "present"),
    ("programme", "Paul Pettitt", "PP", "Design Lead", None, False, "present"),
    ("programme", "Sean Cooper", "SC", "Design Team", None, True, "present"),
    ("other", "Andrew Dudkowsky", "AD", "NGESO", None, True, "present"),
    ("other", "Colin Berry", "CBer", "Elexon Helix", None, True, "present"),
    ("other", "Colin Bezant", "CBez", "IPA", None, True, "present"),
    ("other", "Danielle Walton", "DW", "Ofgem", None, False, "present"),
    ("other", "Taylor Thorpe", "TT", "IPA", None, True, "present"),
    # Apologies: no initials in the paper; category from the DAG membership constituency.
    ("industry", "Caroline Farquhar", "", "Consumer Representative", None, False, "apologies"),
]

DAG029_MINUTES_2 = """\
The Headline Report and change marked Minutes of the DAG meeting held 13 September 2023 were \
approved.

DECISION DAG-DEC75: Headline Report and changed marked Minutes of DAG meeting held 13 September \
2023 approved

Action updates and full wording can be found within the meeting papers. A summary of key updates \
is provided below:

DAG28-02: Regarding prospective use by Suppliers of the Programme Change Request (CR) 023 \
(Standardisation of Interfaces within the Smart and Advanced Data Services Roles) solution; the \
Chair advised one Large Supplier has confirmed they will use the solution and others are assessing \
whether they will use it. The Chair also stated that a number of I&C Suppliers will use this \
solution as well. The solution is currently in development with a view to deploying as soon as is \
practicable. The first development group was scheduled for 09 October 2023. Participants are \
encouraged to provide feedback and the Programme will schedule a further development group if \
required. Action closed.

DAG28-03: Regarding prospective use by Suppliers of the CR023 solution; FM advised this had been \
raised at the Fast Track Implementation Group (FTIG). Several Suppliers advised the solution \
requires development before they were able to state whether they would use it. The Programme noted \
the solution development is happening as quickly as is practicable and as such whether Supplier \
will use the solution or not is no longer a factor in the timelines for deployment. Action closed.

DAG28-04: FM advised Design Issue Notifications (DINs) 685 and 686 had been raised for the \
implementation of CR024 (Data Item Names and Descriptions) and CR025 (Data Integration Platform \
(DIP) Interface Name Changes). SJ requested the action remain as ongoing until the CRs are \
implemented. Action changed to ongoing.

DAG28-05: PP advised the action was ongoing and the Programme Design Team are due to discuss with \
the Data Integration Platform (DIP) provider. The Chair queried whether there were any \
dependencies or critical timelines. PP advised development of the CR023 solution is required first \
and that a resolution was required ahead of the commencement of qualification in late 2024. The \
action relates to CR023 in that this seeks change to the DIP to allow Meter Data Retrievers (MDRs) \
to receive messages via the DIP. CBU noted the Qualifications and E2E Sandboxing Working Group \
(QWG) will seek to discuss MDR onboarding, but believed this action was more relevant to the CR023 \
development group. The QWG will discuss how the DIP manager will ensure MDRs seeking to use the \
DIP will be onboarded. The DAG agreed the wording of the action should be amended to replace \
'qualification' with 'onboarding'. RLamp expressed support for the action being picked up as part \
of CR023 development. HE wished to ensure the solution for CR023 is proportionate and not \
overengineered: PP advised that the design team is considering feedback from the first DRG session \
and will plan the agenda for a follow up session based on that. -PP advised implementation would \
be achieved by updates to the Design Artefacts via DIN(s). Action closed and to be picked up as \
part of CR023 solution development.

DAG28-07: Regarding what is meant by major and minor releases in testing; the Programme provided \
an overview of the interaction of design releases and testing, per the meeting slides (see agenda \
item 7). Major and minor releases are defined in the Release Management and Configuration \
Management Approach. A major release is a release of software that contains significant additions \
of functionality. A minor release is a release of software which contains minor additions of \
functionality. Action closed.

DAG28-08: Regarding whether the CR027 (Distribution Use of System (DUoS) E-Billing Data \
Integration Platform (DIP) message for MHHS) solution would be part of Systems Integration Testing \
(SIT); PP advised CR027 had been implemented in design Interim Release (IR) 5, and therefore would \
form part of SIT. Action closed.

DAG28-11: An example compressed ECS payload report (REP002) can be found on SwaggerHub. Action \
closed.

DAG28-15: Discussed under agenda item 11 below. Action closed.
"""

DAG029_MINUTES_4 = """\
The Change Raiser presented CR032 (Change to Interface IF-165 P0210 TUoS Reporting) to the DAG. \
The Change Raiser advised the CR seeks to change the MHHS design to allow NGESO and Elexon to \
utilise an existing Transmission Network Use of System (TNUoS) report (P0210) rather than the \
currently proposed MHHS-IF-165 / ELEX-REP-080. The development and testing of the P0210 would be \
undertaken between NGESO and Elexon, and NGESO are the sole recipient of this file.

The DAG questioned whether the report would be kept within the scope of MHHS SIT testing and \
whether deriving Measurement Class (MC) was in keeping with the aims of MHHS. CBER advised the \
methodology for TNUoS currently relies on the MC value, and this is why a method has been \
developed to derive MC. SJ expressed nervousness that the report is detailed in the MHHS Design \
Artefacts but is not included in SIT. Additionally, this prompted a question over whether there \
are other documented requirements not considered to be in scope of SIT.

The DAG requested clarity is added to the CR on what changes to MHHS Design Artefacts may be \
required and whether the report would be removed from the Elexon Central Systems (ECS) reporting \
catalogue, or whether the P0210 would be known as REP-080 within the catalogue. The Change Raiser \
agreed to make amendments to the CR.

ACTION DAG29-01: NGESO to amend Programme Change Request 032 (Change to Interface IF-165 P0210 \
TUoS Reporting) and resubmit to the Programme for issuance to Impact Assessment

The Chair invited any objections to CR032 being issued to Impact Assessment (IA), subject to the \
amendments requested, to which none were received. The Chair agreed CR032 should be issued for IA.

DECISION DAG-DEC76: The SRO agreed CR032 (Change to Interface IF-165 P0210 TUoS Reporting) should \
be issued to Impact Assessment, subject to amendments to be undertaken by the Change Raiser

Next steps: Subject to receipt of the amended CR, the Programme will issue the change for a ten \
working day IA. The CR will return to the November DAG for a decision on approval.
"""

DAG029_MINUTES_5 = """\
The Programme provided an implementation plan for CR027 (The SRO approved minor updates to the \
Interface Code of Connections (CoCo) following review by the Security Design Working Group SDWG. \
The updated CoCo will be published to the MHHS website and Programme Collaboration Base and notice \
issued in the Programme newsletter, The Clock. The Chair invited any objections to publishing the \
updated version of the CoCo, to which none were raised.

DECISION DAG-DEC77: The SRO approved updates to the Interface Code of Connections for publication \
as v1.1
"""

DAG029_MINUTES_6 = """\
The DAG discussed the ongoing need to determine whether UTC or local clock time will be used for \
Change of Supplier (CoS) Reads and Service Appointments. The Programme provided recommendations \
agreed via the Design Resolution Group (DRG) but highlighted the somewhat limited representation \
provided by participants at this group.

The DAG noted the levels of representation at the DRG, and considered potential consumer impacts \
around CoS Reads. There was recognition that the current design lacks clarity on CoS reads and \
Service Appointment. As such, the DAG resolved to issue a Programme Participant Information \
Request (PPIR) to consult on the available options and to gather information to support a decision \
by the DAG (**ACTION DAG29-02**).

ACTION DAG29-02: Programme to issue Programme Participant Information Request on UTC vs Clock Time \
for Change of Supplier Reads and Service Appointment, and return to November DAG with \
recommendation for decision

The DAG also requested the matter is highlighted to the Fast Track Implementation Group (FTIG) in \
case there are impacts on SIT Functional testing.

ACTION DAG29-03: Programme to raise UTC vs Clock Time with the Fast Track Implementation Group

Next steps: The Programme will assess the responses to the PPIR and provide a recommendation to \
the November DAG.
"""

DAG029_MINUTES_7 = """\
AM provided an update on the development of the Tranche 2 Transition Design Artefacts (Settlement \
Timetable Transition) via the Migration and Transition Design Subgroup (MTDSG). AM advised the \
solution is now stable and requested the associated artefacts are issued for consultation. The \
Chair invited any objections to the artefacts being issued for consultation, to which none were \
received. The Char agreed the artefacts should be issued to consultation.

DECISION DAG-DEC78: The SRO agreed the Tranche 2 Transition Design (Settlement Timetable \
Transition) artefacts should be issued for consultation

Next steps: The artefacts will be issued for a ten working day consultation, with responses due 25 \
October 2023. A decision on approval will then be requested at the November DAG meeting.
"""

DAG029_MINUTES_8 = """\
LC, the Programme Test Lead, provided an overview of how design releases will be managed during \
testing, as per the meeting slides. There will be options for major, minor, ad-hoc, or emergency \
releases during testing which can be aligned to design IRs and will help to ensure there is a \
degree of nimbleness during testing to enable changes to be managed whilst testing activities are \
in flight. An overview of environments and how changes will be deployed into the DIP simulator was \
provided.

LC confirmed any design change would need to progress through the established Programme controls \
(i.e. IR or CR), before release into testing. The Programme highlighted that whilst parties will \
be required to build and test against IR5, there will likely be requirements for urgent design \
change or 'hot fixes' as testing progresses and defects/issues unearthed.

CBu asked whether participants would be allowed to exit a given SIT phase if low priority defects \
are outstanding. LC advised a defect threshold will be established upon which stage exit will be \
based. The Testing Approach and Plan will define this. No severity one or two defects will be \
allowed, and the Programme will assess participants on a case-by-case basis. Thresholds will \
depend on factors such as the number of tests provisions in SIT, the number and severity of \
defects, and any plans documented and agreed on defect resolution. As such, it is possible \
participants could conclude SIT stages with some open defects, but this will be managed closely by \
the Programme and dialogue will be required.

The DAG requested a regular view is provided on the interaction of design and testing release. The \
DAG also requested the Programme review the Programme CR template and ensure a view is provided \
alongside new CRs on the implementation/release outlook.

ACTION DAG29-04: Programme to consider the provision of regular updates to DAG on the interaction \
of design/testing releases

ACTION DAG29-05: Programme to review the Programme Change Request template and ensure a view is \
provided alongside new CRs on the implementation/release outlook
"""

DAG029_MINUTES_9 = """\
PP noted the recent IR5 design release, which provided a significant uplift in the clarity of \
aspects of the MHHS design and supports testing requirements. The implementation of IR5 means the \
number of open DINs has reduced significantly. The Programme are continuing to assess DINs in \
terms of whether they are critical for SIT to support the stability of the design during testing.

HE believed the Fast Track Design Change Process (the 'DIN process') was working well and had \
enabled a large volume of minor change to be agreed and implemented efficiently, but suggested \
areas for improvement around better signposting of documentation when communicating interim \
releases and ensuring internal alignment within the Programme so that DINs are not closed where \
there is active DRG discussion. PP advised HE that "aged" DINs, especially those from early in the \
year, will get the necessary focus now that IR5 has been implemented. CBU agreed it was impressive \
the number of DINs resolved via the process and praised the efforts of the Programme on this. CBU \
noted IR5 was a large release and this had implications for participants in reviewing and \
incorporating the changes into their design and build activities, but it was recognised the \
changes were important to support SIT. CBU requested the Programme are cognisant of future changes \
and DINs required to ensure activities can be incorporated into SIT which would support \
Qualification testing (QT) and Placing Reliance (PR).
"""

DAG029_MINUTES_10 = """\
JA provided an update on the change marked draft of the DAG Terms of Reference (ToR) and invited \
comments. Several DAG members expressed unease over the way the draft ToR frames the powers of the \
DAG Chair and DAG members and considered this may represent a dilution of the powers of DAG \
members. The members believed this could impact the ways in which DAG member's views are taken \
into account and may affect engagement with the DAG. The Chair stated the changes were for \
clarification only and in accordance with MHHS Programme Governance Framework and the \
decision-making power of the SRO (as delegated to the DAG Chair).

A suggestion was made that the DAG ToR be clearer on the roles and responsibilities of DAG members \
versus the DAG Chair. The DAG also sought clarity on how appeals/escalations to the Programme \
Steering Group (PSG) operate and requested this is included in the ToR.

The Chair and PMO agreed to consider the comments raised and the wider MHHS governance structure.

ACTION DAG29-06: Programme to review additional comments on DAG Terms of Reference updates and \
wider governance structure
"""

DAG029_MINUTES_11 = """\
With regard to ACTION DAG28-15, FM advised the Programme will seek to link individual risks to \
Programme milestones where possible, however not all risks directly map to a related milestone.

SC advised of a new potential risk and FM requested this is raised through the established \
Programme channels.

ACTION DAG29-07: Programme to provide link to RAID form to DAG members
"""

DAG029_MINUTES_13 = """\
The Chair invited any other business, to which one item was raised.

AOB1

RLamp raised a concern regarding CR029 (Data Integration Platform (DIP) Licensed Distribution \
System Operator (LDSO) Interface Processing), advising the implementation of the change in the \
DES138 Interface Catalogue appeared to have expanded the optionality of certain flows to roles \
beyond Licences Distribution Service Operators (LDSOs). The Programme agreed to review this.

ACTION DAG29-08: Programme to review CR029 implementation and confirm it has not expanded the \
scope of the solution and whether any change or explanation is required

The Chair thanked the members for their input and closed the meeting.
"""

# Agenda items: meeting number -> [(number, title, lead, type, duration minutes, objective,
# minutes)]. DAG029's leads are those the minutes name as presenting (the NGESO change
# raiser for item 4); item types as the lead chose: Decision where a decision was sought.
AGENDA = {
    4: [
        ("1", "Welcome", "Justin Andrews", "information", 5, "", ""),
        ("2", "Minutes and Actions Review", "Justin Andrews", "decision", 5, "", ""),
        ("3", "PSG Update", "Lewis Hall", "information", 5, "", ""),
        (
            "4",
            "Review Terms of Reference",
            "Justin Andrews",
            "discussion",
            10,
            "Following three months of Design, we believe no change is required to the ToR. "
            "Are there any areas DAG members believe need changing?",
            "",
        ),
        ("5", "Design Principles for review", "Ian Smith", "decision", 40, "", ""),
        ("6", "Design Issues", "Ian Smith", "discussion", 15, "", ""),
        ("6A", "Technical Assumptions", "Ian Smith", "decision", 10, "", ""),
        ("7", "Report from L4 Working Groups", "Claire Silk", "information", 30, "", ""),
        ("8", "Summary & Actions", "Justin Andrews", "information", 5, "", ""),
    ],
    29: [
        (
            "1",
            "Welcome and Introductions",
            "Justin Andrews",
            "information",
            None,
            "",
            "The Chair welcomed attendees to the meeting and provided an overview of the meeting "
            "agenda.\n",
        ),
        ("2", "Minutes and Actions", None, "decision", None, "", DAG029_MINUTES_2),
        (
            "3",
            "Upcoming Programme Milestones related to DAG",
            "Fraser Mathieson",
            "information",
            None,
            "",
            "FM advised the majority of upcoming Programme milestones related to testing. The "
            "next key milestone for DAG is the approval of the Tranche 2 Transition Design (see "
            "agenda item 7 below).\n",
        ),
        (
            "4",
            "CR032 Impact Assessment",
            "Daniel Arrowsmith",
            "decision",
            None,
            "",
            DAG029_MINUTES_4,
        ),
        (
            "5",
            "Updates to the Interface Code of Connections",
            None,
            "decision",
            None,
            "",
            DAG029_MINUTES_5,
        ),
        ("6", "UTC vs Clock Times", None, "information", None, "", DAG029_MINUTES_6),
        ("7", "Transition Design Updates", "Andrew Margan", "decision", None, "", DAG029_MINUTES_7),
        ("8", "Testing Release Strategy", "Lee Cox", "information", None, "", DAG029_MINUTES_8),
        ("9", "Design (DIN)", "Paul Pettitt", "information", None, "", DAG029_MINUTES_9),
        (
            "10",
            "DAG Terms of Reference",
            "Justin Andrews",
            "information",
            None,
            "",
            DAG029_MINUTES_10,
        ),
        (
            "11",
            "Top Programme Risks related to DAG",
            "Fraser Mathieson",
            "information",
            None,
            "",
            DAG029_MINUTES_11,
        ),
        (
            "12",
            "Programme Updates",
            None,
            "information",
            None,
            "",
            "This item was taken as read.\n",
        ),
        (
            "13",
            "Summary and Next Steps",
            "Justin Andrews",
            "information",
            None,
            "",
            DAG029_MINUTES_13,
        ),
    ],
    # JUNE24 papers: section slides in order (ASSUMPTION: numbered 1-6 in that order).
    37: [
        (
            "1",
            "Headline Report and Actions",
            None,
            "decision",
            None,
            "Approval by correspondence of Headline Reports and update on actions",
            "",
        ),
        (
            "2",
            "Change Request Updates",
            None,
            "information",
            None,
            "Updates on Programme Change Requests",
            "",
        ),
        (
            "3",
            "Design Updates",
            None,
            "information",
            None,
            "Updates on Design Issue Notifications (DINs) and other design related matters",
            "",
        ),
        (
            "4",
            "Top Programme Risks related to DAG",
            None,
            "information",
            None,
            "Overview of Programme Risks related to DAG",
            "",
        ),
        (
            "5",
            "Programme Updates",
            None,
            "information",
            None,
            "Updates from other MHHS governance groups and wider Programme updates",
            "",
        ),
        (
            "6",
            "Future DAG meetings",
            None,
            "information",
            None,
            "Information on future DAG meeting dates and approach",
            "",
        ),
    ],
}

# Change requests: reference -> fields. CR043-CR050 are the JUNE24 "Change Request Status"
# table (updated to 04/06/2024), column for column; "Key Detail" is the title. CR023-CR032
# are those DAG029 names, with titles from its minutes and stage/status as of DAG029
# (ASSUMPTION: approved and in implementation or complete as the minutes describe).
CHANGE_REQUESTS = [
    {
        "reference": "CR023",
        "title": "Standardisation of Interfaces within the Smart and Advanced Data Services Roles",
        "approval_status": "approved",
        "stage": "implementation",
        "latest_action": "Solution in development; first development group held 09 October 2023",
    },
    {
        "reference": "CR024",
        "title": "Data Item Names and Descriptions",
        "approval_status": "approved",
        "stage": "implementation",
        "latest_action": "DIN 685 raised for implementation",
    },
    {
        "reference": "CR025",
        "title": "Data Integration Platform (DIP) Interface Name Changes",
        "approval_status": "approved",
        "stage": "implementation",
        "latest_action": "DIN 686 raised for implementation",
    },
    {
        "reference": "CR027",
        "title": "Distribution Use of System (DUoS) E-Billing Data Integration Platform (DIP) "
        "message for MHHS",
        "approval_status": "approved",
        "stage": "complete",
        "latest_action": "Implemented in design Interim Release (IR) 5",
        "implementation_milestone": "IR5",
    },
    {
        "reference": "CR029",
        "title": "Data Integration Platform (DIP) Licensed Distribution System Operator (LDSO) "
        "Interface Processing",
        "approval_status": "approved",
        "stage": "complete",
        "latest_action": "Implemented in the DES138 Interface Catalogue; implementation under "
        "review (DAG29-08)",
    },
    {
        "reference": "CR032",
        "title": "Change to Interface IF-165 P0210 TUoS Reporting",
        "raiser": "Daniel Arrowsmith",
        "raiser_organisation": "National Grid ESO",
        "approval_status": "open",
        "stage": "impact_assessment",
        "decision_body": "DAG",
        "latest_action": "Agreed by DAG (11-Oct-23) to be issued to Impact Assessment, subject to "
        "amendments by the Change Raiser",
        "next_action": "Ten working day Impact Assessment; return to November DAG for an "
        "approval decision",
        "date_raised": "11/10/2023",
    },
    {
        "reference": "CR043",
        "title": "Supplier Registration of ABMU and MPAN Mapping",
        "raiser": "Mike Ceney",
        "raiser_organisation": "Elexon",
        "latest_action": "Approved by DAG (13-Mar-24)",
        "approval_status": "approved",
        "stage": "complete",
        "change_owner": "Paul Pettitt",
        "decision_body": "DAG",
    },
    {
        "reference": "CR044",
        "title": "Implementation of 'Data Refresh' Message IF-051",
        "raiser": "Sean Cooper",
        "raiser_organisation": "MHHS Programme",
        "latest_action": "Awaiting PSG decision on implementation",
        "approval_status": "rejected",
        "stage": "closed",
        "next_action": "Programme to hand over solution design to Code Bodies",
        "decision_body": "PSG",
        # JUNE24 "Change Requests Updates" slide.
        "key_detail": "Following an action taken at May PSG to understand Programme "
        "Participants' ability to implement CR044 before M10, the Programme issued a PPIR to all "
        "Participants, requesting that they confirm whether they are able to do so. Despite all "
        "respondents supporting the principles of the change, 13 of the 19 responding "
        "Participants (including all DNOs) stated that they would not be able to implement the "
        "required changes before M10. The SRO, as recommended by the Programme, rejected CR044 "
        "under the pre-M10 Change Control process. CR044 and its solution design will be handed "
        "over to the Code Bodies for a post-M10 implementation.",
    },
    {
        "reference": "CR045",
        "title": "Supply Start Date (SSD) Correction Tool",
        "raiser": "Sean Cooper",
        "raiser_organisation": "MHHS Programme",
        "raiser_note": "on behalf of SCS",
        "latest_action": "Awaiting PSG decision on implementation",
        "approval_status": "open",
        "stage": "approval_decision",
        "next_action": "Programme Participant Information Request (PPIR) to be issued to elicit "
        "participant views on feasibility of implementation pre-M10.",
        "decision_body": "PSG",
        "key_detail": "The Programme has reached a finalised solution design development via the "
        "Design Resolution Group (DRG). The Programme will now issue a PPIR to understand "
        "Programme Participants' ability to implement CR045 before M10, according to the "
        "finalised solution. Should pre-M10 implementation not be feasible, the change will be "
        "handed over to Code Bodies for implementation under code governance processes, with a "
        "recommendation it be implemented as soon after M10 as possible (and noting CR045 is "
        "considered a higher priority than CR044). An approval decision will be made at July PSG.",
    },
    {
        "reference": "CR046",
        "title": "Enabling Metering Point Energy Flow to be changed more than once",
        "raiser": "Harriet Truss",
        "raiser_organisation": "RECCo",
        "latest_action": "Approved by DAG (10-Apr-24)",
        "approval_status": "approved",
        "stage": "implementation",
        # The cell reads "Implement in IR8.1 June-24": the action, then the milestone.
        "next_action": "Implement",
        "implementation_milestone": "IR8.1 June-24",
        "change_owner": "Paul Pettitt",
        "decision_body": "DAG",
    },
    {
        "reference": "CR047",
        "title": "Amending Qualification Milestones for non-SIT LDSO QT",
        "raiser": "Ben Wickins",
        "raiser_organisation": "MHHS Programme",
        "latest_action": "Approved by Change Board (12-Apr-24), subject to ratification by PSG",
        "approval_status": "approved",
        "stage": "complete",
        "change_owner": "Ben Wickins",
        "decision_body": "change_board",
    },
    {
        "reference": "CR048",
        "title": "Amending Qualification Milestones for Non-SIT Supplier and Agent QT",
        "raiser": "Laura Kennedy",
        "raiser_organisation": "Credera",
        "latest_action": "Approved by Change Board (12-Apr-24), subject to ratification by PSG",
        "approval_status": "approved",
        "stage": "complete",
        "change_owner": "Nicola Farley",
        "decision_body": "change_board",
    },
    {
        "reference": "CR049",
        "title": "Swagger Open API 3.0 to 3.1 Upgrade",
        "raiser": "Rob Golding",
        "raiser_organisation": "MHHS Programme",
        "latest_action": "Withdrawn by Change Raiser",
        "approval_status": "withdrawn",
        "stage": "withdrawn",
    },
    {
        "reference": "CR050",
        "title": "Amendments to the MHHS Change Control Approach and Form",
        "raiser": "Immy Syms",
        "raiser_organisation": "MHHS Programme",
        "latest_action": "Awaiting Ofgem approval decision",
        "approval_status": "open",
        "stage": "approval_decision",
        "decision_body": "ofgem",
        "ia_deadline": "29/05/2024",
        "key_detail": "CR050: Amendments to the MHHS Change Control Approach and Form was issued "
        "out to Impact Assessment. The IA response deadline closed on 29 May 2024. The report "
        "will be presented to Ofgem for an approval decision.",
    },
]
CR_TABLE_UPDATED = "04/06/2024"  # "Updated to 04/06/2024" on the JUNE24 CR status slide
CR_TABLE_REFERENCES = ("CR043", "CR044", "CR045", "CR046", "CR047", "CR048", "CR049", "CR050")

# Actions: (reference, meeting number, agenda item number, area, text, owner as written,
# due as written, date raised, CRs). Meeting 29's are DAG029's "New / Outstanding Actions"
# table row for row, including its "Previous Meeting(s)" rows.
ACTIONS = [
    (
        "DAG29-01",
        29,
        "4",
        "CR032 Impact Assessment",
        "NGESO to amend Programme Change Request 032 (Change to Interface IF-165 P0210 TUoS "
        "Reporting) and resubmit to the Programme for issuance to Impact Assessment",
        "NGESO Representative (Daniel Arrowsmith)",
        "13/10/2023",
        "11/10/2023",
        ["CR032"],
    ),
    (
        "DAG29-02",
        29,
        "6",
        "UTC vs Clock Times",
        "Programme to issue Programme Participant Information Request on UTC vs Clock Time for "
        "Change of Supplier Reads and Service Appointment, and return to November DAG with "
        "recommendation for decision",
        "Programme (Matt Hall)",
        "08/11/2023",
        "11/10/2023",
        [],
    ),
    (
        "DAG29-03",
        29,
        "6",
        "UTC vs Clock Times",
        "Programme to raise UTC vs Clock Time with the Fast Track Implementation Group",
        "Programme (Paul Pettitt)",
        "13/10/2023",
        "11/10/2023",
        [],
    ),
    (
        "DAG29-04",
        29,
        "8",
        "Testing Release Strategy",
        "Programme to consider the provision of regular updates to DAG on the interaction of "
        "design/testing releases",
        "Programme (Paul Pettitt & Lee Cox)",
        "08/11/2023",
        "11/10/2023",
        [],
    ),
    (
        "DAG29-05",
        29,
        "8",
        "Testing Release Strategy",
        "Programme to review the Programme Change Request template and ensure a view is provided "
        "alongside new CRs on the implementation/release outlook",
        "Programme (PMO)",
        "08/11/2023",
        "11/10/2023",
        [],
    ),
    (
        "DAG29-06",
        29,
        "10",
        "DAG Terms of Reference",
        "Programme to review additional comments on DAG Terms of Reference updates and wider "
        "governance structure",
        "Programme (Justin Andrews)",
        "08/11/2023",
        "11/10/2023",
        [],
    ),
    (
        "DAG29-07",
        29,
        "11",
        "Top Programme Risks related to DAG",
        "Programme to provide link to RAID form to DAG members",
        "Programme (PMO)",
        "ASAP",
        "11/10/2023",
        [],
    ),
    (
        "DAG29-08",
        29,
        "13",
        "AOB (CR029)",
        "Programme to review CR029 implementation and confirm it has not expanded the scope of "
        "the solution and whether any change or explanation is required",
        "Programme (Paul Pettitt)",
        "08/11/2023",
        "11/10/2023",
        ["CR029"],
    ),
    # DAG028's actions. Areas are DAG028 agenda items, not in the seeds: left blank.
    (
        "DAG28-04",
        28,
        None,
        "",
        "Programme to raise Design Issue Notifications (DINs) for the implementation of CR024 "
        "and CR025",
        "Programme (Berlinda Kugara)",
        "08/11/2023",
        "13/09/2023",
        ["CR024", "CR025"],
    ),
    (
        "DAG28-05",
        28,
        None,
        "",
        "Programme to consider the potential implications for MDR onboarding as part of the "
        "detailed design activities (including the approach to DIP onboarding and ISD Management "
        "for MDRs using this optional solution) and engage with code bodies as required",
        "Programme (Design Team)",
        "08/11/2023",
        "13/09/2023",
        [],
    ),
    (
        "DAG28-12",
        28,
        None,
        "",
        "Programme to provide update on the retrospective amendments process issue and raise for "
        "discussion at the DRG meeting",
        "Programme (Paul Pettitt)",
        "08/11/2023",
        "13/09/2023",
        [],
    ),
    (
        "DAG27-08",
        27,
        None,
        "",
        "Programme to confirm version incrementing arrangements for data flows and scenario "
        "variants changing as a result of MHHS",
        "Programme (Matt McKeon)",
        "08/11/2023",
        "09/08/2023",
        [],
    ),
    # DAG028 actions reviewed in DAG029's minutes but not in its table (closed there). Their
    # wording is in DAG028's papers, not in the seeds. ASSUMPTION: text summarised from the
    # DAG029 minutes, owner from who answered, due at DAG029.
    (
        "DAG28-02",
        28,
        None,
        "",
        "Programme to confirm prospective use by Suppliers of the CR023 (Standardisation of "
        "Interfaces within the Smart and Advanced Data Services Roles) solution",
        "Programme (Justin Andrews)",
        "11/10/2023",
        "13/09/2023",
        ["CR023"],
    ),
    (
        "DAG28-03",
        28,
        None,
        "",
        "Programme to raise prospective use by Suppliers of the CR023 solution at the Fast Track "
        "Implementation Group (FTIG)",
        "Programme (Fraser Mathieson)",
        "11/10/2023",
        "13/09/2023",
        ["CR023"],
    ),
    (
        "DAG28-07",
        28,
        None,
        "",
        "Programme to clarify what is meant by major and minor releases in testing",
        "Programme (Lee Cox)",
        "11/10/2023",
        "13/09/2023",
        [],
    ),
    (
        "DAG28-08",
        28,
        None,
        "",
        "Programme to confirm whether the CR027 solution will be part of Systems Integration "
        "Testing (SIT)",
        "Programme (Paul Pettitt)",
        "11/10/2023",
        "13/09/2023",
        ["CR027"],
    ),
    (
        "DAG28-11",
        28,
        None,
        "",
        "Programme to provide an example compressed ECS payload report (REP002)",
        "Programme (Design Team)",
        "11/10/2023",
        "13/09/2023",
        [],
    ),
    (
        "DAG28-15",
        28,
        None,
        "",
        "Programme to consider linking the Top Programme Risks related to DAG to Programme "
        "milestones",
        "Programme (PMO)",
        "11/10/2023",
        "13/09/2023",
        [],
    ),
    # JUNE24 "Minutes and Actions Review" table. Areas are not given there.
    (
        "DAG32-06",
        32,
        None,
        "",
        "Programme to provide further detail on the change freeze criteria and how change "
        "requests are progressed into normal BSC/REC/SEC BAU",
        "Programme (PMO)",
        "08/05/2024",
        "10/01/2024",
        [],
    ),
    (
        "DAG34-08",
        34,
        None,
        "",
        "Programme to advise whether changes to the DAG Terms of Reference are required in "
        "response to the changes agreed by the Programme Steering Group to the MHHS Change "
        "Control Process",
        "Programme (PMO)",
        "08/05/2024",
        "13/03/2024",
        ["CR050"],
    ),
    (
        "DAG35-01",
        35,
        None,
        "",
        "Programme to provide visibility of the outputs of the lessons learned information "
        "provided by participants in relation to the Interface Code of Connections and DIP "
        "onboarding processes, as well as information on onboarding requirements for future "
        "testing stages",
        "Programme (Smitha Pichrikat)",
        "08/05/2024",
        "10/04/2024",
        [],
    ),
    (
        "DAG35-03",
        35,
        None,
        "",
        "Programme schedule Design Resolution Group (DRG) to develop detailed solution for CR045",
        "Programme (Paul Pettitt)",
        "08/05/2024",
        "10/04/2024",
        ["CR045"],
    ),
    (
        "DAG36-01",
        36,
        None,
        "",
        "Change marked headline reports of DAG meetings held 14 February 2024 and 13 March 2024 "
        "to be issued for review/approval",
        "Programme (PMO)",
        "10/05/2024",
        "08/05/2024",
        [],
    ),
    (
        "DAG36-02",
        36,
        None,
        "",
        "Programme to invite Elexon to provide an update to DAG on the progress of arrangements "
        "for the transition of design change to BAU code governance arrangement post-M10",
        "Programme (Paul Pettitt)",
        "12/06/2024",
        "08/05/2024",
        [],
    ),
    # DAG004 "Open Actions and Actions from DAG 12/01" table: the older DES-nn-nn series.
    (
        "DES-01-04",
        1,
        None,
        "",
        "IS to ensure DAG members are able to easily review Level 4 working groups and sub group "
        "output",
        "Ian Smith",
        "09/02/2022",
        "17/11/2021",
        [],
    ),
    (
        "DES-01-05",
        1,
        None,
        "",
        "SC to ensure DAG TOR are reviewed in February 2022",
        "Simon Chidwick",
        "09/02/2022",
        "17/11/2021",
        [],
    ),
    (
        "DES-02-02",
        2,
        None,
        "",
        "'Draft Design Principles' – Ensure that: a) They are presented at a higher level in "
        "themes and categorised; b) A status for each principle is adopted, so it is clear "
        "whether the principle is a draft one or has been formally adopted and agreed; c) "
        "separate out assumptions or requirements and d) draft a governance approach for DAG "
        "approval and where they may be published.",
        "Ian Smith",
        "02/02/2022",
        "08/12/2021",
        [],
    ),
    (
        "DES-03-01",
        3,
        None,
        "",
        "SC to circulate updated minutes from December's DAG.",
        "Simon Chidwick",
        "19/01/2022",
        "12/01/2022",
        [],
    ),
    (
        "DES-03-02",
        3,
        None,
        "",
        "IS to attend Supplier Agent constituents' 'drop-in' session. LH to engage the Lead "
        "Delivery Partner Programme Party Co-Ordinator to potentially attend a future session.",
        "Ian Smith/Lewis Hall",
        "09/02/2022",
        "12/01/2022",
        [],
    ),
    (
        "DES-03-03",
        3,
        None,
        "",
        "Draft Design Principle' – PRI-15 – 'Future Proofing' - IS to ensure the 'Principle "
        "Title' is updated so as not to be specific to '15 minutes'.",
        "Ian Smith",
        "09/02/2022",
        "12/01/2022",
        [],
    ),
    (
        "DES-03-04",
        3,
        None,
        "",
        "SCha and CH to provide their design principle feedback.",
        "Seth Chapman/ Craig Handford",
        "21/01/2022",
        "12/01/2022",
        [],
    ),
    (
        "DES-03-05",
        3,
        None,
        "",
        "'Draft Design Principle' – PRI-20 – 'Retrospective Appointments' - IS, CH and SCha to "
        "discuss further for understanding and clarification of this principle.",
        "Ian Smith",
        "09/02/2022",
        "12/01/2022",
        [],
    ),
    (
        "DES-03-06",
        3,
        None,
        "",
        "IS to ensure accuracy of the Design Status Report as currently it shows June DAG "
        "activity.",
        "Ian Smith",
        "09/02/2022",
        "12/01/2022",
        [],
    ),
    (
        "DES-03-07",
        3,
        None,
        "",
        "JA to ensure placeholders are sent out for extra DAG meetings.",
        "Justin Andrews",
        "09/02/2022",
        "12/01/2022",
        [],
    ),
    (
        "DES-03-08",
        3,
        None,
        "",
        "JA to ensure session is held to discuss SEC-Mod-MP162 and RL's design principle and "
        "circulate the principle wording, the modification context and considerations/proposal "
        "on any further MHHS design requirements.",
        "Justin Andrews",
        "09/02/2022",
        "12/01/2022",
        [],
    ),
]

# Action updates: (reference, date, meeting number or None, status, text, source). The status
# word the papers put before the text is the status; the text is what follows it.
ACTION_UPDATES = [
    # DAG029 minutes, item 2 ("Action updates").
    (
        "DAG28-02",
        "11/10/2023",
        29,
        "closed",
        "The Chair advised one Large Supplier has confirmed they will use the solution and others "
        "are assessing whether they will use it. The Chair also stated that a number of I&C "
        "Suppliers will use this solution as well. The solution is currently in development with a "
        "view to deploying as soon as is practicable. Action closed.",
        "meeting",
    ),
    (
        "DAG28-03",
        "11/10/2023",
        29,
        "closed",
        "FM advised this had been raised at the Fast Track Implementation Group (FTIG). The "
        "Programme noted whether Supplier will use the solution or not is no longer a factor in "
        "the timelines for deployment. Action closed.",
        "meeting",
    ),
    (
        "DAG28-04",
        "11/10/2023",
        29,
        "ongoing",
        "FM advised Design Issue Notifications (DINs) 685 and 686 had been raised for the "
        "implementation of CR024 (Data Item Names and Descriptions) and CR025 (Data Integration "
        "Platform (DIP) Interface Name Changes). SJ requested the action remain as ongoing until "
        "the CRs are implemented. Action changed to ongoing.",
        "meeting",
    ),
    # Listed in the DAG029 table as outstanding, but its minutes close it: the minutes win.
    (
        "DAG28-05",
        "11/10/2023",
        29,
        "closed",
        "The DAG agreed the wording of the action should be amended to replace 'qualification' "
        "with 'onboarding'. PP advised implementation would be achieved by updates to the Design "
        "Artefacts via DIN(s). Action closed and to be picked up as part of CR023 solution "
        "development.",
        "meeting",
    ),
    (
        "DAG28-07",
        "11/10/2023",
        29,
        "closed",
        "The Programme provided an overview of the interaction of design releases and testing, per "
        "the meeting slides. Major and minor releases are defined in the Release Management and "
        "Configuration Management Approach. Action closed.",
        "meeting",
    ),
    (
        "DAG28-08",
        "11/10/2023",
        29,
        "closed",
        "PP advised CR027 had been implemented in design Interim Release (IR) 5, and therefore "
        "would form part of SIT. Action closed.",
        "meeting",
    ),
    (
        "DAG28-11",
        "11/10/2023",
        29,
        "closed",
        "An example compressed ECS payload report (REP002) can be found on SwaggerHub. Action "
        "closed.",
        "meeting",
    ),
    (
        "DAG28-15",
        "11/10/2023",
        29,
        "closed",
        "Discussed under agenda item 11. FM advised the Programme will seek to link individual "
        "risks to Programme milestones where possible, however not all risks directly map to a "
        "related milestone. Action closed.",
        "meeting",
    ),
    # JUNE24 "Latest update" column (papers for DAG037, updated to 04/06/2024).
    (
        "DAG32-06",
        "04/06/2024",
        37,
        "ongoing",
        "Work to develop arrangements for transition to BAU governance arrangements currently "
        "ongoing by Elexon. Elexon to engage RECCo (and any other Code Bodies s required). "
        "Programme supporting. Further updates to be provided to DAG as development by "
        "Elexon/Code Bodies progresses.",
        "import",
    ),
    (
        "DAG34-08",
        "04/06/2024",
        37,
        "ongoing",
        "ToR under review pending outcome of CR050 (Amendments to the MHHS Change Control "
        "Approach and Form).",
        "import",
    ),
    (
        "DAG35-01",
        "04/06/2024",
        37,
        "recommend_closed",
        "Programme have updated the onboarding process where relevant. Areas have been identified "
        "where the CoCo needs to be updated to reflect minor feedback, and this is due in July "
        "2024. Onboarding process for LDSO QT and Supplier and Agent Qualification will be "
        "published closer to the time.",
        "import",
    ),
    (
        "DAG35-03",
        "04/06/2024",
        37,
        "recommend_closed",
        "DRG to be took place 16-May-24, a further session took place on 31-May, A PPIR will be "
        "issued by the PMO requesting feedback on implementation prior to M10.",
        "import",
    ),
    (
        "DAG36-01",
        "04/06/2024",
        37,
        "recommend_closed",
        "Change marked headline reports issued with 12 June 2024 DAG papers for review/approval "
        "by correspondence.",
        "import",
    ),
    ("DAG36-02", "04/06/2024", 37, "ongoing", "See DAG32-06.", "import"),
    # DAG004 "Status" column, as reported in the DAG004 pack (dated the meeting).
    (
        "DES-01-04",
        "09/02/2022",
        4,
        "closed",
        "the MHHS Portal is now live and contains relevant documents. Register for Portal access "
        "via the PMO",
        "import",
    ),
    ("DES-01-05", "09/02/2022", 4, "open", "for discussion today - Agenda item 4", "import"),
    (
        "DES-02-02",
        "09/02/2022",
        4,
        "open",
        "action complete and for discussion today - agenda item 5",
        "import",
    ),
    ("DES-03-01", "09/02/2022", 4, "closed", "accessed via MHHS website", "import"),
    (
        "DES-03-02",
        "09/02/2022",
        4,
        "open",
        "Ian Smith to contact Seth Chapman for follow up",
        "import",
    ),
    ("DES-03-03", "09/02/2022", 4, "closed", "design principle updated as per action", "import"),
    # "CLOSED 18/01/22": closed between meetings, so no meeting.
    (
        "DES-03-04",
        "18/01/2022",
        None,
        "closed",
        "Seth Chapman and Craig Handford have provided their feedback",
        "import",
    ),
    (
        "DES-03-05",
        "09/02/2022",
        4,
        "open",
        "internal session held, follow up in progress",
        "import",
    ),
    ("DES-03-06", "09/02/2022", 4, "closed", "Status Report has been corrected", "import"),
    ("DES-03-07", "09/02/2022", 4, "closed", "invites shared from PMO mailbox", "import"),
    (
        "DES-03-08",
        "09/02/2022",
        4,
        "closed",
        "session held 01/02, update to be provided at meeting",
        "import",
    ),
]

# DAG029 "Decisions" table: (reference, agenda item, area, wording, CRs). All taken by the
# chair as SRO at the meeting (10:00, its start: the minutes give no time per decision).
DAG029_DECISIONS = [
    (
        "DAG-DEC75",
        "2",
        "Minutes and Actions",
        "Headline Report and changed marked Minutes of DAG meeting held 13 September 2023 approved",
        [],
    ),
    (
        "DAG-DEC76",
        "4",
        "CR032 Impact Assessment",
        "The SRO agreed CR032 (Change to Interface IF-165 P0210 TUoS Reporting) should be issued "
        "to Impact Assessment, subject to amendments to be undertaken by the Change Raiser",
        ["CR032"],
    ),
    (
        "DAG-DEC77",
        "5",
        "Updates to the Interface Code of Connections",
        "The SRO approved updates to the Interface Code of Connections for publication as v1.1",
        [],
    ),
    (
        "DAG-DEC78",
        "7",
        "Transition Design Updates",
        "The SRO agreed the Tranche 2 Transition Design (Settlement Timetable Transition) "
        "artefacts should be issued for consultation",
        [],
    ),
]
DAG029_DECIDED_BY = "Justin Andrews"
DAG029_DECIDED_AT = "11/10/2023 10:00"

# RAID. R432 is from the JUNE24 papers ("Single Programme Risk relating to DAG"); its scores,
# owner, mitigation and date are ILLUSTRATIVE. Every other item is ILLUSTRATIVE, written
# for the demo from themes in the papers, and not a real programme RAID entry.
# Successors come before the items they supersede.
RAID_ITEMS = [
    {
        "reference": "R432",
        "raid_type": "risk",
        "area": "Design",
        "title": "There is a risk that new and existing Change Requests have a material impact "
        "on the baseline Design",
        "owner": "Paul Pettitt",
        "probability": 3,
        "impact": 4,
        "mitigation": "Change Requests assessed through Programme change control with an "
        "implementation/release outlook; design changes released via Interim Releases.",
        "status": "open",
        "change_requests": ["CR044", "CR045", "CR046"],
    },
    {
        # ILLUSTRATIVE, superseded by R432.
        "reference": "R184",
        "raid_type": "risk",
        "area": "Design",
        "title": "There is a risk that late design change destabilises the physical design "
        "baseline ahead of SIT",
        "owner": "Paul Pettitt",
        "probability": 3,
        "impact": 3,
        "status": "superseded",
        "superseded_by": "R432",
        "date_raised": "13/09/2023",
    },
    {
        # ILLUSTRATIVE assumption.
        "reference": "R433",
        "raid_type": "assumption",
        "area": "Design",
        "title": "Participants build and test against design Interim Release IR5, with urgent "
        "design change released into testing through IR or CR controls",
        "owner": "Lee Cox",
        "status": "open",
        "date_raised": "11/10/2023",
    },
    {
        # ILLUSTRATIVE issue.
        "reference": "R434",
        "raid_type": "issue",
        "area": "Design",
        "title": "Limited participant representation at the Design Resolution Group weakens "
        "the evidence for its recommendations",
        "owner": "Fraser Mathieson",
        "probability": 4,
        "impact": 3,
        "mitigation": "Programme Participant Information Requests used to gather wider views "
        "before DAG decisions (e.g. UTC vs Clock Times).",
        "status": "open",
        "date_raised": "11/10/2023",
    },
    {
        # ILLUSTRATIVE dependency.
        "reference": "R435",
        "raid_type": "dependency",
        "area": "Programme",
        "title": "Transition of design change to BAU code governance post-M10 depends on "
        "arrangements being developed by Elexon and the Code Bodies",
        "owner": "Paul Pettitt",
        "probability": 2,
        "impact": 4,
        "status": "open",
        "milestone": "M10",
        "date_raised": "08/05/2024",
        "change_requests": ["CR044"],
    },
    {
        # ILLUSTRATIVE, closed.
        "reference": "R436",
        "raid_type": "risk",
        "area": "Design",
        "title": "There is a risk that the choice of UTC or clock time for Change of Supplier "
        "reads is not settled in time for SIT Functional testing",
        "owner": "Matt Hall",
        "probability": 2,
        "impact": 3,
        "status": "closed",
        "date_raised": "11/10/2023",
    },
]

# RAID reviews: (reference, meeting number, agenda item number, discussion, conclusion).
RAID_REVIEWS = [
    (
        "R432",
        37,
        "4",
        "Single Programme Risk relating to DAG – R432 There is a risk that new and existing "
        "Change Requests have a material impact on the baseline Design. Please use dPMO Tool for "
        "further information",
        "",
    ),
]
