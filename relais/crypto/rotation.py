"""Key rotation, without downtime.

Master key (wraps the data keys; lives outside the database):
  1. put the new key first in RELAIS_MASTER_KEYS (or the key file), keep the old one
     after it, restart the app servers one by one: every process can now unwrap with
     either key, and new data keys are wrapped with the new one;
  2. ``relais crypto rotate-master`` re-wraps every data key with the new master key,
     a few rows per transaction; the data itself is not touched, the running processes
     keep their unwrapped keys in memory;
  3. remove the old master key once no data key and no backup you may restore needs it.

Data key (encrypts the rows of one organisation):
  ``relais crypto rotate-data-key --organisation …`` creates a new data key; every
  process writes with it within RELAIS_DATA_KEY_CACHE_SECONDS. Old rows stay readable
  (the key id travels with each ciphertext). ``--reencrypt`` then rewrites the existing
  encrypted columns with the new key, in batches. Values sealed in the change log are
  never rewritten (they are hash-chained), so old data keys are kept, never deleted.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from relais.audit.log import record_change
from relais.audit.models import ChangeAction
from relais.crypto import keyring
from relais.crypto.fields import EncryptedTextField
from relais.crypto.models import DataKey

REWRAP_BATCH = 100
REENCRYPT_BATCH = 500


def master_key_usage() -> dict[str, int]:
    """Number of data keys wrapped by each master key id (configured ones listed at 0)."""
    usage = dict.fromkeys(keyring.master_keys(), 0)
    for row in DataKey.objects.values("master_key_id").annotate(n=models.Count("pk")):
        usage[row["master_key_id"]] = row["n"]
    return usage


def rotate_master(*, target_master_key_id: str | None = None, batch: int = REWRAP_BATCH) -> int:
    """Re-wrap every data key not yet wrapped by the target (default: the first) master key."""
    target = target_master_key_id or next(iter(keyring.master_keys()))
    if target not in keyring.master_keys():
        raise ValueError(f"Clé maîtresse {target} absente de la configuration.")
    count = 0
    while True:
        with transaction.atomic():
            rows = list(
                DataKey.objects.select_for_update()
                .exclude(master_key_id=target)
                .order_by("pk")[:batch]
            )
            if not rows:
                return count
            for row in rows:
                previous = row.master_key_id
                keyring.rewrap(row, target)
                row.save(update_fields=["wrapped_key", "master_key_id"])
                record_change(
                    user=None,
                    verb="data_key_rewrap",
                    obj=row,
                    before={"master_key_id": previous},
                    after={"master_key_id": target},
                    action=ChangeAction.UPDATE,
                )
            count += len(rows)


@transaction.atomic
def rotate_data_key(*, organisation_id: int) -> DataKey:
    previous = keyring.current_key_id(organisation_id)
    row = keyring.create_data_key(organisation_id)
    record_change(
        user=None,
        verb="data_key_rotate",
        obj=row,
        before={"data_key": previous},
        after={"data_key": row.pk, "master_key_id": row.master_key_id},
        action=ChangeAction.CREATE,
    )
    return row


def encrypted_columns() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted columns, and those columns (tenant models only)."""
    found = []
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


@dataclass
class ReencryptReport:
    rows_seen: int = 0
    values_rewritten: int = 0
    by_model: dict[str, int] = field(default_factory=dict)


def reencrypt_organisation(
    *, organisation_id: int, batch: int = REENCRYPT_BATCH, progress=None
) -> ReencryptReport:
    """Rewrite the organisation's encrypted values that use an older data key."""
    key_id = keyring.current_key_id(organisation_id)
    report = ReencryptReport()
    for model, columns in encrypted_columns():
        raw = {f"raw_{name}": Cast(name, models.TextField()) for name in columns}
        rows = model._base_manager.filter(organisation_id=organisation_id).order_by("pk")
        last_pk = 0
        rewritten = 0
        while True:
            with transaction.atomic():
                page = list(
                    rows.filter(pk__gt=last_pk)
                    .select_for_update()
                    .annotate(**raw)
                    .values("pk", *raw)[:batch]
                )
                for row in page:
                    changes = {}
                    for name in columns:
                        token = row[f"raw_{name}"]
                        if token and keyring.key_id_of(token) != key_id:
                            changes[name] = keyring.encrypt(organisation_id, keyring.decrypt(token))
                    if changes:
                        model._base_manager.filter(pk=row["pk"]).update(**changes)
                        rewritten += len(changes)
            if not page:
                break
            last_pk = page[-1]["pk"]
            report.rows_seen += len(page)
            if progress:
                progress(model, report.rows_seen)
        report.values_rewritten += rewritten
        report.by_model[model._meta.label] = rewritten
    return report
