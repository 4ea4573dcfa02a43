"""Reference lists of the budget. Values are stable English codes; labels are what users read.

Categories describe money, never judge the person. The groups below say how each category
enters the indicators (see relais/budget/calculations/indicators.py).
"""

from django.db import models


class LineKind(models.TextChoices):
    RESOURCE = "resource", "Ressource"
    CHARGE = "charge", "Charge"


class ResourceCategory(models.TextChoices):
    SALARY = "salary", "Salaire, revenu d'activité"
    UNEMPLOYMENT = "unemployment", "Allocation chômage (ARE)"
    DAILY_ALLOWANCE = "daily_allowance", "Indemnités journalières"
    PENSION = "pension", "Retraite"
    DISABILITY_PENSION = "disability_pension", "Pension d'invalidité"
    RSA = "rsa", "RSA"
    ACTIVITY_BONUS = "activity_bonus", "Prime d'activité"
    FAMILY_BENEFITS = "family_benefits", "Prestations familiales (allocations, PAJE…)"
    HOUSING_BENEFIT = "housing_benefit", "Aide au logement (APL, ALF, ALS)"
    AAH = "aah", "AAH"
    ASPA = "aspa", "ASPA (minimum vieillesse)"
    ALIMONY_RECEIVED = "alimony_received", "Pension alimentaire reçue"
    OTHER = "other_resource", "Autre ressource"


class ChargeCategory(models.TextChoices):
    RENT = "rent", "Loyer"
    RENTAL_CHARGES = "rental_charges", "Charges locatives, copropriété"
    MORTGAGE = "mortgage", "Prêt immobilier (logement principal)"
    HOME_INSURANCE = "home_insurance", "Assurance habitation"
    ENERGY = "energy", "Électricité, gaz, chauffage"
    WATER = "water", "Eau"
    PHONE_INTERNET = "phone_internet", "Téléphone, internet"
    HEALTH_INSURANCE = "health_insurance", "Mutuelle"
    OTHER_INSURANCE = "other_insurance", "Assurance voiture, autres assurances"
    TRANSPORT = "transport", "Transports, carburant"
    CHILDCARE = "childcare", "Garde d'enfants"
    SCHOOL = "school", "Cantine, scolarité, activités des enfants"
    TAXES = "taxes", "Impôts (revenu, taxe foncière…)"
    ALIMONY_PAID = "alimony_paid", "Pension alimentaire versée"
    CREDIT = "credit", "Remboursement de crédits"
    DEBT_PLAN = "debt_plan", "Remboursement de dettes (échéancier, plan d'apurement)"
    BANK_FEES = "bank_fees", "Frais bancaires"
    FOOD = "food", "Alimentation"
    HYGIENE = "hygiene", "Hygiène, entretien"
    CLOTHING = "clothing", "Habillement"
    LEISURE = "leisure", "Loisirs, sorties"
    OTHER = "other_charge", "Autre charge"


# Daily living: what the "reste à vivre" is for. Every other charge is a fixed charge.
DAILY_LIVING = frozenset(
    {ChargeCategory.FOOD, ChargeCategory.HYGIENE, ChargeCategory.CLOTHING, ChargeCategory.LEISURE}
)
HOUSING_COSTS = frozenset(
    {ChargeCategory.RENT, ChargeCategory.RENTAL_CHARGES, ChargeCategory.MORTGAGE}
)
DEBT_REPAYMENTS = frozenset({ChargeCategory.CREDIT, ChargeCategory.DEBT_PLAN})
# For the over-indebtedness capacity: what the plan reorganises is not a current expense.
NOT_CURRENT_EXPENSES = DEBT_REPAYMENTS | {ChargeCategory.MORTGAGE}
HOUSING_BENEFITS = frozenset({ResourceCategory.HOUSING_BENEFIT})
# Incomes that follow the wage-seizure scale (Code du travail R3252-2; ARE, IJ and pensions
# are seized on the same scale). RSA, activity bonus, family and housing benefits, AAH
# and ASPA cannot be seized.
SEIZURE_SCALE_INCOMES = frozenset(
    {
        ResourceCategory.SALARY,
        ResourceCategory.UNEMPLOYMENT,
        ResourceCategory.DAILY_ALLOWANCE,
        ResourceCategory.PENSION,
        ResourceCategory.DISABILITY_PENSION,
    }
)


def categories_for(kind: str):
    return ResourceCategory if kind == LineKind.RESOURCE else ChargeCategory


def category_label(kind: str, category: str) -> str:
    try:
        return categories_for(kind)(category).label
    except ValueError:
        return category


class Holder(models.TextChoices):
    HOUSEHOLD = "household", "Tout le foyer"
    PERSON = "person", "La personne accompagnée"
    MEMBER = "member", "Un membre du foyer"


class Divisor(models.TextChoices):
    CONSUMPTION_UNITS = "consumption_units", "Unités de consommation (échelle de l'INSEE)"
    PARTS = "parts", "Parts (comme le quotient familial de l'impôt)"
    PERSONS = "persons", "Nombre de personnes du foyer"


class DebtKind(models.TextChoices):
    CONSUMER_CREDIT = "consumer_credit", "Crédit à la consommation, crédit renouvelable"
    MORTGAGE = "mortgage", "Crédit immobilier"
    OVERDRAFT = "overdraft", "Découvert bancaire"
    RENT = "rent", "Loyers impayés"
    ENERGY = "energy", "Énergie (électricité, gaz)"
    WATER = "water", "Eau"
    PHONE = "phone", "Téléphone, internet"
    TAXES = "taxes", "Impôts, amendes (Trésor public)"
    OVERPAYMENT = "overpayment", "Trop-perçu (CAF, France Travail, CPAM…)"
    HEALTH = "health", "Santé (hôpital, mutuelle)"
    INSURANCE = "insurance", "Assurances"
    FAMILY = "family", "Dettes familiales ou envers des proches"
    OTHER = "other", "Autre dette"


# Banque de France form: bank debts, then debts of current charges, then the rest.
BANK_DEBTS = frozenset({DebtKind.CONSUMER_CREDIT, DebtKind.MORTGAGE, DebtKind.OVERDRAFT})
CURRENT_CHARGE_DEBTS = frozenset(
    {
        DebtKind.RENT,
        DebtKind.ENERGY,
        DebtKind.WATER,
        DebtKind.PHONE,
        DebtKind.TAXES,
        DebtKind.INSURANCE,
        DebtKind.HEALTH,
    }
)


class DebtStatus(models.TextChoices):
    REPAYING = "repaying", "Remboursement en cours"
    UNPAID = "unpaid", "Impayée"
    PLAN = "plan", "Échéancier ou plan d'apurement en cours"
    SETTLED = "settled", "Soldée"


class CourtAction(models.TextChoices):
    NONE = "none", "Aucune"
    FORMAL_NOTICE = "formal_notice", "Mise en demeure, relance d'un commissaire de justice"
    PAYMENT_ORDER = "payment_order", "Injonction de payer"
    SUMMONS = "summons", "Assignation, convocation au tribunal"
    JUDGMENT = "judgment", "Jugement"
    PAYMENT_COMMAND = "payment_command", "Commandement de payer"
    WAGE_SEIZURE = "wage_seizure", "Saisie sur salaire"
    ACCOUNT_SEIZURE = "account_seizure", "Saisie sur compte bancaire"
    EVICTION = "eviction", "Procédure d'expulsion"
    OTHER = "other", "Autre procédure"


class DocumentStatus(models.TextChoices):
    MISSING = "missing", "À fournir"
    RECEIVED = "received", "Reçu"
    NOT_APPLICABLE = "not_applicable", "Sans objet"
