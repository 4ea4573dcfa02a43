"""Files at rest: encrypted with the organisation's data key, under a random name.

Django's default storage holds only ciphertext (``key id | nonce | AES-GCM``); neither the
content nor the original name can be read from the media folder or a backup of it.
"""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from relais.crypto import keyring


def store_encrypted(*, organisation_id: int, folder: str, data: bytes) -> str:
    """Encrypt and store; returns the storage name to keep on the row."""
    name = f"{folder}/{organisation_id}/{uuid.uuid4().hex}.bin"
    return default_storage.save(name, ContentFile(keyring.encrypt_bytes(organisation_id, data)))


def read_decrypted(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return keyring.decrypt_bytes(handle.read())


def delete_stored(name: str) -> None:
    if name:
        default_storage.delete(name)
