"""CSV and XLSX writers for plain tables (a title, a header, rows), and their HTTP response."""

import csv
import datetime
import decimal
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from relais.exports.cells import cell_value

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    # Lines written under the table in XLSX (definitions, legend); never in CSV, whose
    # readers expect one table and nothing else.
    notes: list[str] = field(default_factory=list)


def _csv_text(value) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, float | decimal.Decimal):
        # French spreadsheets read "12,5" as a number when the separator is ";".
        return str(value).replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_bytes(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark and ";" separators: what French Excel opens as-is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(v) for v in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip("' ")[:31] or "Feuille"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _xlsx_cell(ws, value, *, bold: bool = False) -> WriteOnlyCell:
    value = cell_value(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        # openpyxl turns any text starting with "=" into a formula: force plain text.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        ws = workbook.create_sheet(_sheet_title(sheet.title, taken))
        ws.freeze_panes = "A2"
        ws.append([_xlsx_cell(ws, v, bold=True) for v in sheet.header])
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
        if sheet.notes:
            ws.append([])
            for note in sheet.notes:
                ws.append([_xlsx_cell(ws, note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(sheets: list[Sheet], *, fmt: str, filename: str) -> HttpResponse:
    """A download of the sheets: CSV carries the first sheet only, XLSX all of them."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    name = slugify(filename) or "export"
    if fmt == "csv":
        response = HttpResponse(csv_bytes(sheets[0]), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
