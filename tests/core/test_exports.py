"""core.exports, the one writer of every register's download: header row, UK dates, text
that a spreadsheet would run as a formula kept as text (OWASP's leading quote), CSV streamed
and a workbook that reads back with openpyxl."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from core.exports import Column, download

COLUMNS = [Column("Ref", 10), Column("Text", 40), Column("Count"), Column("Date", 12)]
DANGEROUS = ["=1+2", "+44 20 7946", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"]


def read_csv(response):
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def read_sheet(response, name="Things"):
    return load_workbook(io.BytesIO(response.content))[name]


def export(fmt, rows):
    return download(fmt, filename="things-2024-06-04", sheet="Things", columns=COLUMNS, rows=rows)


def test_csv_has_the_header_row_uk_dates_and_the_file_name():
    rows = [
        ["A1", "Plain text", 3, datetime.date(2024, 6, 4)],
        ["A2", "", -5, datetime.datetime(2023, 10, 11, 14, 30)],
        ["A3", None, None, None],
    ]
    response = export("csv", rows)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="things-2024-06-04.csv"'
    assert read_csv(response) == [
        ["Ref", "Text", "Count", "Date"],
        ["A1", "Plain text", "3", "04/06/2024"],
        ["A2", "", "-5", "11/10/2023"],
        ["A3", "", "", ""],
    ]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_quotes_text_starting_like_a_formula(text):
    rows = read_csv(export("csv", [["A1", text, -1, None]]))

    assert rows[1][1] == "'" + text
    assert rows[1][2] == "-1"  # a negative number is a number, not a formula


@pytest.mark.parametrize("text", ["a=b", "Programme (Paul Pettitt & Lee Cox)", " =1", "'quoted"])
def test_csv_leaves_other_text_as_written(text):
    assert read_csv(export("csv", [["A1", text, 0, None]]))[1][1] == text


def test_csv_is_streamed_rows_read_as_it_is_sent():
    read = []

    def rows():
        for number in range(3):
            read.append(number)
            yield [f"A{number}", "", number, None]

    response = export("csv", rows())

    assert response.streaming and read == []
    assert len(read_csv(response)) == 4 and read == [0, 1, 2]


def test_xlsx_has_a_bold_frozen_header_real_dates_and_widths():
    rows = [
        ["A1", "Plain text", 3, datetime.date(2024, 6, 4)],
        ["A2", None, None, None],
    ]
    response = export("xlsx", rows)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="things-2024-06-04.xlsx"'
    sheet = read_sheet(response)
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Ref", "Text", "Count", "Date"),
        ("A1", "Plain text", 3, datetime.datetime(2024, 6, 4)),
        ("A2", None, None, None),
    ]
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["D2"].number_format == "DD/MM/YYYY"
    assert (sheet.column_dimensions["B"].width, sheet.column_dimensions["C"].width) == (40, 14)


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_keeps_text_starting_like_a_formula_as_quoted_text(text):
    sheet = read_sheet(export("xlsx", [["A1", text, -1, None]]))

    # Excel's own leading quote: the text shows as written and is never a formula.
    # openpyxl writes with lxml (installed for python-docx), which escapes a CR as &#13;, so
    # even a carriage return reads back as written.
    assert sheet["B2"].value == text
    assert (sheet["B2"].data_type, sheet["B2"].quotePrefix) == ("s", True)
    assert (sheet["C2"].value, sheet["C2"].data_type) == (-1, "n")


def test_xlsx_leaves_other_text_as_written():
    sheet = read_sheet(export("xlsx", [["A1", "a=b", 0, None]]))

    assert (sheet["B2"].value, sheet["B2"].quotePrefix) == ("a=b", False)
