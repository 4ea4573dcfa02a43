"""Import a data.inclusion export into one organisation's directory, from the command line.

    relais directory_import --organisation <public_id> --user <email> \\
        --structures structures.json --services services.json

Runs in this process (not through the task queue) and prints the report and the time taken.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais.accounts.models import Membership
from relais.partners import importer, services
from relais.policy import rules


class Command(BaseCommand):
    help = "Importe un export data.inclusion (structures et services) dans l'annuaire d'un service."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="e-mail du compte qui importe")
        parser.add_argument("--structures", type=Path)
        parser.add_argument("--services", type=Path)
        parser.add_argument("--format", choices=["json", "csv"])

    def handle(self, *args, **options):
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(user__email__iexact=options["user"], is_active=True)
            .first()
        )
        if membership is None or not rules.can_import_directory(membership.user):
            raise CommandError("Ce compte n'existe pas ou ne peut pas importer l'annuaire.")
        files = {}
        for name in ("structures", "services"):
            path = options[name]
            files[name] = (path.name, path.read_bytes()) if path else None
        if not any(files.values()):
            raise CommandError("Donnez --structures et/ou --services.")
        first = options["structures"] or options["services"]
        fmt = options["format"] or ("csv" if first.suffix.lower() == ".csv" else "json")
        directory_import = services.directory_import_create(
            by=membership.user, organisation=membership.organisation, format=fmt, **files
        )
        started = time.perf_counter()
        result = importer.run_import(directory_import.pk)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{result.get_status_display()} en {elapsed:.1f} s : {result.total_rows} lignes, "
            f"{result.created_count} créées, {result.updated_count} mises à jour, "
            f"{result.unchanged_count} inchangées, {result.rejected_count} rejetées."
        )
        if result.error:
            self.stderr.write(result.error)
