"""Input types stricter than pydantic's defaults, each refused with a French message.

- Dates are ISO 8601 text only: pydantic would read ``0`` as 1970-01-01.
- Date-times carry their time zone and stay within years 1000–2999 (the pattern says
  so in the schema), so converting them to UTC can never overflow.
- Texts are valid Unicode without NUL characters: PostgreSQL and the encryption of
  notes refuse both, which would otherwise surface as server errors.
- Amounts are decimal text (« 150.00 »), never binary floating point.
"""

import datetime
import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, WithJsonSchema

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_PATTERN = r"^[12]\d{3}-"
AMOUNT_PATTERN = r"^\d{1,7}(\.\d{1,2})?$"


def _iso_date_text(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise ValueError("Date invalide : format AAAA-MM-JJ attendu.")


def _iso_datetime_text(value):
    if isinstance(value, str) and re.match(DATETIME_PATTERN, value):
        return value
    if isinstance(value, datetime.datetime) and 1000 <= value.year <= 2999:
        return value
    raise ValueError(
        "Date et heure invalides : ISO 8601 avec fuseau horaire attendu, entre les années "
        "1000 et 2999."
    )


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Caractère nul interdit.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Texte invalide (caractères Unicode incomplets).") from None
    return value


def _amount_text(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and re.match(AMOUNT_PATTERN, value):
        return Decimal(value)
    raise ValueError("Montant attendu en texte, par exemple « 150.00 ».")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_text)]
IsoDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_datetime_text),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_amount_text),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "description": "Montant en euros, en texte : « 150.00 ».",
        }
    ),
]


def Text(max_length: int, *, min_length: int = 0):
    return Annotated[
        str,
        Field(max_length=max_length, min_length=min_length),
        AfterValidator(_clean_text),
    ]
