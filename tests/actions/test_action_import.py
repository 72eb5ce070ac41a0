"""Importing an action log (/actions/import/): upload, preview with row-level problems, then
commit all or nothing."""

import datetime
import io
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import TestCase
from openpyxl import Workbook

from actions import import_file, importer
from actions.models import Action, ActionStatus, DueKind, UpdateSource
from core.models import Person, Role
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

URL = "/actions/import/"
HEADER = "Ref,Date raised,Area,Action,Owner,Due,Status,Latest update,Latest update date\n"


def csv_file(body, header=HEADER, name="log.csv"):
    return SimpleUploadedFile(name, (header + body).encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="log.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


GOOD_CSV = (
    ",,,,,,,,\n"  # blank lines are skipped
    "DAG29-01,11/10/2023,UTC vs Clock Times,Programme to issue the PPIR,"
    '"Programme (Paul Pettitt & Lee Cox)",08/11/2023,ONGOING,PPIR issued,01/11/2023\n'
    "DES-03-04,02/02/2022,Design,Confirm the baseline,Ofgem,ASAP,OPEN,,\n"
    "DAG29-03,11/10/2023,,Close out the plan,lee cox,Next meeting,CLOSED,Done,20/10/2023\n"
    "DAG29-04,11/10/2023,,'=SUM(1;2),Programme (PMO),13/10/2023,,,\n"
)


class SplitOwnerTests(TestCase):
    def test_owner_cells_as_the_papers_write_them(self):
        known = {"lee cox"}
        cases = {
            "Programme (Paul Pettitt & Lee Cox)": ("Programme", ["Paul Pettitt", "Lee Cox"]),
            "NGESO Representative (Daniel Arrowsmith)": (
                "NGESO Representative",
                ["Daniel Arrowsmith"],
            ),
            "Programme (PMO)": ("Programme (PMO)", []),
            "Programme (Design Team)": ("Programme (Design Team)", []),
            "Implementation Group (FTIG)": ("Implementation Group (FTIG)", []),
            "Ofgem": ("Ofgem", []),
            "DAG members": ("DAG members", []),
            "Chair": ("Chair", []),
            "Lee Cox": ("", ["Lee Cox"]),
            "lee cox": ("", ["lee cox"]),
            "Ian Smith/Lewis Hall": ("", ["Ian Smith", "Lewis Hall"]),
            "Matt McKeon and Lee Cox": ("", ["Matt McKeon", "Lee Cox"]),
            "": ("", []),
        }
        for written, expected in cases.items():
            assert import_file.split_owner(written, known) == expected, written


class ImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("secretariat", group=cls.dag, role=Role.SECRETARIAT)
        cls.member = make_user("member", group=cls.dag, role=Role.MEMBER)
        cls.lee = make_person("Lee Cox")
        cls.dag029 = make_meeting(cls.dag, number=29, date=datetime.date(2023, 10, 11))

    def setUp(self):
        self.client.force_login(self.secretariat)

    def upload(self, upload, group="DAG"):
        return self.client.post(URL, {"group": group, "file": upload})

    def preview(self, upload):
        response = self.upload(upload)
        assert response.status_code == 302, response.content.decode()[-3000:]
        return response["Location"], self.client.get(response["Location"])

    def test_upload_preview_then_confirm(self):
        people_before = Person.objects.count()
        url, preview = self.preview(csv_file(GOOD_CSV))

        content = preview.content.decode()
        assert "4 actions to import" in content
        assert "New people to be created: Paul Pettitt." in content
        assert "Import 4 actions" in content
        assert not Action.objects.exists()  # nothing before confirmation
        assert Person.objects.count() == people_before

        response = self.client.post(url)

        self.assertRedirects(
            response, "/actions/?group=DAG&status=all", fetch_redirect_response=False
        )
        first = Action.objects.get(reference="DAG29-01")
        assert first.group == self.dag and first.meeting == self.dag029
        assert first.owner_display() == "Programme (Paul Pettitt & Lee Cox)"
        assert first.ownerships.all()[1].person == self.lee  # matched, not created again
        assert (first.due_kind, first.due_date) == (DueKind.DATE, datetime.date(2023, 11, 8))
        assert first.status == ActionStatus.ONGOING
        update = first.updates.get()
        assert (update.text, update.date, update.status_set, update.source) == (
            "PPIR issued",
            datetime.date(2023, 11, 1),
            "ongoing",
            UpdateSource.IMPORT,
        )
        legacy = Action.objects.get(reference="DES-03-04")
        assert (legacy.owner_party, legacy.due_kind, legacy.meeting) == ("Ofgem", "asap", None)
        assert not legacy.updates.exists()
        closed = Action.objects.get(reference="DAG29-03")
        assert (closed.status, closed.closed_date) == ("closed", datetime.date(2023, 10, 20))
        assert closed.due_kind == DueKind.NEXT_MEETING
        assert [o.person for o in closed.ownerships.all()] == [self.lee]
        formula = Action.objects.get(reference="DAG29-04")
        assert formula.text == "=SUM(1;2)"
        assert formula.owner_party == "Programme (PMO)" and formula.status == "open"
        assert Person.objects.filter(name="Paul Pettitt").count() == 1
        assert "Imported 4 actions into DAG." in self.client.get("/actions/").content.decode()
        assert self.client.get(url).status_code == 404  # the plan is gone

    def test_xlsx_with_real_dates(self):
        rows = [
            ["Ref", "Date raised", "Area", "Action", "Owner", "Due", "Status", "Latest update"],
            ["DAG29-05", datetime.datetime(2023, 10, 11), "", "Write it", "Ofgem", "ASAP", "", ""],
            ["DAG29-06", datetime.date(2023, 10, 11), "", "Do it", "", datetime.date(2023, 12, 1)],
        ]
        url, preview = self.preview(xlsx_file(rows))
        assert "2 actions to import" in preview.content.decode()
        self.client.post(url)
        assert Action.objects.get(reference="DAG29-06").due_date == datetime.date(2023, 12, 1)
        assert Action.objects.get(reference="DAG29-05").date_raised == datetime.date(2023, 10, 11)

    def test_existing_reference_updates_status_due_and_latest_update(self):
        """The row of an action the tracker holds shows, field by field, what the tracker
        has and what the file says; confirming updates its status, due and latest update
        (not its words), together with the new actions or not at all."""
        existing = make_action(
            self.dag029,
            reference="DAG29-01",
            text="The original words",
            due_date=datetime.date(2023, 11, 1),
        )
        url, preview = self.preview(csv_file(GOOD_CSV))

        content = preview.content.decode()
        assert "1 already in the tracker to update" in content
        assert "3 actions to import" in content and "Import 3 actions and update 1" in content
        assert '<th scope="row">Status</th><td><del>OPEN</del></td><td><ins>ONGOING</ins>' in (
            content
        )
        assert "<td><del>01/11/2023</del></td><td><ins>08/11/2023</ins>" in content
        assert "<td><del>—</del></td><td><ins>01/11/2023: PPIR issued</ins>" in content
        assert existing.updates.count() == 0  # nothing before confirmation

        self.client.post(url)

        existing.refresh_from_db()
        assert existing.text == "The original words"
        assert existing.status == ActionStatus.ONGOING
        assert existing.due_date == datetime.date(2023, 11, 8)
        update = existing.updates.get()
        assert (update.text, update.date, update.source) == (
            "PPIR issued",
            datetime.date(2023, 11, 1),
            UpdateSource.IMPORT,
        )
        assert Action.objects.count() == 4

    def test_an_existing_action_the_same_in_the_file_is_left_alone(self):
        body = "DAG29-01,11/10/2023,,Other words,Ofgem,08/11/2023,,,\n"
        existing = make_action(self.dag029, reference="DAG29-01", text="The original words")

        url, preview = self.preview(csv_file(body))

        assert "the same in the file: DAG29-01" in preview.content.decode()
        assert "nothing to import or update" in preview.content.decode()
        existing.refresh_from_db()
        assert existing.status == ActionStatus.OPEN

    def test_another_groups_action_is_a_problem(self):
        other = make_action(make_meeting(make_group("TMAG"), number=3), reference="TMAG3-01")
        body = "TMAG3-01,11/10/2023,,Words,Ofgem,ASAP,CLOSED,,\n"

        _, preview = self.preview(csv_file(body))

        assert "TMAG3-01 is an action of TMAG" in preview.content.decode()
        other.refresh_from_db()
        assert other.status == ActionStatus.OPEN

    def test_an_action_changed_since_the_preview_stops_the_import(self):
        existing = make_action(self.dag029, reference="DAG29-01", text="The original words")
        url, _ = self.preview(csv_file(GOOD_CSV))
        existing.due_date = datetime.date(2023, 12, 6)
        existing.save()

        content = self.client.post(url, follow=True).content.decode()

        assert "The actions changed since the preview; nothing was imported." in content
        assert "<td><del>06/12/2023</del></td><td><ins>08/11/2023</ins>" in content
        assert Action.objects.count() == 1 and not existing.updates.exists()

    def test_row_problems_block_the_whole_import(self):
        body = (
            "DAG29-01,31/02/2023,,Bad date,Ofgem,ASAP,OPEN,,\n"
            "DAG29-02,11/10/2023,,Bad status,Ofgem,ASAP,MAYBE,,\n"
            "DAG29-02,11/10/2023,,Duplicate,Ofgem,ASAP,OPEN,,\n"
            ",11/10/2023,,No ref,Ofgem,ASAP,OPEN,,\n"
            "DAG29-05,11/10/2023,,,Ofgem,,OPEN,Said something,\n"
            "DAG29-06,11/10/2023,,Fine,Ofgem,tomorrow,OPEN,,01/01/2020\n"
            "DAG29-07,11/10/2023,,Good row,Ofgem,ASAP,OPEN,,\n"
        )
        url, preview = self.preview(csv_file(body))

        content = preview.content.decode()
        assert "6 rows have problems" in content
        for problem in (
            "Line 2 (DAG29-01)</a>: Date raised “31/02/2023” is not a date: write it as "
            "dd/mm/yyyy.",
            "Status “MAYBE” is not one of OPEN, ONGOING, RECOMMEND CLOSED, CLOSED.",
            "Ref DAG29-02 is also on line 3.",
            "Line 5</a>: No Ref.",
            "No Action text. No Due: give a date, ASAP or Next meeting. The latest update has "
            "no Latest update date.",
            "Due “tomorrow” is not a date",
            "Latest update date is given but the Latest update is empty.",
            "The latest update is dated before the action was raised.",
        ):
            assert problem in content, problem
        assert "Import 1 action" not in content and '<form method="post">' not in content
        assert self.client.post(url).status_code == 200
        assert not Action.objects.exists()

    def test_file_level_problems(self):
        cases = [
            (csv_file("", header="Reference,Action\nX,Y\n"), "Missing columns: Date raised, "),
            (csv_file("", header=""), "The submitted file is empty."),
            (csv_file("", header=",,,\n\n"), "The file is empty."),
            (csv_file(""), "The file has a header row but no actions."),
            (csv_file("", header=HEADER.replace("Area", "Status")), "appears twice"),
            (
                SimpleUploadedFile("pic.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
                "This is not a CSV or Excel (.xlsx) file.",
            ),
            (
                SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50),
                "This is an old Excel (.xls) file",
            ),
            (
                SimpleUploadedFile("broken.xlsx", b"PK\x03\x04" + b"garbage" * 20),
                "This is not a valid workbook",
            ),
        ]
        for upload, message in cases:
            response = self.upload(upload)
            assert response.status_code == 200, message
            assert message in response.content.decode(), message
        assert not Action.objects.exists()

    def test_too_many_rows(self):
        body = "".join(f"X-{n},11/10/2023,,Text,Ofgem,ASAP,OPEN,,\n" for n in range(3))
        with mock.patch.object(importer, "MAX_ROWS", 2):
            response = self.upload(csv_file(body))
        assert "The file has more than 2 actions; import at most 2." in response.content.decode()

    def test_semicolon_csv_in_windows_encoding(self):
        text = HEADER.replace(",", ";") + "DAG29-09;11/10/2023;;Café £5 – plan;Ofgem;ASAP;;;\n"
        upload = SimpleUploadedFile("log.csv", text.encode("cp1252"))
        url, _ = self.preview(upload)
        self.client.post(url)
        assert Action.objects.get(reference="DAG29-09").text == "Café £5 – plan"

    def test_reference_with_a_slash_is_refused(self):
        url, preview = self.preview(csv_file("DAG/1,11/10/2023,,Text,Ofgem,ASAP,,,\n"))
        assert "Ref cannot contain “/”" in preview.content.decode()

    def test_overlong_owner_and_area(self):
        name = "Bartholomew " + "Featherstonehaugh" * 12
        body = f'DAG29-01,11/10/2023,{"A" * 301},Text,"Programme ({name})",ASAP,,,\n'
        _, preview = self.preview(csv_file(body))
        content = preview.content.decode()
        assert "Area is longer than 300 characters." in content
        assert "An owner name is longer than 200 characters." in content

    def test_two_people_with_the_name_is_a_problem(self):
        make_person("Lee Cox")
        _, preview = self.preview(csv_file("DAG29-01,11/10/2023,,Text,Lee Cox,ASAP,,,\n"))
        assert "2 people are called Lee Cox" in preview.content.decode()

    def test_reference_added_since_the_preview_stops_the_import(self):
        url, _ = self.preview(csv_file(GOOD_CSV))
        make_action(self.dag029, reference="DES-03-04", text="Added meanwhile")

        response = self.client.post(url, follow=True)

        content = response.content.decode()
        assert "The actions changed since the preview; nothing was imported." in content
        assert "1 already in the tracker to update: " in content and ">DES-03-04</a>" in content
        assert Action.objects.count() == 1
        assert not Person.objects.filter(name="Paul Pettitt").exists()
        self.client.post(url)  # confirming the new preview imports the rest
        assert Action.objects.count() == 4

    def test_failure_half_way_leaves_nothing_behind(self):
        url, _ = self.preview(csv_file(GOOD_CSV))
        real = importer.action_create
        calls = []

        def fail_on_third(**kwargs):
            calls.append(kwargs["reference"])
            if len(calls) == 3:
                raise IntegrityError("duplicate key value violates unique constraint")
            return real(**kwargs)

        with mock.patch.object(importer, "action_create", side_effect=fail_on_third):
            response = self.client.post(url)

        assert response.status_code == 200
        assert "nothing was imported" in response.content.decode()
        assert not Action.objects.exists()
        assert not Person.objects.filter(name="Paul Pettitt").exists()

    def test_only_the_groups_secretariat_may_import(self):
        self.client.force_login(self.member)
        assert self.client.get(URL).status_code == 403
        assert "Import an action log" not in self.client.get("/actions/").content.decode()
        self.client.force_login(self.secretariat)
        assert "Import an action log" in self.client.get("/actions/").content.decode()
        tmag = make_group("TMAG")
        response = self.upload(csv_file(GOOD_CSV), group=tmag.code)
        assert "Select a valid choice" in response.content.decode()

    def test_a_preview_belongs_to_its_uploader(self):
        url, _ = self.preview(csv_file(GOOD_CSV))
        other = make_user("other", group=self.dag, role=Role.SECRETARIAT)
        self.client.force_login(other)
        assert self.client.get(url).status_code == 404
        assert self.client.post(url).status_code == 404
        assert not Action.objects.exists()

    def test_secretariat_demoted_after_upload_cannot_confirm(self):
        url, _ = self.preview(csv_file(GOOD_CSV))
        self.secretariat.person.memberships.update(role=Role.MEMBER)
        assert self.client.post(url).status_code == 403
        assert not Action.objects.exists()
