from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "relais.reports"
    verbose_name = "Rapports et copie du dossier"

    def ready(self):
        from relais.cases import contents

        contents.register("reports", "reports.Report")
