import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from relais.exports.cells import neutralise
from relais.exports.tabular import Sheet, csv_bytes, export_response, xlsx_bytes

DANGEROUS = ["=1+1", "+33 6 12", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", "  =HYPERLINK(x)"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_it_neutralises_text_a_spreadsheet_would_run(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Madame", "Médecin du travail", "1 + 1", "a=b", ""])
def test_it_leaves_ordinary_text_alone(text):
    assert neutralise(text) == text


def test_csv_is_semicolon_separated_utf8_with_bom_and_guarded():
    sheet = Sheet("T", ["Libellé", "Nombre", "Part"], [["=cmd|' /C calc'!A0", 3, Decimal("12.5")]])
    data = csv_bytes(sheet)
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Libellé;Nombre;Part"
    assert lines[1] == "'=cmd|' /C calc'!A0;3;12,5"


def test_numbers_stay_numbers_even_when_negative():
    sheet = Sheet("T", ["a"], [[-3]])
    assert csv_bytes(sheet).decode("utf-8-sig").splitlines()[1] == "-3"


def test_xlsx_cells_are_text_never_formulas():
    sheet = Sheet("Demandes: 2025/T1", ["Libellé", "Nombre"], [[t, 1] for t in DANGEROUS])
    sheet.notes = ["=note"]
    workbook = load_workbook(io.BytesIO(xlsx_bytes([sheet])))
    ws = workbook.active
    assert ws.title == "Demandes  2025 T1"
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = [ws.cell(row=i + 2, column=1).value for i in range(len(DANGEROUS))]
    assert values == ["'" + t for t in DANGEROUS]
    assert ws.cell(row=2, column=2).value == 1
    assert ws.cell(row=len(DANGEROUS) + 3, column=1).value == "'=note"


def test_xlsx_sheet_titles_are_unique_and_short():
    sheets = [Sheet("Un titre beaucoup trop long pour un onglet", ["a"]) for _ in range(2)]
    workbook = load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert len(set(workbook.sheetnames)) == 2
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_the_response_is_a_download_with_a_safe_name():
    response = export_response([Sheet("T", ["a"])], fmt="csv", filename="Stats 2025 / équipe")
    assert response["Content-Disposition"] == 'attachment; filename="stats-2025-equipe.csv"'
    assert response["Content-Type"].startswith("text/csv")
    with pytest.raises(ValueError):
        export_response([Sheet("T", ["a"])], fmt="exe", filename="x")
