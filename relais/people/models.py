"""The persons a service supports, and their households.

Only the last name is required. Every other field is optional and says what it is for:
collect what the support needs, nothing more (no social-security number, nationality as
three values only).
"""

import datetime

from django.db import models

from relais.accounts.models import Employer, Establishment, TenantModel
from relais.people import enums
from relais.people.search import normalise_name
from relais.policy.querysets import PersonQuerySet

# Who may change what: identity and contact (the secretary too) vs the social situation
# (only those who work on one of the person's cases). See relais.people.services.
IDENTITY_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "birth_name",
    "birth_date",
    "sex",
    "nationality",
    "phone",
    "email",
    "address",
    "postal_code",
    "city",
    "employer",
    "establishment",
    "job_title",
)
SITUATION_FIELDS = (
    "contract_kind",
    "working_time",
    "hired_on",
    "work_situation",
    "work_situation_since",
    "accommodation",
    "family_situation",
    "income_sources",
    "legal_protection",
)
HOUSEHOLD_MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "relation",
    "birth_date",
    "is_hosted",
    "is_dependent",
)


class Household(TenantModel):
    """The people living with the person: who counts for the budget and the support."""

    class Meta:
        verbose_name = "foyer"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="household_public_id"
            ),
        ]


class Person(TenantModel):
    civility = models.CharField(
        "civilité",
        max_length=8,
        choices=enums.Civility,
        blank=True,
        help_text="Pour s'adresser à la personne dans les courriers.",
    )
    last_name = models.CharField("nom", max_length=120)
    first_name = models.CharField("prénom", max_length=120, blank=True)
    birth_name = models.CharField(
        "nom de naissance",
        max_length=120,
        blank=True,
        help_text="Pour retrouver la personne si elle a changé de nom.",
    )
    birth_date = models.DateField(
        "date de naissance",
        null=True,
        blank=True,
        help_text="Pour distinguer les homonymes et calculer l'âge (droits, statistiques).",
    )
    sex = models.CharField(
        "sexe",
        max_length=1,
        choices=enums.Sex,
        blank=True,
        help_text="Pour les statistiques anonymes du service.",
    )
    nationality = models.CharField(
        "nationalité",
        max_length=8,
        choices=enums.Nationality,
        blank=True,
        help_text="Seulement si elle conditionne un droit (titre de séjour, prestations).",
    )
    phone = models.CharField(
        "téléphone", max_length=32, blank=True, help_text="Pour joindre la personne."
    )
    email = models.EmailField("e-mail", blank=True, help_text="Pour joindre la personne.")
    address = models.CharField(
        "adresse", max_length=250, blank=True, help_text="Pour les courriers et visites."
    )
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=120, blank=True)

    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="employeur",
        help_text="Pour rattacher l'accompagnement à l'entreprise (statistiques agrégées).",
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="établissement",
    )
    job_title = models.CharField(
        "poste occupé",
        max_length=150,
        blank=True,
        help_text="Pour les questions de maintien dans l'emploi.",
    )
    contract_kind = models.CharField(
        "contrat", max_length=16, choices=enums.ContractKind, blank=True
    )
    working_time = models.CharField(
        "temps de travail", max_length=16, choices=enums.WorkingTime, blank=True
    )
    hired_on = models.DateField(
        "date d'entrée", null=True, blank=True, help_text="Pour l'ancienneté (droits, prêts)."
    )
    work_situation = models.CharField(
        "situation professionnelle", max_length=16, choices=enums.WorkSituation, blank=True
    )
    work_situation_since = models.DateField(
        "depuis le",
        null=True,
        blank=True,
        help_text="Début de l'arrêt ou de la situation : déclenche les suivis (pré-reprise).",
    )

    accommodation = models.CharField(
        "mode d'hébergement", max_length=16, choices=enums.Accommodation, blank=True
    )
    family_situation = models.CharField(
        "situation familiale", max_length=16, choices=enums.FamilySituation, blank=True
    )
    income_sources = models.JSONField(
        "sources de revenus",
        default=list,
        blank=True,
        help_text="Pour repérer les droits à ouvrir ; les montants vont dans le budget.",
    )
    legal_protection = models.CharField(
        "mesure de protection",
        max_length=32,
        choices=enums.LegalProtection,
        blank=True,
        help_text="Pour savoir qui associer aux démarches.",
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="persons"
    )

    # Lower-case, accent-free "last first birth" for search; kept in step by save().
    search_name = models.CharField(max_length=400, editable=False, db_index=False)
    last_contact_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Dernier contact : départ du délai de conservation de 2 ans.",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "public_id"], name="person_public_id"),
        ]
        indexes = [
            models.Index(fields=["organisation", "search_name"], name="person_search_name"),
            models.Index(fields=["organisation", "birth_date"], name="person_birth_date"),
            models.Index(fields=["organisation", "employer"], name="person_employer"),
        ]
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = self.compute_search_name()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def compute_search_name(self) -> str:
        return normalise_name(" ".join([self.last_name, self.first_name, self.birth_name]))

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name.upper()}".strip()
        if self.birth_name and self.birth_name.lower() != self.last_name.lower():
            name += (
                f" (née {self.birth_name.upper()})"
                if self.sex == "f"
                else (f" (nom de naissance {self.birth_name.upper()})")
            )
        return name

    @property
    def income_labels(self) -> list[str]:
        labels = dict(enums.IncomeSource.choices)
        return [labels[value] for value in self.income_sources or [] if value in labels]

    def age(self, on: datetime.date | None = None) -> int | None:
        if not self.birth_date:
            return None
        on = on or datetime.date.today()
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


# What a list reads of a person to show their name and link to them (``full_name``).
PERSON_NAME_FIELDS = frozenset(
    {"id", "organisation", "public_id", "first_name", "last_name", "birth_name", "sex"}
)


def only_person_name(relation: str, *, keep: tuple[str, ...] = ()) -> list[str]:
    """``defer()`` arguments that leave, of the person reached through ``relation``
    (``select_related("case__person")``), only the name and the public id (and ``keep``):
    the home page's and the caseload's lists skip converting some thirty columns of every
    person of every row. Reading another field of such a person costs a query (the page
    tests pin the query counts): keep these lists to names."""
    return [
        f"{relation}__{field.name}"
        for field in Person._meta.concrete_fields
        if field.name not in PERSON_NAME_FIELDS and field.name not in keep
    ]


class HouseholdMember(TenantModel):
    """Someone living with the person who is not themselves supported (child, spouse…)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    first_name = models.CharField("prénom", max_length=120, blank=True)
    last_name = models.CharField("nom", max_length=120, blank=True)
    relation = models.CharField("lien", max_length=16, choices=enums.Relation)
    birth_date = models.DateField(
        "date de naissance",
        null=True,
        blank=True,
        help_text="Pour les unités de consommation du budget et les droits liés à l'âge.",
    )
    is_hosted = models.BooleanField("hébergé·e", default=False)
    is_dependent = models.BooleanField(
        "à charge", default=False, help_text="Compte comme personne à charge (saisie, droits)."
    )

    class Meta:
        verbose_name = "membre du foyer"
        verbose_name_plural = "membres du foyer"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="householdmember_public_id"
            ),
        ]
        ordering = ["birth_date"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.get_relation_display()
