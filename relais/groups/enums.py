from django.db import models


class GroupActionKind(models.TextChoices):
    INFORMATION_MEETING = "information_meeting", "Réunion d'information"
    WORKSHOP = "workshop", "Atelier"
    DISCUSSION_GROUP = "discussion_group", "Groupe de parole"
    PREVENTION = "prevention", "Action de prévention"
    OUTING = "outing", "Sortie / activité"
    OTHER = "other", "Autre"


class GroupActionStatus(models.TextChoices):
    """planned → held (with the final headcount) or planned → cancelled; nothing else."""

    PLANNED = "planned", "Prévue"
    HELD = "held", "Réalisée"
    CANCELLED = "cancelled", "Annulée"
