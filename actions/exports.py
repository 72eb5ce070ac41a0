"""The action register as CSV or Excel, with the columns of the papers' action tables.

The importer (actions/importer.py) reads the same columns back, so an exported log can be
imported elsewhere as it is.
"""

import csv
import datetime
import io

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import DueKind

HEADERS = [
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
WIDTHS = [12, 12, 24, 60, 28, 12, 18, 60, 12]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting like a formula would run as one in a spreadsheet (CSV injection); the
# importer removes the quote again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def action_rows(actions):
    """Rows of HEADERS; `actions` come from Action.objects.for_list() (owners prefetched,
    the latest update annotated). Read in chunks, so a large register is not held in memory."""
    for action in actions.iterator(chunk_size=CHUNK):
        yield [
            action.reference,
            action.date_raised,
            action.area,
            action.text,
            action.owner_display(),
            action.due_date if action.due_kind == DueKind.DATE else action.get_due_kind_display(),
            action.get_status_display(),
            action.latest_update_text or "",
            action.latest_update_date,
        ]


def csv_response(filename, rows):
    """Streamed, so the first bytes leave before the last rows are read."""

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # so Excel reads the file as UTF-8
        for row in [HEADERS, *([_csv_cell(value) for value in row] for row in rows)]:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_response(filename, rows):
    """A write-only workbook: rows go straight to the file instead of a sheet in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, header, bold) for header in HEADERS])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _header_cell(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"
    elif cell.data_type == "f":  # text that looks like a formula stays text
        cell.data_type = "s"
    return cell
