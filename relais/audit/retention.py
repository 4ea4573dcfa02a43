"""Retention of the access log (CNIL: about one year), without breaking the hash chain.

The purge removes the oldest rows of each organisation's access chain, in batches. In
the same transaction as each batch it moves the chain's anchor to the last purged row
(so that verification starts from there), and writes what it purged to the change log.
On PostgreSQL the append-only trigger lets these DELETEs through only while the
transaction-local setting ``relais.audit_purge`` is on.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from relais.audit.log import CHANGE_HASHED_FIELDS, _append
from relais.audit.models import (
    AccessEvent,
    ChainHead,
    ChangeAction,
    ChangeEvent,
    Stream,
)

ACCESS_LOG_RETENTION = datetime.timedelta(days=365)
PURGE_BATCH = 20_000


@dataclass
class PurgeReport:
    organisation_id: int
    rows: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    batches: int = 0


def default_cutoff() -> datetime.datetime:
    return timezone.now() - ACCESS_LOG_RETENTION


def _set_purge_flag(on: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('relais.audit_purge', %s, true)", ["on" if on else "off"]
            )


@transaction.atomic
def _purge_batch(
    head_pk: int, before: datetime.datetime, batch: int
) -> tuple[int, int, int] | None:
    """Purge up to ``batch`` rows older than ``before`` from one chain; None when done."""
    head = ChainHead.objects.select_for_update().get(pk=head_pk)
    upper = (
        AccessEvent.objects.filter(
            organisation_id=head.organisation_id,
            seq__gt=head.anchor_seq,
            seq__lte=head.anchor_seq + batch,
            at__lt=before,
        )
        .order_by("-seq")
        .values("seq", "hash")
        .first()
    )
    if upper is None:
        return None
    first_seq = head.anchor_seq + 1
    doomed = AccessEvent.objects.filter(organisation_id=head.organisation_id, seq__lte=upper["seq"])
    _set_purge_flag(True)
    rows = doomed.delete()[0]
    ChainHead.objects.filter(pk=head.pk).update(anchor_seq=upper["seq"], anchor_hash=upper["hash"])
    _set_purge_flag(False)
    _append(
        Stream.CHANGE,
        ChangeEvent,
        CHANGE_HASHED_FIELDS,
        head.organisation_id,
        {
            "user_id": None,
            "action": ChangeAction.DELETE,
            "verb": "access_log_purge",
            "object_type": "audit.accessevent",
            "object_id": f"{first_seq}-{upper['seq']}",
            "person_id": None,
            "case_id": None,
            "before": {
                "rows": rows,
                "first_seq": first_seq,
                "last_seq": upper["seq"],
                "last_hash": upper["hash"],
            },
            "after": {"older_than": before.astimezone(datetime.UTC).isoformat()},
        },
    )
    return rows, first_seq, upper["seq"]


def purge_access_log(
    *,
    before: datetime.datetime | None = None,
    organisation_id: int | None = None,
    batch: int = PURGE_BATCH,
    dry_run: bool = False,
) -> list[PurgeReport]:
    before = before or default_cutoff()
    heads = ChainHead.objects.filter(stream=Stream.ACCESS).order_by("organisation_id")
    if organisation_id is not None:
        heads = heads.filter(organisation_id=organisation_id)
    reports = []
    for head in heads:
        report = PurgeReport(head.organisation_id)
        if dry_run:
            old = AccessEvent.objects.filter(
                organisation_id=head.organisation_id, seq__gt=head.anchor_seq, at__lt=before
            )
            report.rows = old.count()
            if report.rows:
                report.first_seq = head.anchor_seq + 1
                report.last_seq = old.order_by("-seq").values_list("seq", flat=True).first()
        else:
            while (done := _purge_batch(head.pk, before, batch)) is not None:
                rows, first_seq, last_seq = done
                report.rows += rows
                report.first_seq = report.first_seq or first_seq
                report.last_seq = last_seq
                report.batches += 1
        reports.append(report)
    return reports


def purge_login_log(*, before: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Successful and failed logins recorded by django-axes: same retention."""
    from axes.models import AccessFailureLog, AccessLog

    before = before or default_cutoff()
    total = 0
    for model in (AccessLog, AccessFailureLog):
        rows = model.objects.filter(attempt_time__lt=before)
        total += rows.count() if dry_run else rows.delete()[0]
    return total
