"""``relais audit verify`` and ``relais audit purge``.

verify: recompute every hash chain and report, per organisation and log, whether it is
intact; exit status 1 when a chain is broken (for cron or monitoring).
purge: remove access-log rows older than the retention period (1 year), logging what
was purged and moving the chain anchor so that verification still passes.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relais.accounts.models import Organisation
from relais.audit import retention
from relais.audit.models import Stream
from relais.audit.verify import verify_all


def _organisation(public_id: str | None) -> Organisation | None:
    if not public_id:
        return None
    try:
        return Organisation.objects.get(public_id=public_id)
    except (Organisation.DoesNotExist, ValidationError, ValueError) as error:
        raise CommandError(f"Service introuvable : {public_id}") from error


class Command(BaseCommand):
    help = "Journal d'audit : vérifier l'intégrité des chaînes (verify) ou purger (purge)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Vérifier les chaînes de hachage.")
        verify.add_argument("--organisation", help="public_id d'un seul service.")
        purge = sub.add_parser(
            "purge", help="Purger le journal des accès au-delà de la durée de conservation."
        )
        purge.add_argument("--organisation", help="public_id d'un seul service.")
        purge.add_argument(
            "--before",
            type=datetime.date.fromisoformat,
            help="Purger ce qui précède cette date (AAAA-MM-JJ). Par défaut : il y a un an.",
        )
        purge.add_argument("--dry-run", action="store_true", help="Compter sans supprimer.")
        purge.add_argument("--batch-size", type=int, default=retention.PURGE_BATCH)

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            return self.verify(options)
        return self.purge(options)

    def verify(self, options):
        organisation = _organisation(options.get("organisation"))
        reports = verify_all(organisation.pk if organisation else None)
        names = dict(Organisation.objects.values_list("pk", "name"))
        labels = dict(Stream.choices)
        self.stdout.write("Vérification du journal d'audit")
        for report in reports:
            name = names.get(report.organisation_id, f"service {report.organisation_id}")
            span = f"n° {report.first_seq} à {report.last_seq}" if report.rows else "aucune ligne"
            if report.anchor_seq:
                span += f", après purge jusqu'au n° {report.anchor_seq}"
            status = self.style.SUCCESS("intègre") if report.ok else self.style.ERROR("ROMPUE")
            self.stdout.write(
                f"  {name} · {labels.get(report.stream, report.stream)} : "
                f"{report.rows} ligne(s) ({span}) : {status}"
            )
            for problem in report.problems:
                self.stdout.write(f"      - {problem}")
        broken = [report for report in reports if not report.ok]
        if broken:
            raise CommandError(
                f"{len(broken)} chaîne(s) rompue(s) sur {len(reports)} : le journal a été "
                "modifié en dehors de l'application.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"Résultat : {len(reports)} chaîne(s) intègre(s)."))

    def purge(self, options):
        organisation = _organisation(options.get("organisation"))
        before = (
            timezone.make_aware(datetime.datetime.combine(options["before"], datetime.time.min))
            if options.get("before")
            else retention.default_cutoff()
        )
        dry_run = options["dry_run"]
        reports = retention.purge_access_log(
            before=before,
            organisation_id=organisation.pk if organisation else None,
            batch=options["batch_size"],
            dry_run=dry_run,
        )
        names = dict(Organisation.objects.values_list("pk", "name"))
        verb = "à purger" if dry_run else "purgée(s)"
        self.stdout.write(f"Journal des accès antérieur au {before:%d/%m/%Y %H:%M}")
        for report in reports:
            name = names.get(report.organisation_id, f"service {report.organisation_id}")
            detail = f" (n° {report.first_seq} à {report.last_seq})" if report.rows else ""
            self.stdout.write(f"  {name} : {report.rows} ligne(s) {verb}{detail}")
        logins = retention.purge_login_log(before=before, dry_run=dry_run)
        self.stdout.write(f"  Journal des connexions : {logins} ligne(s) {verb}")
        if not dry_run:
            self.stdout.write(
                "Chaque purge est inscrite au journal des modifications du service ; "
                "`relais audit verify` reste valide."
            )
