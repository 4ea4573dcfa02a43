"""Cell values made safe for spreadsheet programs (formula injection guard)."""

import datetime
import decimal

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Number = int | float | decimal.Decimal


def neutralise(text: str) -> str:
    """Prefix a text that a spreadsheet would run as a formula with an apostrophe.

    Leading spaces are looked through: some programs trim them before deciding.
    """
    if text.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def cell_value(value) -> str | Number | datetime.date | None:
    """What a writer may put in a cell: numbers and dates as such, anything else as safe text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Number | datetime.date):
        return value
    return neutralise(str(value))
