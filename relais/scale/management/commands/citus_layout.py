from django.core.management.base import BaseCommand

from relais.scale.tenancy import citus_layout_sql


class Command(BaseCommand):
    help = (
        "Affiche le SQL qui répartit les tables de Relais sur Citus : tables de référence "
        "et tables distribuées par organisation (voir docs/deployment.md)."
    )

    def handle(self, *args, **options):
        for statement in citus_layout_sql():
            self.stdout.write(statement)
