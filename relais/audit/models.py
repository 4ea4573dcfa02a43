"""The access log and the change log: append-only, hash-chained per organisation.

Each row stores the hash of the previous row of the same organisation and stream, and its
own hash over its content and that previous hash. Editing or deleting a row breaks the
chain, which ``relais audit verify`` detects. The application has no code path that
updates or deletes these rows (except the retention purge, which is itself logged); on
PostgreSQL a trigger refuses UPDATE and DELETE.
"""

from django.conf import settings
from django.db import models

from relais.accounts.models import Organisation
from relais.policy.querysets import AccessEventQuerySet


class Stream(models.TextChoices):
    ACCESS = "access", "Consultations"
    CHANGE = "change", "Modifications"


class ChainHead(models.Model):
    """Last sequence number and hash of one organisation's stream (locked while appending)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    stream = models.CharField(max_length=16, choices=Stream)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # After a retention purge, verification starts from here instead of from seq 1.
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "stream"], name="chainhead_stream")
        ]


class AccessAction(models.TextChoices):
    VIEW = "view", "Consultation"
    SEARCH = "search", "Recherche"
    EXPORT = "export", "Export"
    DOWNLOAD = "download", "Téléchargement"
    PRINT = "print", "Impression"
    BREAK_GLASS = "break_glass", "Accès exceptionnel"
    API = "api", "Lecture par l'API"
    SUPERVISION = "supervision", "Supervision (vue pseudonymisée)"


class AccessEvent(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    action = models.CharField(max_length=16, choices=AccessAction)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    # Plain ids (no foreign key): the log must outlive what it talks about.
    person_id = models.BigIntegerField(null=True)
    case_id = models.BigIntegerField(null=True)
    reason = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="accessevent_seq")
        ]
        indexes = [
            # With the user before the moment: "who else consulted this file" skips the
            # reader's own reads (relais.audit.selectors._reads_by_others).
            models.Index(
                fields=["organisation", "person_id", "user", "-at"], name="access_person_user"
            ),
            models.Index(
                fields=["organisation", "case_id", "user", "-at"], name="access_case_user"
            ),
            models.Index(fields=["organisation", "user", "-at"], name="access_user"),
            models.Index(fields=["organisation", "action", "-at"], name="access_action"),
            models.Index(fields=["at"], name="access_at"),
        ]


class ChangeAction(models.TextChoices):
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"


class ChangeEvent(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    action = models.CharField(max_length=16, choices=ChangeAction)
    verb = models.CharField(max_length=64, help_text="The domain action, e.g. case_close.")
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True)
    case_id = models.BigIntegerField(null=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="changeevent_seq")
        ]
        indexes = [
            models.Index(fields=["organisation", "case_id", "-at"], name="change_case"),
            models.Index(fields=["organisation", "person_id", "-at"], name="change_person"),
            models.Index(fields=["organisation", "object_type", "object_id"], name="change_obj"),
        ]
