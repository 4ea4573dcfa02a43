from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "relais.reports"
    verbose_name = "Rapports et copie du dossier"
