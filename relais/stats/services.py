"""Writes of the statistics app: the organisation's settings."""

from django.db import transaction

from relais.accounts.models import Organisation, User
from relais.audit.log import record_change, snapshot
from relais.stats.models import StatisticsSettings

SETTINGS_FIELDS = ["age_band_starts", "small_cell_threshold"]


@transaction.atomic
def statistics_settings_update(
    *,
    by: User,
    organisation: Organisation,
    age_band_starts: list[int],
    small_cell_threshold: int,
) -> StatisticsSettings:
    settings, created = StatisticsSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = None if created else snapshot(settings, SETTINGS_FIELDS)
    settings.age_band_starts = list(age_band_starts)
    settings.small_cell_threshold = small_cell_threshold
    settings.full_clean()
    settings.save()
    record_change(
        user=by,
        verb="statistics_settings_update",
        obj=settings,
        before=before,
        after=snapshot(settings, SETTINGS_FIELDS),
    )
    return settings
