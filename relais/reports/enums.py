from django.db import models


class ReportKind(models.TextChoices):
    SOCIAL_REPORT = "social_report", "Rapport social"
    SOCIAL_ASSESSMENT = "social_assessment", "Évaluation sociale"
    SOCIAL_NOTE = "social_note", "Note sociale"
    LETTER = "letter", "Courrier"
    CHILD_CONCERN = "child_concern", "Information préoccupante (protection de l'enfance)"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "En rédaction"
    FINAL = "final", "Finalisé et signé"
    AMENDING = "amending", "Amendement en cours"


class RedactionReason(models.TextChoices):
    """Only information about someone else may be withheld from the person's copy."""

    CONFIDED_BY_THIRD_PARTY = "confided", "Propos confiés par un tiers (proche, voisin…)"
    ABOUT_RELATIVE = "relative", "Information concernant un proche ou un membre du foyer"
    ABOUT_OTHER_PERSON = "other_person", "Information concernant une autre personne"
    THIRD_PARTY_PROFESSIONAL = (
        "professional",
        "Information transmise par un autre professionnel sur un tiers",
    )


class CopyStatus(models.TextChoices):
    REVIEW = "review", "En relecture"
    PRODUCED = "produced", "Produite"
    CANCELLED = "cancelled", "Abandonnée"
