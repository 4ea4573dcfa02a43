import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from relais.scale.generator import GENERATED_PASSWORD, Generator, login_domain
from relais.scale.version import GENERATOR_VERSION


class Command(BaseCommand):
    help = (
        "Génère un service social fictif réaliste (équipes, employeurs, personnes, "
        "accompagnements, interventions…) pour mesurer les performances. Chargement de "
        "données en masse : il ne passe pas par les services et n'écrit pas le journal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=1000, help="nombre de personnes")
        parser.add_argument("--seed", type=int, default=1, help="graine (reproductible)")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="date de référence AAAA-MM-JJ (défaut : aujourd'hui) ; l'historique couvre "
            "les 5 années qui précèdent",
        )
        parser.add_argument("--database", default="default", help="alias de base de données")
        parser.add_argument(
            "--report-json", default=None, help="écrire le bilan (lignes, durée) dans ce fichier"
        )
        parser.add_argument(
            "--chunk", type=int, default=1000, help="personnes par transaction (défaut : 1000)"
        )

    def handle(self, *args, **options):
        if options["persons"] < 1:
            raise CommandError("--persons doit être au moins 1.")
        verbose = options["verbosity"] >= 1
        generator = Generator(
            persons=options["persons"],
            seed=options["seed"],
            today=options["today"],
            using=options["database"],
            chunk_persons=options["chunk"],
            progress=self.stdout.write if verbose else None,
        )
        try:
            report = generator.run()
        except FileExistsError as error:
            raise CommandError(str(error)) from error
        if options["report_json"]:
            with open(options["report_json"], "w") as out:
                json.dump(
                    {
                        "generator_version": GENERATOR_VERSION,
                        "persons": options["persons"],
                        "seed": options["seed"],
                        "today": generator.today.isoformat(),
                        "organisation_id": report.organisation.pk,
                        "rows": dict(report.rows),
                        "total_rows": report.total_rows,
                        "seconds": round(report.seconds, 1),
                        "rows_per_second": round(report.rows_per_second),
                    },
                    out,
                    indent=2,
                )
        if not verbose:
            return
        self.stdout.write("")
        self.stdout.write(f"Générateur v{GENERATOR_VERSION}, graine {options['seed']}")
        for label, count in sorted(report.rows.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {label:<30} {count:>10}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.total_rows} lignes en {report.seconds:.1f} s : "
                f"{report.rows_per_second:,.0f} lignes/s".replace(",", " ")
            )
        )
        self.stdout.write(
            f"Connexion : ass001@{login_domain(options['seed'])} … (mot de passe "
            f"{GENERATED_PASSWORD})"
        )
