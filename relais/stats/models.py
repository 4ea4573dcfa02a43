"""The organisation's statistics settings (age bands, small-cell threshold)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from relais.accounts.models import Organisation, TenantModel

# The bands of the seeds' own survey: 20–30, 31–40, 41–50, 51 and over.
DEFAULT_AGE_BAND_STARTS = [20, 31, 41, 51]
# Cells describing fewer persons than this are never shown (secret statistique).
MINIMUM_SMALL_CELL_THRESHOLD = 5


def default_age_band_starts() -> list[int]:
    return list(DEFAULT_AGE_BAND_STARTS)


class StatisticsSettings(TenantModel):
    """One row per organisation; absent until someone changes the defaults."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="statistics_settings"
    )
    age_band_starts = models.JSONField(
        "début des tranches d'âge",
        default=default_age_band_starts,
        help_text="Âge de début de chaque tranche, en années révolues, par ordre croissant.",
    )
    small_cell_threshold = models.PositiveSmallIntegerField(
        "seuil de secret statistique",
        default=MINIMUM_SMALL_CELL_THRESHOLD,
        validators=[MinValueValidator(MINIMUM_SMALL_CELL_THRESHOLD), MaxValueValidator(50)],
        help_text="Une case décrivant moins de personnes que ce seuil est masquée.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réglages des statistiques"
        verbose_name_plural = "réglages des statistiques"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="statisticssettings_public_id"
            ),
            models.CheckConstraint(
                condition=models.Q(small_cell_threshold__gte=MINIMUM_SMALL_CELL_THRESHOLD),
                name="statisticssettings_threshold_min",
            ),
        ]

    def __str__(self) -> str:
        return f"Réglages des statistiques de {self.organisation_id}"
