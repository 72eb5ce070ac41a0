"""CSV and XLSX downloads of a register (the CR status table here, the RAID log in raid)."""

import csv
import datetime
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting like a formula would run as one in a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register_download(fmt, filename, headers, rows):
    """rows: lists of str, int, date or None, in the order of headers."""
    if fmt == "xlsx":
        return _xlsx(filename, headers, rows)
    return _csv(filename, headers, rows)


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(filename, headers, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return _attachment(response, f"{filename}.csv")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _xlsx(filename, headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = filename[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(header) for header in headers]
    for row in rows:
        sheet.append(row)
        for index, cell in enumerate(sheet[sheet.max_row]):
            if cell.data_type == "f":  # text that looks like a formula stays text
                cell.data_type = "s"
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            widths[index] = max(widths[index], min(len(str(cell.value or "")), 60))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), f"{filename}.xlsx")


CR_HEADERS = [
    "Ref",
    "Title",
    "Key detail",
    "Change raiser",
    "Change type",
    "Latest action",
    "Approval status",
    "Current stage",
    "Next action (if approved)",
    "Implementation date/milestone",
    "Change owner",
    "Decided by",
    "Group",
    "Date raised",
    "IA response deadline",
    "Status updated",
]


def cr_rows(change_requests):
    for cr in change_requests:
        yield [
            cr.reference,
            cr.title,
            cr.key_detail,
            cr.raiser_display(),
            cr.get_change_type_display(),
            cr.latest_action,
            cr.get_approval_status_display(),
            cr.get_stage_display(),
            cr.next_action,
            cr.implementation_milestone,
            cr.owner_display(),
            cr.get_decision_body_display(),
            cr.group.code if cr.group else "Programme",
            cr.date_raised,
            cr.ia_deadline,
            cr.status_updated,
        ]
