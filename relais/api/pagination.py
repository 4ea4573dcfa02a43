"""Keyset pagination: stable when rows are added while a client walks the pages.

A page is ``{"items": [...], "next_cursor": "..." | null}``. The cursor is opaque to
clients; it holds the sort it was made for and the sort key and ``public_id`` of the last
row returned, and the next page starts strictly after them. Rows inserted meanwhile
appear in their place in the order, never twice, and never shift a page.
"""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from ninja import Schema

from relais.api.errors import ApiError

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class InvalidCursor(ApiError):
    status = 400
    code = "invalid_cursor"
    message = "Curseur de pagination invalide : reprenez la liste depuis le début."

    def __init__(self):
        super().__init__(fields={"cursor": [self.message]})


@dataclass(frozen=True)
class Sort:
    name: str  # the value of ?sort=, without the "-"
    field: str  # the model field it orders by (never null, never encrypted)


def _encode(sort: str, value, public_id) -> str:
    payload = json.dumps(
        {
            "s": sort,
            "v": value.isoformat() if hasattr(value, "isoformat") else value,
            "i": str(public_id),
        },
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(cursor: str, sort: str, model, field: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(data, dict) or data.get("s") != sort:
            raise InvalidCursor()
        value = model._meta.get_field(field).to_python(data["v"])
        if value is None:
            raise InvalidCursor()
        return value, uuid.UUID(str(data["i"]))
    except InvalidCursor:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error) as exc:
        raise InvalidCursor() from exc


def paginate(
    queryset: QuerySet,
    *,
    sort: str,
    sorts: dict[str, str],
    cursor: str | None,
    limit: int,
) -> tuple[list, str | None]:
    """Return one page of ``queryset`` ordered by ``sort`` (e.g. "-occurred_at")."""
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    field = sorts[name]
    direction = "-" if descending else ""
    queryset = queryset.order_by(f"{direction}{field}", f"{direction}public_id")
    if cursor:
        value, public_id = _decode(cursor, sort, queryset.model, field)
        op = "lt" if descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"public_id__{op}": public_id})
        )
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode(sort, _attr(last, field), last.public_id)
    return rows, next_cursor


def _attr(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


_page_models: dict[type, type] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The page schema of ``item`` (one per item schema, named after it)."""
    if item not in _page_models:
        name = item.__name__.removesuffix("Out") + "Page"
        _page_models[item] = type(
            name,
            (Schema,),
            {
                "__annotations__": {"items": list[item], "next_cursor": str | None},
                "__doc__": "Une page de résultats ; `next_cursor` mène à la suivante.",
            },
        )
    return _page_models[item]
