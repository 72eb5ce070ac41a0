"""The June 2024 papers' "Change Request Status" table (CR043-CR050, updated to 04/06/2024):
the demo data reads the same in the app's register and its download, and the secretariat
can keep the same table in the app from nothing, raising each CR and moving it through
change control in the browser's forms."""

import csv
import io
from html.parser import HTMLParser

import pytest

from changerequests.services import change_request_create
from core.models import Organisation, Role
from demo.management.commands.load_demo import DemoLoader
from tests.demo.test_demo_registers import CR_STATUS_TABLE
from tests.factories import make_group, make_person, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/change-requests/"
TABLE_REFERENCES = [row[0] for row in CR_STATUS_TABLE]


class StatusTable(HTMLParser):
    """The register's rows as the cell texts a reader sees: in the "Title / key detail" cell
    only the title (the key detail is folded away), "" for a cell showing a dash."""

    def __init__(self):
        super().__init__()
        self.rows, self.caption = [], ""
        self._row = self._cell = None
        self._hidden = 0  # inside a folded key detail
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "details":
            self._hidden += 1
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            self._row.append("" if text == "—" else text)
            self._cell = None
        elif tag == "tr" and self._row:
            self.rows.append(tuple(self._row))
            self._row = None
        elif tag == "details":
            self._hidden -= 1
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self.caption += data
        elif self._cell is not None and not self._hidden:
            self._cell.append(data)


def register_rows(client):
    """{reference: row} of the register filtered to the June 2024 table's CRs, and the
    table's caption."""
    parser = StatusTable()
    parser.feed(client.get(LIST_URL).content.decode())
    rows = {row[0]: row for row in parser.rows if row[0] in TABLE_REFERENCES}
    return rows, " ".join(parser.caption.split())


def assert_reads_like_the_papers(client):
    rows, caption = register_rows(client)
    assert list(rows) == TABLE_REFERENCES
    for paper_row in CR_STATUS_TABLE:
        assert rows[paper_row[0]] == paper_row, paper_row[0]
    assert caption == "Status updated to 04/06/2024"

    response = client.get(f"{LIST_URL}export.csv")  # streamed, as every register's download
    download = b"".join(response.streaming_content).decode("utf-8-sig")
    exported = {row["Ref"]: row for row in csv.DictReader(io.StringIO(download))}
    columns = [
        "Ref",
        "Title",
        "Change raiser",
        "Change type",
        "Latest action",
        "Approval status",
        "Current stage",
        "Next action (if approved)",
        "Implementation date/milestone",
        "Change owner",
    ]
    for paper_row in CR_STATUS_TABLE:
        row = exported[paper_row[0]]
        assert tuple(row[column] for column in columns) == paper_row, paper_row[0]


def test_the_demo_table_reads_the_same_in_the_register(client):
    # The demo's people, groups and change requests, without the rest of load_demo.
    demo = DemoLoader()
    demo.load_people()
    demo.load_groups()
    demo.load_change_requests()
    client.force_login(make_user(group=demo.dag, role=Role.OBSERVER))

    assert_reads_like_the_papers(client)


# The table kept in the app: for each CR, what the secretariat types when raising it and
# the moves it then records (move, date, latest action wording or "" for the standard).
RAISED = {
    "CR043": {
        "title": "Supplier Registration of ABMU and MPAN Mapping",
        "raiser": ("Mike Ceney", "Elexon", ""),
        "decision_body": "DAG",
        "owner": "Paul Pettitt",
    },
    "CR044": {
        "title": "Implementation of 'Data Refresh' Message IF-051",
        "raiser": ("Sean Cooper", "MHHS Programme", ""),
        "decision_body": "PSG",
        "next_action": "Programme to hand over solution design to Code Bodies",
    },
    "CR045": {
        "title": "Supply Start Date (SSD) Correction Tool",
        "raiser": ("Sean Cooper", "MHHS Programme", "on behalf of SCS"),
        "decision_body": "PSG",
        "next_action": "Programme Participant Information Request (PPIR) to be issued to "
        "elicit participant views on feasibility of implementation pre-M10.",
    },
    "CR046": {
        "title": "Enabling Metering Point Energy Flow to be changed more than once",
        "raiser": ("Harriet Truss", "RECCo", ""),
        "decision_body": "DAG",
        "next_action": "Implement",
        "implementation_milestone": "IR8.1 June-24",
        "owner": "Paul Pettitt",
    },
    "CR047": {
        "title": "Amending Qualification Milestones for non-SIT LDSO QT",
        "raiser": ("Ben Wickins", "MHHS Programme", ""),
        "decision_body": "change_board",
        "owner": "Ben Wickins",
    },
    "CR048": {
        "title": "Amending Qualification Milestones for Non-SIT Supplier and Agent QT",
        "raiser": ("Laura Kennedy", "Credera", ""),
        "decision_body": "change_board",
        "owner": "Nicola Farley",
    },
    "CR049": {
        "title": "Swagger Open API 3.0 to 3.1 Upgrade",
        "raiser": ("Rob Golding", "MHHS Programme", ""),
    },
    "CR050": {
        "title": "Amendments to the MHHS Change Control Approach and Form",
        "raiser": ("Immy Syms", "MHHS Programme", ""),
        "decision_body": "ofgem",
    },
}
BOARD_APPROVAL = "Approved by Change Board (12-Apr-24), subject to ratification by PSG"
AWAITING_PSG = "Awaiting PSG decision on implementation"
MOVES = {
    "CR043": [
        ("start_ia", "15/01/2024", ""),
        ("to_decision", "28/02/2024", ""),
        ("approve", "13/03/2024", ""),
        ("complete", "02/04/2024", "Approved by DAG (13-Mar-24)"),
    ],
    "CR044": [
        ("start_ia", "15/01/2024", ""),
        ("to_decision", "01/05/2024", AWAITING_PSG),
        ("reject", "04/06/2024", AWAITING_PSG),
    ],
    "CR045": [
        ("start_ia", "15/01/2024", ""),
        ("to_decision", "01/05/2024", AWAITING_PSG),
    ],
    "CR046": [
        ("start_ia", "04/03/2024", ""),
        ("to_decision", "27/03/2024", ""),
        # The app writes "Approved by DAG (10/04/2024)"; the secretariat types the paper's own.
        ("approve", "10/04/2024", "Approved by DAG (10-Apr-24)"),
    ],
    "CR047": [
        ("start_ia", "04/03/2024", ""),
        ("to_decision", "27/03/2024", ""),
        ("approve", "12/04/2024", BOARD_APPROVAL),
        ("complete", "30/04/2024", BOARD_APPROVAL),
    ],
    "CR048": [
        ("start_ia", "04/03/2024", ""),
        ("to_decision", "27/03/2024", ""),
        ("approve", "12/04/2024", BOARD_APPROVAL),
        ("complete", "30/04/2024", BOARD_APPROVAL),
    ],
    "CR049": [("withdraw", "10/04/2024", "")],
    # Ten working days from 14 May 2024 (27 May a bank holiday): responses by 29 May 2024.
    "CR050": [("start_ia", "14/05/2024", ""), ("to_decision", "30/05/2024", "")],
}


def test_the_secretariat_keeps_the_same_table_in_the_app(client):
    dag = make_group("DAG")
    secretariat = make_user("secretariat", group=dag, role=Role.SECRETARIAT)
    organisations = {
        name: Organisation.objects.create(name=name)
        for name in ("Elexon", "MHHS Programme", "RECCo", "Credera")
    }
    people = {}
    for name, organisation in [
        ("Mike Ceney", "Elexon"),
        ("Sean Cooper", "MHHS Programme"),
        ("Harriet Truss", "RECCo"),
        ("Ben Wickins", "MHHS Programme"),
        ("Laura Kennedy", "Credera"),
        ("Rob Golding", "MHHS Programme"),
        ("Immy Syms", "MHHS Programme"),
        ("Paul Pettitt", "MHHS Programme"),
        ("Nicola Farley", "MHHS Programme"),
    ]:
        people[name] = make_person(name, organisation=organisations[organisation])
    # The programme's earlier CRs, so the next one raised is CR043 as in the papers.
    change_request_create(title="An earlier change", group=dag, reference="CR042")
    client.force_login(secretariat)

    for reference, fields in RAISED.items():
        person, organisation, note = fields["raiser"]
        response = client.post(
            f"{LIST_URL}new/",
            {
                "group": dag.pk,
                "title": fields["title"],
                "raiser_person": people[person].pk,
                "raiser_organisation": organisations[organisation].pk,
                "raiser_note": note,
                "change_type": "full_ia",
                "decision_body": fields.get("decision_body", ""),
                "date_raised": "08/01/2024",
                "next_action": fields.get("next_action", ""),
                "implementation_milestone": fields.get("implementation_milestone", ""),
                "change_owner": people[fields["owner"]].pk if "owner" in fields else "",
                "ia_working_days": "10",
            },
        )
        assert response["Location"] == f"{LIST_URL}{reference}/", reference
        stage = "raised"
        for move, date, wording in MOVES[reference]:
            response = client.post(
                f"{LIST_URL}{reference}/move/",
                {
                    "move": move,
                    "from_stage": stage,
                    "date": date,
                    "reason": "As recorded in the June 2024 papers",
                    "latest_action": wording,
                    "ia_working_days": "10",
                },
            )
            assert response.status_code == 302, (reference, move, response.content.decode())
            stage = client.get(f"{LIST_URL}{reference}/").context["cr"].stage

    assert_reads_like_the_papers(client)
    cr050 = client.get(f"{LIST_URL}CR050/").context["cr"]
    assert f"{cr050.ia_deadline:%d/%m/%Y}" == "29/05/2024"


class FormValues(HTMLParser):
    """The values a browser would post from the page's main form, as it stands."""

    def __init__(self):
        super().__init__()
        self.values = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def test_saving_the_demo_crs_unchanged_changes_nothing(client):
    """The edit form carries every column of the table as it is: the secretariat saving a
    CR without touching it leaves the row, its status date and its history as they were."""
    demo = DemoLoader()
    demo.load_people()
    demo.load_groups()
    demo.load_change_requests()
    client.force_login(make_user(group=demo.dag, role=Role.SECRETARIAT))
    before, _ = register_rows(client)

    for reference in TABLE_REFERENCES:
        cr = demo.crs[reference]
        versions = cr.history.count()
        form = FormValues()
        form.feed(client.get(f"{LIST_URL}{reference}/edit/").content.decode())
        form.values.pop("csrfmiddlewaretoken")
        # A textarea's first newline is dropped by browsers; Django writes one after the tag.
        values = {name: value.removeprefix("\n") for name, value in form.values.items()}

        response = client.post(f"{LIST_URL}{reference}/edit/", values)

        assert response.status_code == 302, (reference, response.content.decode())
        assert cr.history.count() == versions, reference
    assert register_rows(client)[0] == before
