"""Writing to the access log and the change log.

``record_access`` runs after a read; ``record_change`` runs inside the transaction of the
change it records, so a change without its audit row cannot be committed.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from relais.audit.models import (
    AccessAction,
    AccessEvent,
    ChainHead,
    ChangeAction,
    ChangeEvent,
    Stream,
)
from relais.crypto import keyring
from relais.crypto.fields import EncryptedTextField
from relais.policy import rules
from relais.scale.prepared import PreparedInsert

ACCESS_HASHED_FIELDS = (
    "seq",
    "at",
    "user_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "case_id",
    "reason",
    "ip",
)
CHANGE_HASHED_FIELDS = (
    "seq",
    "at",
    "user_id",
    "action",
    "verb",
    "object_type",
    "object_id",
    "person_id",
    "case_id",
    "before",
    "after",
)


def _jsonable(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def row_hash(prev_hash: str, values: dict) -> str:
    payload = json.dumps(
        {key: _jsonable(value) for key, value in values.items()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _append(stream: str, model, hashed_fields, organisation_id: int, values: dict):
    """Append one row to an organisation's chain. Must run inside a transaction."""
    return _append_many(stream, model, hashed_fields, organisation_id, [values])[0]


def _locked_head(organisation_id: int, stream: str) -> tuple[int, int, str]:
    """(id, last_seq, last_hash) of the organisation's chain head, locked until the end of
    the transaction (``FOR UPDATE``; SQLite's transactions here already hold the write
    lock). In SQL written once: every logged read takes this path."""
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, last_seq, last_hash FROM {quote(ChainHead._meta.db_table)}"  # noqa: S608
            f" WHERE organisation_id = %s AND stream = %s{lock}",
            [organisation_id, stream],
        )
        row = cursor.fetchone()
    if row is None:  # the organisation's first event of this stream
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            organisation_id=organisation_id, stream=stream
        )
        row = (head.pk, head.last_seq, head.last_hash)
    return row


def _move_head(head_id: int, seq: int, last_hash: str) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(ChainHead._meta.db_table)}"  # noqa: S608
            " SET last_seq = %s, last_hash = %s WHERE id = %s",
            [seq, last_hash, head_id],
        )


_INSERTS = {AccessEvent: PreparedInsert(AccessEvent), ChangeEvent: PreparedInsert(ChangeEvent)}


def _append_many(stream: str, model, hashed_fields, organisation_id: int, rows: list[dict]):
    """Append rows to an organisation's chain with one lock, one insert and one update,
    whatever their number. Must run inside a transaction."""
    head_id, seq, prev_hash = _locked_head(organisation_id, stream)
    # Microseconds survive every database round trip; anything finer would not.
    at = timezone.now().replace(tzinfo=datetime.UTC)
    instances = []
    for values in rows:
        seq += 1
        values = {**values, "seq": seq, "at": at}
        digest = row_hash(prev_hash, {name: values.get(name) for name in hashed_fields})
        instances.append(
            model(organisation_id=organisation_id, prev_hash=prev_hash, hash=digest, **values)
        )
        prev_hash = digest
    if len(instances) == 1:
        _INSERTS[model](instances[0])
    else:
        model.objects.bulk_create(instances)
    _move_head(head_id, seq, prev_hash)
    return instances


def _ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(getattr(obj, "public_id", obj.pk))


def _person_and_case_ids(obj) -> tuple[int | None, int | None]:
    if obj is None:
        return None, None
    if obj._meta.label_lower == "people.person":
        return obj.pk, None
    if obj._meta.label_lower == "cases.case":
        return obj.person_id, obj.pk
    case_id = getattr(obj, "case_id", None)
    person_id = getattr(obj, "person_id", None)
    return person_id, case_id


def record_access(
    *,
    user,
    organisation_id: int,
    obj=None,
    action: str = AccessAction.VIEW,
    object_type: str = "",
    object_id: str = "",
    person_id: int | None = None,
    case_id: int | None = None,
    reason: str = "",
    ip: str | None = None,
) -> AccessEvent:
    if obj is not None:
        object_type, object_id = _ref(obj)
        obj_person_id, obj_case_id = _person_and_case_ids(obj)
        person_id = person_id or obj_person_id
        case_id = case_id or obj_case_id
    with transaction.atomic():
        return _append(
            Stream.ACCESS,
            AccessEvent,
            ACCESS_HASHED_FIELDS,
            organisation_id,
            {
                "user_id": getattr(user, "pk", None),
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "person_id": person_id,
                "case_id": case_id,
                "reason": reason,
                "ip": ip,
            },
        )


def record_accesses(
    *, user, organisation_id: int, objects, action: str, ip: str | None = None
) -> list[AccessEvent]:
    """Log the reading of several objects at once (a list page, an API page): one chain
    lock and one insert instead of a round of queries per row. ``objects`` yields
    ``(obj, person_id or None)``."""
    rows = []
    for obj, person_id in objects:
        object_type, object_id = _ref(obj)
        obj_person_id, obj_case_id = _person_and_case_ids(obj)
        rows.append(
            {
                "user_id": getattr(user, "pk", None),
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "person_id": person_id or obj_person_id,
                "case_id": obj_case_id,
                "reason": "",
                "ip": ip,
            }
        )
    if not rows:
        return []
    with transaction.atomic():
        return _append_many(Stream.ACCESS, AccessEvent, ACCESS_HASHED_FIELDS, organisation_id, rows)


def client_ip(request) -> str | None:
    # Behind a proxy, the deployment sets REMOTE_ADDR correctly (see docs/deployment.md).
    return request.META.get("REMOTE_ADDR") or None


def record_request_access(request, obj, action: str = AccessAction.VIEW, reason: str = ""):
    """Log a read made through a page or the API by ``request.user``."""
    return record_access(
        user=request.user,
        organisation_id=obj.organisation_id,
        obj=obj,
        action=action,
        reason=reason,
        ip=client_ip(request),
    )


def record_search(request, *, object_type: str, found: int | None = None):
    """Log a search made through a page by ``request.user``: what was looked for, and how
    many results the page showed; the words typed are not kept (they are often a name)."""
    return record_access(
        user=request.user,
        organisation_id=rules.organisation_id(request.user),
        action=AccessAction.SEARCH,
        object_type=object_type,
        reason="" if found is None else f"{found} résultat(s)",
        ip=client_ip(request),
    )


class Sealed(str):
    """A value of an encrypted column: compared in clear, stored in the log encrypted."""


def snapshot(obj, fields: list[str] | None = None) -> dict:
    """The audit view of a row: its concrete fields.

    Values of encrypted columns stay encrypted in the log (the change log must not be
    the place where a stolen database reveals the notes).
    """
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"organisation", "created_at"}:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, EncryptedTextField):
            value = Sealed(value or "")
        elif isinstance(field, models.BinaryField):
            value = "[binaire]"
        data[field.attname] = _jsonable(value)
    return data


@dataclass
class Diff:
    before: dict | None
    after: dict | None


def diff(before: dict | None, after: dict | None) -> Diff:
    """Keep only what changed, so the log stays readable."""
    if before is None or after is None:
        return Diff(before, after)
    changed = {key for key in after if before.get(key) != after.get(key)}
    return Diff(
        {key: before.get(key) for key in sorted(changed)},
        {key: after[key] for key in sorted(changed)},
    )


def _seal(organisation_id: int, data: dict | None) -> dict | None:
    if data is None:
        return None
    return {
        key: keyring.encrypt(organisation_id, value)
        if isinstance(value, Sealed) and value
        else str(value)
        if isinstance(value, Sealed)
        else value
        for key, value in data.items()
    }


def record_change(
    *,
    user,
    verb: str,
    obj,
    before: dict | None = None,
    after: dict | None = None,
    action: str | None = None,
) -> ChangeEvent:
    """Record a change. Call it inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_change must run inside the transaction of the change.")
    if action is None:
        action = (
            ChangeAction.CREATE
            if before is None
            else ChangeAction.DELETE
            if after is None
            else ChangeAction.UPDATE
        )
    changes = diff(before, after)
    object_type, object_id = _ref(obj)
    person_id, case_id = _person_and_case_ids(obj)
    return _append(
        Stream.CHANGE,
        ChangeEvent,
        CHANGE_HASHED_FIELDS,
        obj.organisation_id,
        {
            "user_id": getattr(user, "pk", None),
            "action": action,
            "verb": verb,
            "object_type": object_type,
            "object_id": object_id,
            "person_id": person_id,
            "case_id": case_id,
            "before": _seal(obj.organisation_id, changes.before),
            "after": _seal(obj.organisation_id, changes.after),
        },
    )
