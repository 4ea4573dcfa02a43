from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "relais.stats"
    label = "stats"
    verbose_name = "Statistiques"
