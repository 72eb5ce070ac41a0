"""Every register's download, as CSV or Excel: one way to write them.

A register supplies its columns and its rows (lists of str, int, date or None in the order
of the columns); this module writes the header row, UK dates and text a spreadsheet will not
run as a formula. The CSV is streamed, so the first rows leave before the last are read; the
workbook is write-only, so its rows go to a temporary file rather than a sheet in memory.
Registers read their rows with QuerySet.iterator(chunk_size=...) for the same reason.
"""

import csv
import datetime
from typing import NamedTuple

from django.http import HttpResponse, StreamingHttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text starting like a formula would run as one when the file is opened (CSV injection):
# OWASP's advice is a leading single quote. In CSV the quote is written (the action importer
# strips it again); in Excel the cell gets the quote prefix Excel itself sets when one types
# '=..., so the text shows as written and stays text when edited.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UK_DATE = "%d/%m/%Y"


class Column(NamedTuple):
    header: str
    width: int = 14  # characters, in the workbook


def download(fmt, *, filename, sheet, columns, rows):
    """The rows as an attachment `filename`.csv or `filename`.xlsx (a sheet named `sheet`)."""
    if fmt == "xlsx":
        return xlsx_response(filename=filename, sheet=sheet, columns=columns, rows=rows)
    return csv_response(filename=filename, columns=columns, rows=rows)


def neutralise(value):
    """Text a spreadsheet will show as written, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime(UK_DATE)
    return neutralise(value)


class _Echo:
    """The csv writer's file: writerow() returns the line instead of storing it."""

    def write(self, line):
        return line


def csv_response(*, filename, columns, rows):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so Excel reads the file as UTF-8
        yield writer.writerow([column.header for column in columns])
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        cell.quotePrefix = True
    return cell


def xlsx_response(*, filename, sheet, columns, rows):
    # openpyxl (about 20 MB with lxml) is imported by the first download, not by every
    # web and worker process that loads the URLs (docs/benchmarks.md: the minutes PDF's
    # memory in a worker).
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = [xlsx_cell(worksheet, column.header) for column in columns]
    for cell in header:
        cell.font = bold
    worksheet.append(header)
    for row in rows:
        worksheet.append([xlsx_cell(worksheet, value) for value in row])
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response
