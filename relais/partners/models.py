"""The partner directory and the referrals (orientations) made to it.

The directory holds bodies and services, not persons: it is per organisation (national
bodies are copied into each one as data) so that every row stays tenant-scoped. A
referral hangs on a case and carries, encrypted, what is asked and what came back; the
consent recorded with the person says what may leave the team, to whom, until when.

Writes go through ``relais.partners.services``; reads through the policy querysets.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from relais.accounts.models import TenantModel
from relais.cases.models import Case, Task
from relais.crypto.fields import EncryptedTextField
from relais.partners import enums
from relais.people.search import normalise_name
from relais.policy.querysets import CaseScopedQuerySet, PartnerQuerySet, ReferralQuerySet

User = settings.AUTH_USER_MODEL


def _public_id(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["organisation", "public_id"], name=f"{name}_public_id")


class DirectoryImport(TenantModel):
    """One import of a data.inclusion export, run off the request, with its report."""

    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    format = models.CharField("format", max_length=8, choices=enums.ImportFormat)
    structures_name = models.CharField("fichier des structures", max_length=200, blank=True)
    services_name = models.CharField("fichier des services", max_length=200, blank=True)
    # The uploaded files wait here for the worker (another process, maybe another machine);
    # they are public directory data, and are emptied once the import has run.
    structures_payload = models.BinaryField(null=True, blank=True)
    services_payload = models.BinaryField(null=True, blank=True)
    status = models.CharField(
        "état", max_length=16, choices=enums.ImportStatus, default=enums.ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField("lignes à traiter", default=0)
    processed_rows = models.PositiveIntegerField("lignes traitées", default=0)
    created_count = models.PositiveIntegerField("créées", default=0)
    updated_count = models.PositiveIntegerField("mises à jour", default=0)
    unchanged_count = models.PositiveIntegerField("inchangées", default=0)
    rejected_count = models.PositiveIntegerField("rejetées", default=0)
    rejections = models.JSONField("lignes rejetées", default=list, blank=True)
    error = models.TextField("erreur", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "import de l'annuaire"
        constraints = [_public_id("directoryimport")]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="directoryimport_date")
        ]
        ordering = ["-created_at"]

    @property
    def is_finished(self) -> bool:
        return self.status in {enums.ImportStatus.DONE, enums.ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)


class Partner(TenantModel):
    """A body people are oriented to: national (copied as data), local, or imported."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de partenaire", max_length=32, choices=enums.PartnerKind)
    origin = models.CharField(
        "origine", max_length=16, choices=enums.PartnerOrigin, default=enums.PartnerOrigin.LOCAL
    )
    national_code = models.SlugField("code national", max_length=60, blank=True, editable=False)
    typologie = models.CharField(
        "typologie data.inclusion", max_length=40, blank=True, editable=False
    )
    reseaux_porteurs = models.JSONField("réseaux porteurs", default=list, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=120, blank=True)
    insee_code = models.CharField("code INSEE", max_length=5, blank=True)
    phone = models.CharField("téléphone", max_length=32, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("site internet", blank=True)
    description = models.TextField("présentation", blank=True)
    opening_hours = models.CharField("horaires d'accueil", max_length=500, blank=True)
    source = models.CharField("source", max_length=100, blank=True, editable=False)
    source_id = models.CharField("identifiant à la source", max_length=200, blank=True)
    source_updated_on = models.DateField("mis à jour à la source le", null=True, blank=True)
    last_import = models.ForeignKey(
        DirectoryImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField("actif", default=True)
    search_name = models.CharField(max_length=250, editable=False)
    search_city = models.CharField(max_length=120, editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        constraints = [
            _public_id("partner"),
            models.UniqueConstraint(
                fields=["organisation", "national_code"],
                condition=~Q(national_code=""),
                name="partner_national_code",
            ),
            models.UniqueConstraint(
                fields=["organisation", "source", "source_id"],
                condition=~Q(source_id=""),
                name="partner_source_id",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "is_active", "name"], name="partner_name"),
            models.Index(fields=["organisation", "kind"], name="partner_kind"),
            models.Index(fields=["organisation", "search_city"], name="partner_city"),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalise_name(self.name)
        self.search_city = normalise_name(self.city)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "search_city"}
        super().save(*args, **kwargs)

    @property
    def postal_address(self) -> list[str]:
        lines = [self.address, self.address_complement]
        lines.append(f"{self.postal_code} {self.city}".strip())
        return [line for line in lines if line]


class PartnerService(TenantModel):
    """What a partner offers, described with the data.inclusion vocabulary."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="services")
    name = models.CharField("nom du service", max_length=150)
    description = models.TextField("description", blank=True)
    service_type = models.CharField("type de service", max_length=32, blank=True)
    thematiques = models.JSONField("thématiques", default=list, blank=True)
    publics = models.JSONField("publics", default=list, blank=True)
    publics_details = models.CharField("précisions sur les publics", max_length=500, blank=True)
    modes_accueil = models.JSONField("modes d'accueil", default=list, blank=True)
    zone_eligibilite = models.JSONField("zone d'éligibilité", default=list, blank=True)
    fees = models.CharField("frais", max_length=16, blank=True)
    fees_details = models.CharField("précisions sur les frais", max_length=500, blank=True)
    access_conditions = models.TextField("conditions d'accès", blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=120, blank=True)
    insee_code = models.CharField("code INSEE", max_length=5, blank=True)
    phone = models.CharField("téléphone", max_length=32, blank=True)
    email = models.EmailField("e-mail", blank=True)
    contact_name = models.CharField("contact", max_length=150, blank=True)
    mobilisation_url = models.URLField("lien pour mobiliser le service", blank=True)
    modes_mobilisation = models.JSONField("modes de mobilisation", default=list, blank=True)
    mobilisable_par = models.JSONField("mobilisable par", default=list, blank=True)
    mobilisation_details = models.TextField("précisions sur la mobilisation", blank=True)
    opening_hours = models.CharField("horaires d'accueil", max_length=500, blank=True)
    source = models.CharField("source", max_length=100, blank=True, editable=False)
    source_id = models.CharField("identifiant à la source", max_length=200, blank=True)
    source_updated_on = models.DateField("mis à jour à la source le", null=True, blank=True)
    is_active = models.BooleanField("actif", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "service d'un partenaire"
        constraints = [
            _public_id("partnerservice"),
            models.UniqueConstraint(
                fields=["organisation", "source", "source_id"],
                condition=~Q(source_id=""),
                name="partnerservice_source_id",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "partner"], name="partnerservice_partner")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceThematique(TenantModel):
    """One thématique of a service, as a row: searchable the same way on SQLite and PostgreSQL."""

    service = models.ForeignKey(
        PartnerService, on_delete=models.CASCADE, related_name="thematique_links"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=120)
    group = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service", "code"], name="servicethematique_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "code", "partner"], name="servicethematique_code"),
            models.Index(
                fields=["organisation", "group", "partner"], name="servicethematique_group"
            ),
        ]


class Contact(TenantModel):
    """A named person at a partner, whom the workers of the organisation call."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("nom", max_length=150)
    role = models.CharField("fonction", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=32, blank=True)
    email = models.EmailField("e-mail", blank=True)
    notes = models.CharField(
        "à savoir",
        max_length=250,
        blank=True,
        help_text="Jours de permanence, meilleure façon de joindre… (rien sur les personnes).",
    )
    is_active = models.BooleanField("actif", default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "contact"
        constraints = [_public_id("contact")]
        indexes = [models.Index(fields=["organisation", "partner"], name="contact_partner")]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class Referral(TenantModel):
    """An orientation of the person to a partner: prepared, sent, answered, closed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name="partenaire"
    )
    service = models.ForeignKey(
        PartnerService,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="service",
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="à l'attention de",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    request = EncryptedTextField("ce qui est demandé")
    shared_items = models.JSONField("informations transmises", default=list, blank=True)
    status = models.CharField(
        "statut",
        max_length=16,
        choices=enums.ReferralStatus,
        default=enums.ReferralStatus.PREPARED,
    )
    prepared_on = models.DateField("préparée le")
    sent_on = models.DateField("envoyée le", null=True, blank=True)
    in_progress_on = models.DateField("prise en charge le", null=True, blank=True)
    answered_on = models.DateField("réponse le", null=True, blank=True)
    closed_on = models.DateField("close le", null=True, blank=True)
    # The partner's answer outlives the closing of the referral (outcomes by partner).
    decision = models.CharField(
        "réponse du partenaire", max_length=16, choices=enums.ReferralDecision, blank=True
    )
    answer_delay_days = models.PositiveIntegerField("délai de réponse (jours)", null=True)
    expected_answer_on = models.DateField("réponse attendue le", null=True, blank=True)
    emergency_reason = EncryptedTextField(
        "motif de l'envoi sans consentement (urgence)", blank=True
    )
    outcome = EncryptedTextField("résultat", blank=True)
    letter_text = EncryptedTextField("texte du courrier", blank=True)
    chase_task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        constraints = [_public_id("referral")]
        indexes = [
            models.Index(fields=["organisation", "case", "-prepared_on"], name="referral_case"),
            models.Index(fields=["organisation", "created_by", "status"], name="referral_worker"),
            models.Index(fields=["organisation", "partner", "status"], name="referral_partner"),
            models.Index(
                fields=["organisation", "status", "expected_answer_on"], name="referral_due"
            ),
        ]
        ordering = ["-prepared_on", "-id"]

    def __str__(self) -> str:
        return f"Orientation vers {self.partner}"

    @property
    def is_awaiting_answer(self) -> bool:
        return self.status in enums.AWAITING_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.is_awaiting_answer
            and self.expected_answer_on is not None
            and self.expected_answer_on < today
        )

    @property
    def sent_without_consent(self) -> bool:
        return bool(self.emergency_reason)

    def allowed_next_statuses(self) -> frozenset[str]:
        return enums.REFERRAL_TRANSITIONS[self.status]

    def recipient_label(self) -> str:
        return f"{self.partner.name} — {self.service.name}" if self.service else self.partner.name


class Consent(TenantModel):
    """What the person agreed may be passed, to whom, when, until when (CSP R1110-3)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField("consentement donné par", max_length=32, choices=enums.ConsentGiver)
    representative_name = models.CharField("nom du représentant", max_length=150, blank=True)
    items = models.JSONField("informations que la personne accepte de transmettre", default=list)
    recipient = models.CharField("à qui", max_length=400)
    given_on = models.DateField("donné le")
    valid_until = models.DateField("valable jusqu'au")
    form = models.CharField("forme", max_length=16, choices=enums.ConsentForm)
    note = EncryptedTextField("précisions", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "consentement"
        constraints = [
            _public_id("consent"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("given_on")), name="consent_period"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "referral"], name="consent_referral")]
        ordering = ["-given_on", "-id"]

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.withdrawn_on is None and self.given_on <= day <= self.valid_until

    def covers(self, items, day: datetime.date) -> bool:
        """Valid that day, and for every item the worker means to pass."""
        return self.is_valid_on(day) and set(items) <= set(self.items)
