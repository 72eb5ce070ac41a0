"""Downloads of the action register (/actions/export.csv, /actions/export.xlsx): the current
filter, every page, the papers' columns."""

import csv
import datetime
import io

from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from actions.exports import COLUMNS
from actions.models import DueKind
from actions.services import action_add_update
from core.models import Role
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
CSV_URL = "/actions/export.csv"
XLSX_URL = "/actions/export.xlsx"


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER, person_name="Lee Cox")
        meeting = make_meeting(cls.dag, number=29, date=datetime.date(2023, 10, 11))
        cls.late = make_action(
            meeting,
            reference="DAG29-01",
            area="UTC vs Clock Times",
            text="Programme to issue the PPIR",
            owner_party="Programme",
            owners=[make_person("Paul Pettitt"), cls.member.person],
            due_date=datetime.date(2023, 11, 8),
        )
        action_add_update(action=cls.late, text="Older update", date=datetime.date(2023, 10, 20))
        action_add_update(
            action=cls.late,
            text="PPIR issued",
            date=datetime.date(2023, 11, 1),
            status="ongoing",
        )
        cls.asap = make_action(
            meeting,
            reference="DAG29-02",
            text='=HYPERLINK("http://evil")',
            owner_party="Ofgem",
            due_kind=DueKind.ASAP,
            due_date=None,
        )
        make_action(make_meeting(make_group("TMAG"), number=3), reference="TMAG3-01")

    def setUp(self):
        self.client.force_login(self.member)

    def test_csv_has_the_papers_columns_and_uk_dates(self):
        response = self.client.get(CSV_URL)

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="actions-{TODAY:%Y-%m-%d}.csv"'
        )
        rows = read_csv(response)
        assert rows[0] == [
            "Ref",
            "Date raised",
            "Area",
            "Action",
            "Owner",
            "Due",
            "Status",
            "Latest update",
            "Latest update date",
        ]
        assert rows[1] == [
            "DAG29-01",
            "11/10/2023",
            "UTC vs Clock Times",
            "Programme to issue the PPIR",
            "Programme (Paul Pettitt & Lee Cox)",
            "08/11/2023",
            "ONGOING",
            "PPIR issued",
            "01/11/2023",
        ]
        # A cell that would run as a formula in Excel is quoted.
        assert rows[2][:6] == [
            "DAG29-02",
            "11/10/2023",
            "",
            '\'=HYPERLINK("http://evil")',
            "Ofgem",
            "ASAP",
        ]
        assert len(rows) == 3  # not the other group's action

    def test_xlsx_opens_with_real_dates_and_text_formulas(self):
        response = self.client.get(XLSX_URL)

        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = read_xlsx(response)
        assert rows[0] == [column.header for column in COLUMNS]
        assert rows[1][0] == "DAG29-01"
        assert rows[1][1] == datetime.datetime(2023, 10, 11)
        assert rows[1][5] == datetime.datetime(2023, 11, 8)
        assert rows[1][7:] == ["PPIR issued", datetime.datetime(2023, 11, 1)]
        assert rows[2][3] == '=HYPERLINK("http://evil")'
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.active["D3"].data_type == "s"  # text, not a formula
        assert workbook.active["B2"].number_format == "DD/MM/YYYY"

    def test_export_follows_the_filter(self):
        rows = read_csv(self.client.get(CSV_URL, {"due": "asap"}))
        assert [row[0] for row in rows[1:]] == ["DAG29-02"]
        rows = read_xlsx(self.client.get(XLSX_URL, {"owner": "me", "sort": "-reference"}))
        assert [row[0] for row in rows[1:]] == ["DAG29-01"]
        page_link = self.client.get("/actions/", {"owner": "me"}).content.decode()
        assert 'href="/actions/export.xlsx?owner=me"' in page_link

    def test_export_keeps_search_and_sort(self):
        rows = read_csv(self.client.get(CSV_URL, {"q": "PPIR"}))
        assert [row[0] for row in rows[1:]] == ["DAG29-01"]
        rows = read_csv(self.client.get(CSV_URL, {"sort": "-updated"}))
        assert [row[0] for row in rows[1:]] == ["DAG29-01", "DAG29-02"]
        rows = read_csv(self.client.get(CSV_URL, {"sort": "updated"}))
        assert [row[0] for row in rows[1:]] == ["DAG29-02", "DAG29-01"]

    def test_bad_filters_do_not_break_the_export(self):
        response = self.client.get(CSV_URL, {"status": "nonsense", "due_to": "yesterday"})
        assert response.status_code == 200
        assert len(read_csv(response)) == 3

    def test_anonymous_must_log_in(self):
        self.client.logout()
        response = self.client.get(XLSX_URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class ExportSizeTests(TestCase):
    """Every page of the register is exported, in queries that do not grow with the rows:
    owners and latest updates come in the export's own queries, not one query per row."""

    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        cls.meeting = make_meeting(cls.dag, number=5)

    def add_actions(self, count):
        for _ in range(count):
            action = make_action(self.meeting, owners=[make_person()], owner_party="Programme")
            action_add_update(action=action, text="Update", date=self.meeting.date)

    def test_all_rows_in_a_fixed_number_of_queries(self):
        self.client.force_login(self.member)
        # Session, user, roles, groups (filter), rows, owners with their people.
        self.add_actions(2)
        with self.assertNumQueries(6):
            assert len(read_csv(self.client.get(CSV_URL))) == 3
        self.add_actions(58)
        with self.assertNumQueries(6):
            rows = read_csv(self.client.get(CSV_URL))
        assert len(rows) == 61
        assert rows[1][0] == "DAG5-01" and rows[60][0] == "DAG5-60"
