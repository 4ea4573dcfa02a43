"""Input types stricter than pydantic's defaults: ISO 8601 text only, never a number.

Pydantic reads ``0`` as 1970-01-01 (a Unix timestamp); an API that documents ISO 8601
must refuse it, and must refuse a date-time without its time zone.
"""

import datetime
import re
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_text(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise ValueError("Date invalide : format AAAA-MM-JJ attendu.")


def _iso_datetime_text(value):
    if isinstance(value, datetime.datetime | str):
        return value
    raise ValueError("Date et heure invalides : ISO 8601 avec fuseau horaire attendu.")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_text)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime_text)]
