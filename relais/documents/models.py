"""Documents handed in by the person (pay slips, notices, IDs), scanned and uploaded.

The file is stored through Django's storage, encrypted with the organisation's data key
(``relais.crypto.keyring.encrypt_bytes``) under a random name: a copy of the media folder
reveals neither the content nor the original file name. Its fingerprint is an HMAC-SHA256
of the plaintext under a per-organisation secret, so duplicates are found inside the
organisation without a stolen database confirming that a known file is held.
"""

from django.conf import settings
from django.db import models

from relais.accounts.models import TenantModel
from relais.cases.models import Case
from relais.crypto.fields import EncryptedTextField
from relais.documents import enums
from relais.people.models import Person
from relais.policy.querysets import DocumentQuerySet, TenantQuerySet

User = settings.AUTH_USER_MODEL


class DocumentTag(TenantModel):
    """A label the service chooses (« dossier FSL », « surendettement 2026 »…)."""

    name = models.CharField("étiquette", max_length=60)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "étiquette"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "public_id"], name="doctag_public_id"),
            models.UniqueConstraint(fields=["organisation", "name"], name="doctag_name"),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("type de document", max_length=32, choices=enums.DocumentKind)
    title = EncryptedTextField("intitulé")
    original_name = EncryptedTextField("nom du fichier déposé")
    document_date = models.DateField("date du document", null=True, blank=True)
    content_type = models.CharField("format", max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField("taille (octets)")
    fingerprint = models.CharField(max_length=64, editable=False)
    storage_name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    tags = models.ManyToManyField(DocumentTag, through="DocumentTagLink", related_name="+")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="document_public_id"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "person", "-created_at"], name="document_person"),
            models.Index(fields=["organisation", "case", "-created_at"], name="document_case"),
            models.Index(fields=["organisation", "fingerprint"], name="document_fingerprint"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """The name offered on download: the uploaded stem, the extension of the real type."""
        stem = (self.original_name or "document").rsplit(".", 1)[0]
        safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in stem).strip() or "document"
        return f"{safe[:80]}.{self.extension}"


class DocumentTagLink(TenantModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(DocumentTag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "document", "tag"], name="doctaglink_unique"
            )
        ]


class FingerprintKey(TenantModel):
    """The organisation's secret for document fingerprints, stored encrypted."""

    key = EncryptedTextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="fingerprintkey_organisation"),
        ]
