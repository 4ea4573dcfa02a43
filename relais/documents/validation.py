"""What an uploaded file really is: read from its bytes (magic numbers), never its name.

Scanned documents are PDFs or images. Anything else — a script or a web page renamed
``.pdf``, an office file, an archive — is refused, and so is a PDF carrying active content
(JavaScript, launch actions, embedded files), which a scan never needs.
"""

import re
from dataclasses import dataclass

import filetype
from django.conf import settings

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "image/webp": "webp",
    "image/heic": "heic",
}
ALLOWED_LABEL = "PDF, JPEG, PNG, TIFF, WebP ou HEIC"
# PDF names are case-sensitive; "/JS" must not match "/JSomething" (hence the delimiter).
PDF_ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()]|$)"
)


class RejectedFile(ValueError):
    """The message is French and shown to the user."""


@dataclass
class InspectedFile:
    data: bytes
    content_type: str
    extension: str
    original_name: str


def max_bytes() -> int:
    return settings.RELAIS_DOCUMENT_MAX_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "") + " Mo"


def inspect_upload(uploaded) -> InspectedFile:
    if uploaded.size == 0:
        raise RejectedFile("Le fichier est vide.")
    if uploaded.size > max_bytes():
        raise RejectedFile(
            f"Le fichier fait {_megabytes(uploaded.size)} : la limite est de "
            f"{_megabytes(max_bytes())}. Numérisez-le en qualité « document » ou en "
            "plusieurs parties."
        )
    data = b"".join(uploaded.chunks())
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        found = f" (contenu reconnu : {kind.mime})" if kind is not None else ""
        raise RejectedFile(
            f"Ce fichier n'est pas un document accepté{found} : seuls les formats "
            f"{ALLOWED_LABEL} sont acceptés, d'après leur contenu réel et non leur nom."
        )
    if kind.mime == "application/pdf" and PDF_ACTIVE_CONTENT.search(data):
        raise RejectedFile(
            "Ce PDF contient du contenu actif (script, lancement d'application ou fichier "
            "joint) : il est refusé. Numérisez ou imprimez le document en PDF à nouveau."
        )
    return InspectedFile(
        data=data,
        content_type=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        original_name=(uploaded.name or "document")[:200],
    )
