"""Hostile files at the action import (/actions/import/): bombs that would make the web worker
allocate gigabytes, malformed or entity-laden XML, NUL characters. Each is refused at the file
field or shown at its row, quickly, without a 500 and without anything written."""

import io
import os
import time
import zipfile
from unittest import mock

import openpyxl
import psutil
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, TestCase
from openpyxl import Workbook

from actions import importer
from actions.models import Action
from core import uploads
from core.models import Person, Role
from tests.factories import make_group, make_user

URL = "/actions/import/"
HEADER = ["Ref", "Date raised", "Area", "Action", "Owner", "Due", "Status"]
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook_bytes(rows=(HEADER,)):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_member(content, name, data, compression=zipfile.ZIP_DEFLATED):
    """The workbook `content` with member `name` replaced by `data` (str or bytes)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression, compresslevel=9) as target:
        for member in source.infolist():
            body = source.read(member.filename)
            if member.filename == name:
                body = data.encode() if isinstance(data, str) else data
            target.writestr(member.filename, body)
        if name not in source.namelist():
            target.writestr(name, data)
    return buffer.getvalue()


def dimension_bomb():
    """~2 KB: a sheet claiming A1:XFD1048576 whose last cell is at XFD1048576. openpyxl pads
    every row to the declared width and height: 17 billion cells."""
    sheet = (
        f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return replace_member(workbook_bytes(), SHEET, sheet)


def shared_strings_bomb():
    """~5 KB packed, 5 MB of shared strings unpacked: read whole when the workbook opens."""
    strings = "<si><t>AAAAAAAA</t></si>" * 200_000
    data = f'<sst {NS} count="200000" uniqueCount="200000">{strings}</sst>'
    return replace_member(workbook_bytes(), "xl/sharedStrings.xml", data)


def member_bomb():
    """A part declaring 40 MB unpacked (over the 20 MB a part may have)."""
    return replace_member(workbook_bytes(), "xl/media/blank.bin", b"\0" * (40 * 1024 * 1024))


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + f"]><worksheet {NS}><sheetData>"
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c>'
    "</row></sheetData></worksheet>"
)
TRUNCATED = f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Ref'


class ImportBombTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("secretariat", group=cls.dag, role=Role.SECRETARIAT)

    def setUp(self):
        self.client.force_login(self.secretariat)

    def upload(self, content, name="log.xlsx"):
        return self.client.post(URL, {"group": "DAG", "file": SimpleUploadedFile(name, content)})

    def assert_refused_fast_and_small(self, content, message):
        people = Person.objects.count()
        process = psutil.Process(os.getpid())
        before = process.memory_info().rss
        started = time.monotonic()
        response = self.upload(content)
        elapsed = time.monotonic() - started
        grown = process.memory_info().rss - before
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page, page[page.find("errorlist") - 200 :][:800]
        assert elapsed < 2, f"took {elapsed:.2f} s"
        assert grown < 100 * 1024 * 1024, f"grew by {grown // 2**20} MB"
        assert not Action.objects.exists() and Person.objects.count() == people

    def test_a_sheet_declaring_a_huge_dimension_is_refused(self):
        content = dimension_bomb()
        assert len(content) < 5000
        self.assert_refused_fast_and_small(content, "The file has more than 5000 actions")

    def test_huge_shared_strings_are_refused_before_opening(self):
        content = shared_strings_bomb()
        assert len(content) < 30_000
        self.assert_refused_fast_and_small(content, "This file is too large to read")

    def test_a_part_unpacking_past_the_limit_is_refused(self):
        self.assert_refused_fast_and_small(member_bomb(), "This file is too large to read")

    def test_rows_are_read_lazily_and_stop_at_the_limit(self):
        rows = [HEADER] + [
            [f"X-{n}", "11/10/2023", "", "Text", "Ofgem", "ASAP", ""] for n in range(30)
        ]
        with mock.patch.object(importer, "MAX_ROWS", 10):
            response = self.upload(workbook_bytes(rows))
        assert "The file has more than 10 actions; import at most 10." in (
            response.content.decode()
        )

    def test_an_overlong_cell_is_refused_with_its_place(self):
        sheet = (
            f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t>'
            f'</is></c></row><row r="2"><c r="D2" t="inlineStr"><is><t>{"A" * 40_000}</t>'
            "</is></c></row></sheetData></worksheet>"
        )
        response = self.upload(replace_member(workbook_bytes(), SHEET, sheet))
        assert "Line 2, column D holds more than 32,767 characters." in (response.content.decode())


class MalformedXmlTests(TestCase):
    """Parser errors become the form's message: never a 500, never an entity expanded."""

    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("secretariat", group=cls.dag, role=Role.SECRETARIAT)

    def setUp(self):
        self.client.force_login(self.secretariat)

    def upload(self, content):
        file = SimpleUploadedFile("log.xlsx", content)
        return self.client.post(URL, {"group": "DAG", "file": file})

    def test_openpyxl_parses_through_defusedxml(self):
        assert openpyxl.DEFUSEDXML is True

    def test_billion_laughs_in_the_sheet(self):
        response = self.upload(replace_member(workbook_bytes(), SHEET, BILLION_LAUGHS))
        assert response.status_code == 200
        assert "This is not a valid workbook" in response.content.decode()
        assert "lollol" not in response.content.decode()

    def test_billion_laughs_in_the_workbook_part(self):
        bomb = BILLION_LAUGHS.replace("<worksheet", "<workbook").replace(
            "</worksheet>", "</workbook>"
        )
        response = self.upload(replace_member(workbook_bytes(), "xl/workbook.xml", bomb))
        assert response.status_code == 200
        assert "This is not a valid workbook" in response.content.decode()

    def test_an_external_entity_is_not_read(self):
        response = self.upload(replace_member(workbook_bytes(), SHEET, EXTERNAL_ENTITY))
        assert response.status_code == 200
        page = response.content.decode()
        assert "This is not a valid workbook" in page and "root:" not in page

    def test_truncated_sheet_xml(self):
        response = self.upload(replace_member(workbook_bytes(), SHEET, TRUNCATED))
        assert response.status_code == 200
        assert "This is not a valid workbook" in response.content.decode()

    def test_a_zip_that_is_not_a_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<document/>")
        response = self.upload(buffer.getvalue())
        assert response.status_code == 200
        assert "This is not a valid workbook" in response.content.decode()
        assert not Action.objects.exists()


class BoundedParsingTests(TestCase):
    """core.uploads.run_bounded: whatever the parser does, this process neither grows nor
    waits past the limits."""

    def test_a_parser_exhausting_memory_is_stopped_at_the_limit(self):
        def allocate():
            return len(bytearray(2 * 1024**3))

        process = psutil.Process(os.getpid())
        before = process.memory_info().rss
        with self.assertRaisesMessage(uploads.UploadRefused, uploads.TOO_LARGE):
            uploads.run_bounded(allocate, memory_bytes=256 * 1024**2)
        assert process.memory_info().rss - before < 100 * 1024 * 1024

    def test_a_parser_running_too_long_is_stopped(self):
        started = time.monotonic()
        with self.assertRaisesMessage(uploads.UploadRefused, uploads.TOO_SLOW):
            uploads.run_bounded(time.sleep, 30, seconds=1)
        assert time.monotonic() - started < 3

    def test_a_result_comes_back(self):
        assert uploads.run_bounded(sorted, [3, 1, 2]) == [1, 2, 3]


class UploadSizeTests(TestCase):
    """An upload over UPLOAD_MAX_BYTES fills neither memory nor disk, and is refused."""

    @classmethod
    def setUpTestData(cls):
        cls.dag = make_group("DAG")
        cls.secretariat = make_user("secretariat", group=cls.dag, role=Role.SECRETARIAT)

    def test_an_oversized_upload_is_kept_only_to_the_limit(self):
        body = b"Ref,Action\n" + b"x" * (3 * 1024 * 1024)
        request = RequestFactory().post(
            URL, {"group": "DAG", "file": SimpleUploadedFile("log.csv", body)}
        )
        with self.settings(UPLOAD_MAX_BYTES=1024 * 1024):
            upload = request.FILES["file"]
            assert upload.size == 1024 * 1024 + 1
            assert len(upload.read()) == 1024 * 1024 + 1

    def test_the_form_says_the_file_is_too_large(self):
        self.client.force_login(self.secretariat)
        body = b"Ref,Action\n" + b"x" * (6 * 1024 * 1024)
        response = self.client.post(
            URL, {"group": "DAG", "file": SimpleUploadedFile("log.csv", body)}
        )
        assert response.status_code == 200
        assert "This file is too large: upload at most 5 MB." in response.content.decode()
        assert not Action.objects.exists()
