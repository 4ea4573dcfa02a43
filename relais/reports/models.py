"""Social reports (rapport social, évaluation, note sociale, courrier, information
préoccupante), their versions, and the person's copy of their file.

A report hangs on a case and is seen by those who see the case. Every save is a new
``ReportVersion``; finalising signs the latest version (author and date) and locks the
report; an amendment reopens it and the next versions are signed again. Bodies, titles
and the person's opinion are encrypted at rest.
"""

import json

from django.conf import settings
from django.db import models

from relais.accounts.models import TenantModel
from relais.cases.models import Case
from relais.crypto.fields import EncryptedTextField
from relais.people.models import Person
from relais.policy.querysets import (
    PersonFileCopyQuerySet,
    ReportQuerySet,
    ReportVersionQuerySet,
    TenantQuerySet,
)
from relais.reports import enums

User = settings.AUTH_USER_MODEL


def _public_id(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["organisation", "public_id"], name=f"{name}_public_id")


class ReportTemplate(TenantModel):
    """A kind of writing the service uses, with its sections; seeded as data, renamable."""

    code = models.SlugField("code", max_length=80)
    kind = models.CharField("nature", max_length=32, choices=enums.ReportKind)
    name = models.CharField("nom", max_length=150)
    description = models.TextField("à quoi il sert", blank=True)
    # [{"key": "household", "title": "Composition du foyer", "help": "…", "prefill": "household"}]
    sections = models.JSONField("sections", default=list)
    person_opinion_label = models.CharField(
        "intitulé de l'avis de la personne",
        max_length=150,
        blank=True,
        help_text="Vide : ce modèle n'a pas de champ pour l'avis de la personne.",
    )
    default_recipient = models.CharField("destinataire habituel", max_length=250, blank=True)
    is_active = models.BooleanField("actif", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "modèle de rapport"
        verbose_name_plural = "modèles de rapport"
        constraints = [
            _public_id("reporttemplate"),
            models.UniqueConstraint(fields=["organisation", "code"], name="reporttemplate_code"),
        ]
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Report(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("nature", max_length=32, choices=enums.ReportKind)
    title = EncryptedTextField("titre")
    recipient = EncryptedTextField(
        "destinataire", blank=True, help_text="À qui ce document est adressé, s'il l'est."
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "statut", max_length=16, choices=enums.ReportStatus, default=enums.ReportStatus.DRAFT
    )
    latest_version = models.ForeignKey(
        "ReportVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )
    signed_version = models.ForeignKey(
        "ReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="La dernière version signée.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport"
        constraints = [_public_id("report")]
        indexes = [
            models.Index(fields=["organisation", "case", "-created_at"], name="report_case"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.title}"

    @property
    def is_locked(self) -> bool:
        return self.status == enums.ReportStatus.FINAL


class ReportVersion(TenantModel):
    """One saved state of a report. Never changed once written, except its signature and
    the dates it was read to / given to the person, set on the signed version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # JSON {"section key": "markdown text"}, encrypted as a whole.
    body = EncryptedTextField("contenu")
    person_opinion = EncryptedTextField("avis de la personne", blank=True)
    amendment_reason = EncryptedTextField("motif de l'amendement", blank=True)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField("signé le", null=True, blank=True)
    read_to_person_on = models.DateField("lu à la personne le", null=True, blank=True)
    copy_given_on = models.DateField("copie remise le", null=True, blank=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version de rapport"
        constraints = [
            _public_id("reportversion"),
            models.UniqueConstraint(
                fields=["organisation", "report", "number"], name="reportversion_number"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "report", "-number"], name="reportversion_report"),
        ]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def sections(self) -> dict[str, str]:
        return json.loads(self.body or "{}")

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class PersonFileCopy(TenantModel):
    """The person's copy of their file (RGPD art. 15, CASF L311-3): reviewed, then produced.

    The produced PDF and JSON are stored encrypted, like uploaded documents, so that what
    was handed over can be proven and handed again.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "statut", max_length=16, choices=enums.CopyStatus, default=enums.CopyStatus.REVIEW
    )
    produced_at = models.DateTimeField("produite le", null=True, blank=True)
    pdf_file = models.CharField(max_length=200, blank=True, editable=False)
    json_file = models.CharField(max_length=200, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(default=0)
    json_size = models.PositiveIntegerField(default=0)

    objects = PersonFileCopyQuerySet.as_manager()

    class Meta:
        verbose_name = "copie du dossier"
        verbose_name_plural = "copies du dossier"
        constraints = [_public_id("personfilecopy")]
        indexes = [
            models.Index(fields=["organisation", "person", "-created_at"], name="copy_person"),
        ]
        ordering = ["-created_at"]


class CopyRedaction(TenantModel):
    """A passage (or a whole item) about a third party withheld from the person's copy.

    The copy lists each redaction by number, place and reason, never its content.
    """

    person_copy = models.ForeignKey(
        PersonFileCopy, on_delete=models.CASCADE, related_name="redactions"
    )
    number = models.PositiveSmallIntegerField()
    # Which text: an item key from relais.reports.person_file (e.g. "note:<uuid>:body").
    item_key = models.CharField(max_length=200)
    item_label = models.CharField("élément", max_length=250)
    excerpt = EncryptedTextField(
        "passage retiré", blank=True, help_text="Vide : tout le texte de l'élément est retiré."
    )
    reason = models.CharField("motif", max_length=16, choices=enums.RedactionReason)
    justification = EncryptedTextField("précision")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "occultation"
        constraints = [
            _public_id("copyredaction"),
            models.UniqueConstraint(
                fields=["organisation", "person_copy", "number"], name="copyredaction_number"
            ),
        ]
        ordering = ["number"]
