"""What every endpoint shares: references to users and persons, the role gate, read logging."""

import datetime
import uuid

from django.db.models import Model, QuerySet
from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict

from relais.api.errors import ErrorOut, Forbidden, NotFound
from relais.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from relais.audit.log import client_ip, record_accesses
from relais.audit.models import AccessAction
from relais.policy import rules

# Declared on every operation, so that clients (and schemathesis) know each error shape.
AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
LIST_ERRORS = {**AUTH_ERRORS, 400: ErrorOut, 422: ErrorOut}
DETAIL_ERRORS = {**AUTH_ERRORS, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**AUTH_ERRORS, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class In(Schema):
    """Base of request bodies: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class UserRef(Schema):
    id: uuid.UUID
    name: str


class PersonRef(Schema):
    id: uuid.UUID
    full_name: str


class PageQuery(Schema):
    cursor: str | None = Field(
        None, max_length=500, description="Le `next_cursor` de la page précédente."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Taille de la page.")


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.public_id, "name": user.display_name}


def person_ref(person) -> dict | None:
    if person is None:
        return None
    return {"id": person.public_id, "full_name": person.full_name}


def public_id(obj) -> uuid.UUID | None:
    return obj.public_id if obj is not None else None


def choice(value: str) -> str | None:
    """Blank choice fields read as null: the API never sends an empty enum value."""
    return value or None


def require_role(user, roles) -> None:
    """A role that may never use this resource gets 403; rows it may not see get 404."""
    if not rules.has_role(user, roles):
        raise Forbidden()


def writable(user, visible: QuerySet, editable: QuerySet, public_id) -> Model:
    """The object a write acts on: 404 if the user may not see it, 403 if only see it."""
    row = visible.filter(public_id=public_id).first()
    if row is None:
        raise NotFound()
    if not editable.filter(pk=row.pk).exists():
        raise Forbidden("Vous ne pouvez pas modifier ceci.")
    return row


def log_reads(request, rows) -> None:
    """One access-log row per object of personal data returned (action "api").

    Rows that hang on a case are logged with the case's person too, so that "who read
    my file" finds them. Querysets select_related("case") for this.
    """
    rows = list(rows)
    if not rows:
        return
    record_accesses(
        user=request.user,
        organisation_id=rows[0].organisation_id,
        objects=[(row, _person_id(row)) for row in rows],
        action=AccessAction.API,
        ip=client_ip(request),
    )


def _person_id(row) -> int | None:
    person_id = getattr(row, "person_id", None)
    if person_id is None and getattr(row, "case_id", None) is not None:
        person_id = row.case.person_id
    return person_id


_FIRST_DAY = datetime.date(1900, 1, 1)
_LAST_DAY = datetime.date(2999, 12, 31)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the service's time zone (far dates clamped)."""
    day = min(max(day, _FIRST_DAY), _LAST_DAY)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_end(day: datetime.date) -> datetime.datetime:
    """Midnight at the end of ``day`` (exclusive bound)."""
    return day_start(min(day, _LAST_DAY - datetime.timedelta(days=1)) + datetime.timedelta(days=1))
