"""Lifecycles and reference lists of the partners app (English values, French labels)."""

from django.db import models


class PartnerKind(models.TextChoices):
    SOCIAL_SECURITY = "social_security", "Organisme de protection sociale"
    EMPLOYMENT = "employment", "Emploi et insertion professionnelle"
    LOCAL_AUTHORITY = "local_authority", "Collectivité, service départemental ou communal"
    DISABILITY = "disability", "Handicap"
    HOUSING = "housing", "Logement"
    SHELTER = "shelter", "Hébergement et urgence sociale"
    DEBT = "debt", "Budget et surendettement"
    OCCUPATIONAL_HEALTH = "occupational_health", "Santé au travail"
    HEALTH = "health", "Santé"
    CHARITY = "charity", "Association de solidarité"
    ASSOCIATION = "association", "Association"
    FOUNDATION = "foundation", "Fondation"
    LEGAL = "legal", "Accès au droit et justice"
    TRAINING = "training", "Formation"
    OTHER_PUBLIC = "other_public", "Autre service public"
    OTHER = "other", "Autre"


class PartnerOrigin(models.TextChoices):
    NATIONAL = "national", "Organisme national"
    LOCAL = "local", "Partenaire local"
    IMPORTED = "imported", "Importé de data.inclusion"


class ReferralStatus(models.TextChoices):
    PREPARED = "prepared", "Préparée"
    SENT = "sent", "Envoyée"
    IN_PROGRESS = "in_progress", "En cours"
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"
    CLOSED = "closed", "Close"


class ReferralDecision(models.TextChoices):
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"


# What may follow what. A referral is closed from any state (abandoned, or after the answer).
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.PREPARED: frozenset({ReferralStatus.SENT, ReferralStatus.CLOSED}),
    ReferralStatus.SENT: frozenset(
        {
            ReferralStatus.IN_PROGRESS,
            ReferralStatus.GRANTED,
            ReferralStatus.REFUSED,
            ReferralStatus.CLOSED,
        }
    ),
    ReferralStatus.IN_PROGRESS: frozenset(
        {ReferralStatus.GRANTED, ReferralStatus.REFUSED, ReferralStatus.CLOSED}
    ),
    ReferralStatus.GRANTED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.REFUSED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
}

# Sent and not yet answered: the worker is waiting for the partner.
AWAITING_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.IN_PROGRESS})
ANSWERED_STATUSES = frozenset({ReferralStatus.GRANTED, ReferralStatus.REFUSED})


class SharedItem(models.TextChoices):
    """What the worker may pass to the partner, each ticked one by one (minimisation)."""

    IDENTITY = "identity", "Nom et prénom"
    BIRTH_DATE = "birth_date", "Date de naissance"
    ADDRESS = "address", "Adresse"
    PHONE = "phone", "Téléphone"
    EMAIL = "email", "Adresse e-mail"
    FAMILY_SITUATION = "family_situation", "Situation familiale"
    HOUSEHOLD = "household", "Composition du foyer"
    ACCOMMODATION = "accommodation", "Mode d'hébergement"
    INCOME_SOURCES = "income_sources", "Sources de revenus"
    EMPLOYMENT = "employment", "Employeur, poste et contrat"
    WORK_SITUATION = "work_situation", "Situation professionnelle (arrêt, invalidité…)"
    LEGAL_PROTECTION = "legal_protection", "Mesure de protection"
    CONCERNS = "concerns", "Problématiques de l'accompagnement"


class ConsentGiver(models.TextChoices):
    PERSON = "person", "La personne elle-même"
    LEGAL_REPRESENTATIVE = "legal_representative", "Son représentant légal (tuteur, curateur…)"


class ConsentForm(models.TextChoices):
    ORAL = "oral", "Oral, lors d'un entretien"
    WRITTEN = "written", "Écrit et signé"
    ELECTRONIC = "electronic", "Par écrit électronique (e-mail, SMS)"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échoué"


class ImportFormat(models.TextChoices):
    JSON = "json", "JSON"
    CSV = "csv", "CSV"
