"""Budgets, debts and over-indebtedness files of the persons a service supports.

They hang on the person (not on one case): the budget follows the household across
successive cases, and is seen only through a case of the person the user may see
(``Model.objects.visible_to(user)``). Writes go through ``relais.budget.services``.
"""

from django.conf import settings
from django.db import models

from relais.accounts.models import TenantModel
from relais.budget import enums
from relais.budget.querysets import BudgetLineQuerySet, PersonScopedQuerySet
from relais.crypto.fields import EncryptedTextField
from relais.people.models import HouseholdMember, Person

User = settings.AUTH_USER_MODEL


def _public_id(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["organisation", "public_id"], name=f"{name}_public_id")


def _not_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 0}),
        name=name,
    )


class BudgetSettings(TenantModel):
    """The organisation's choices for budget work (one row per organisation)."""

    divisor = models.CharField(
        "le reste à vivre est divisé par",
        max_length=32,
        choices=enums.Divisor,
        default=enums.Divisor.CONSUMPTION_UNITS,
        help_text="Pour comparer des foyers de tailles différentes.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réglages du budget"
        constraints = [
            _public_id("budgetsettings"),
            models.UniqueConstraint(fields=["organisation"], name="budgetsettings_one_per_org"),
        ]


class Budget(TenantModel):
    """One month of a household's budget, built with the person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    month = models.DateField("mois", help_text="Le premier jour du mois.")
    note = EncryptedTextField("remarques", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "budget mensuel"
        constraints = [
            _public_id("budget"),
            models.UniqueConstraint(
                fields=["organisation", "person", "month"], name="budget_one_per_month"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "person", "-month"], name="budget_person")]
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Budget de {self.month:%m/%Y}"


class Debt(TenantModel):
    """A debt of the household: who is owed, how much, what is paid, what is pending."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    creditor = models.CharField("créancier", max_length=150)
    kind = models.CharField("nature de la dette", max_length=32, choices=enums.DebtKind)
    amount_owed = models.DecimalField("montant restant dû", max_digits=11, decimal_places=2)
    monthly_payment = models.DecimalField(
        "mensualité", max_digits=9, decimal_places=2, null=True, blank=True
    )
    arrears = models.DecimalField(
        "dont impayés",
        max_digits=11,
        decimal_places=2,
        default=0,
        help_text="Échéances ou factures en retard, comprises dans le montant restant dû.",
    )
    status = models.CharField(
        "situation", max_length=16, choices=enums.DebtStatus, default=enums.DebtStatus.REPAYING
    )
    court_action = models.CharField(
        "procédure en cours",
        max_length=32,
        choices=enums.CourtAction,
        default=enums.CourtAction.NONE,
    )
    court_action_on = models.DateField("date de la procédure", null=True, blank=True)
    has_document = models.BooleanField(
        "justificatif fourni", default=False, help_text="Dernier courrier ou relevé du créancier."
    )
    notes = EncryptedTextField("remarques", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "dette"
        constraints = [
            _public_id("debt"),
            _not_negative("amount_owed", "debt_amount_not_negative"),
            _not_negative("monthly_payment", "debt_payment_not_negative"),
            _not_negative("arrears", "debt_arrears_not_negative"),
        ]
        indexes = [models.Index(fields=["organisation", "person"], name="debt_person")]
        ordering = ["creditor", "id"]

    def __str__(self) -> str:
        return f"{self.creditor} ({self.get_kind_display()})"


class BudgetLine(TenantModel):
    """One resource or charge of a month, for the household or one of its members."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField("type", max_length=16, choices=enums.LineKind)
    category = models.CharField("catégorie", max_length=32)
    label = EncryptedTextField("précision", blank=True)
    amount = models.DecimalField("montant mensuel", max_digits=9, decimal_places=2)
    holder = models.CharField(
        "pour qui", max_length=16, choices=enums.Holder, default=enums.Holder.HOUSEHOLD
    )
    member = models.ForeignKey(
        HouseholdMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    debt = models.ForeignKey(
        Debt, on_delete=models.SET_NULL, null=True, blank=True, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de budget"
        constraints = [
            _public_id("budgetline"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="line_amount_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "budget"], name="budgetline_budget")]
        ordering = ["kind", "position", "id"]

    @property
    def person_id(self):
        """For the audit log: the line is about the budget's person."""
        return self.budget.person_id

    @property
    def category_label(self) -> str:
        return enums.category_label(self.kind, self.category)


class OverindebtednessFile(TenantModel):
    """Preparing the Banque de France file: assets, what led there, documents gathered."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    joint_filing = models.BooleanField(
        "dossier déposé à deux", default=False, help_text="Avec le conjoint ou le partenaire."
    )
    documents = models.JSONField("pièces", default=dict, blank=True)
    savings = models.DecimalField(
        "épargne disponible", max_digits=11, decimal_places=2, null=True, blank=True
    )
    real_estate = EncryptedTextField(
        "biens immobiliers", blank=True, help_text="Nature, valeur estimée, crédit en cours."
    )
    vehicles = EncryptedTextField(
        "véhicules", blank=True, help_text="Modèle, année, valeur estimée."
    )
    other_assets = EncryptedTextField("autres biens de valeur", blank=True)
    causes = EncryptedTextField(
        "ce qui a conduit à la situation",
        blank=True,
        help_text="Avec les mots de la personne : séparation, perte d'emploi, maladie…",
    )
    sent_on = models.DateField("dossier déposé le", null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier de surendettement"
        constraints = [
            _public_id("overindebtedness"),
            models.UniqueConstraint(
                fields=["organisation", "person"], name="overindebtedness_one_per_person"
            ),
            _not_negative("savings", "overindebtedness_savings_not_negative"),
        ]
