"""Envelope encryption: AES-256-GCM data keys per organisation, wrapped by master keys.

Ciphertext format (text, so it fits a TextField on every database):
    "rx1:" + urlsafe_b64(data_key_id as 8 bytes | 12-byte nonce | ciphertext+tag)
The data key id travels with the ciphertext, so decryption needs no other context and
old ciphertexts stay readable after a data key rotation.
"""

import base64
import os
import threading
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "rx1:"
_lock = threading.Lock()
_aead_by_key_id: dict[int, AESGCM] = {}
# organisation id → (current data key id, when it was read): re-read after
# RELAIS_DATA_KEY_CACHE_SECONDS so that every process follows a data key rotation.
_current_key_id_by_org: dict[int, tuple[int, float]] = {}


class Ciphertext(str):
    """A string already encrypted: safe to write to the database as is."""


def master_keys() -> dict[str, bytes]:
    """Master keys by id; the first one listed is the one used to wrap new data keys."""
    spec = settings.RELAIS_MASTER_KEYS
    if not spec and settings.RELAIS_MASTER_KEY_FILE.exists():
        spec = settings.RELAIS_MASTER_KEY_FILE.read_text()
    keys: dict[str, bytes] = {}
    for item in spec.replace("\n", ",").split(","):
        if not item.strip():
            continue
        key_id, _, encoded = item.strip().partition(":")
        key = base64.urlsafe_b64decode(encoded)
        if len(key) != 32:
            raise ImproperlyConfigured(f"La clé maîtresse {key_id} doit faire 32 octets.")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured(
            "Aucune clé maîtresse : définir RELAIS_MASTER_KEYS ou créer le fichier "
            f"{settings.RELAIS_MASTER_KEY_FILE} (manage.py crypto init)."
        )
    return keys


def generate_master_key_line(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def _wrap(data_key: bytes, master_key_id: str, organisation_id: int) -> bytes:
    nonce = os.urandom(12)
    aad = f"datakey:{organisation_id}".encode()
    return nonce + AESGCM(master_keys()[master_key_id]).encrypt(nonce, data_key, aad)


def _unwrap(wrapped: bytes, master_key_id: str, organisation_id: int) -> bytes:
    keys = master_keys()
    if master_key_id not in keys:
        raise ImproperlyConfigured(f"Clé maîtresse {master_key_id} introuvable.")
    aad = f"datakey:{organisation_id}".encode()
    return AESGCM(keys[master_key_id]).decrypt(wrapped[:12], wrapped[12:], aad)


def create_data_key(organisation_id: int):
    """Make a new data key for the organisation; new writes use it from now on."""
    from relais.crypto.models import DataKey

    master_key_id = next(iter(master_keys()))
    data_key = AESGCM.generate_key(bit_length=256)
    row = DataKey.objects.create(
        organisation_id=organisation_id,
        wrapped_key=_wrap(data_key, master_key_id, organisation_id),
        master_key_id=master_key_id,
    )
    with _lock:
        _aead_by_key_id[row.pk] = AESGCM(data_key)
        _current_key_id_by_org[organisation_id] = (row.pk, time.monotonic())
    return row


def rewrap_all(target_master_key_id: str | None = None) -> int:
    """Re-wrap every data key with the current (first) master key. Data is untouched.

    See ``relais.crypto.rotation.rotate_master`` for the audited, batched command.
    """
    from relais.crypto.rotation import rotate_master

    return rotate_master(target_master_key_id=target_master_key_id)


def rewrap(row, target_master_key_id: str) -> None:
    """Wrap one data key with another master key (the caller saves the row)."""
    data_key = _unwrap(bytes(row.wrapped_key), row.master_key_id, row.organisation_id)
    row.wrapped_key = _wrap(data_key, target_master_key_id, row.organisation_id)
    row.master_key_id = target_master_key_id


def _aead(key_id: int) -> AESGCM:
    aead = _aead_by_key_id.get(key_id)
    if aead is None:
        from relais.crypto.models import DataKey

        row = DataKey.objects.get(pk=key_id)
        aead = AESGCM(_unwrap(bytes(row.wrapped_key), row.master_key_id, row.organisation_id))
        with _lock:
            _aead_by_key_id[key_id] = aead
    return aead


def _current_key_id(organisation_id: int) -> int:
    cached = _current_key_id_by_org.get(organisation_id)
    ttl = getattr(settings, "RELAIS_DATA_KEY_CACHE_SECONDS", 60)
    if cached is not None and time.monotonic() - cached[1] < ttl:
        return cached[0]
    from relais.crypto.models import DataKey

    key_id = (
        DataKey.objects.filter(organisation_id=organisation_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if key_id is None:
        key_id = create_data_key(organisation_id).pk
    with _lock:
        _current_key_id_by_org[organisation_id] = (key_id, time.monotonic())
    return key_id


def encrypt(organisation_id: int, plaintext: str) -> Ciphertext:
    key_id = _current_key_id(organisation_id)
    nonce = os.urandom(12)
    sealed = _aead(key_id).encrypt(nonce, plaintext.encode(), key_id.to_bytes(8, "big"))
    token = base64.urlsafe_b64encode(key_id.to_bytes(8, "big") + nonce + sealed).decode()
    return Ciphertext(PREFIX + token)


def key_id_of(token: str) -> int:
    """The data key a ciphertext was sealed with (read from its header, no decryption)."""
    if not token.startswith(PREFIX):
        raise ValueError("Valeur non chiffrée trouvée dans une colonne chiffrée.")
    return int.from_bytes(base64.urlsafe_b64decode(token[len(PREFIX) :])[:8], "big")


def current_key_id(organisation_id: int) -> int:
    return _current_key_id(organisation_id)


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("Valeur non chiffrée trouvée dans une colonne chiffrée.")
    raw = base64.urlsafe_b64decode(token[len(PREFIX) :])
    key_id_bytes, nonce, sealed = raw[:8], raw[8:20], raw[20:]
    key_id = int.from_bytes(key_id_bytes, "big")
    return _aead(key_id).decrypt(nonce, sealed, key_id_bytes).decode()


def encrypt_bytes(organisation_id: int, data: bytes) -> bytes:
    """For uploaded files: same scheme, binary framing (key id | nonce | sealed)."""
    key_id = _current_key_id(organisation_id)
    nonce = os.urandom(12)
    sealed = _aead(key_id).encrypt(nonce, data, key_id.to_bytes(8, "big"))
    return key_id.to_bytes(8, "big") + nonce + sealed


def decrypt_bytes(blob: bytes) -> bytes:
    key_id_bytes, nonce, sealed = blob[:8], blob[8:20], blob[20:]
    return _aead(int.from_bytes(key_id_bytes, "big")).decrypt(nonce, sealed, key_id_bytes)


def forget_cached_keys() -> None:
    """Drop unwrapped keys from memory (tests, and after a rotation in this process)."""
    with _lock:
        _aead_by_key_id.clear()
        _current_key_id_by_org.clear()
