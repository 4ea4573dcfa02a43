"""``relais crypto init | status | rotate-master | rotate-data-key``: see rotation.py."""

import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from relais.accounts.models import Organisation
from relais.crypto import keyring, rotation


class Command(BaseCommand):
    help = "Chiffrement au repos : état des clés et rotations sans interruption de service."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("init", help="Créer le fichier de clé maîtresse s'il manque.")
        sub.add_parser("status", help="Quelles clés maîtresses enveloppent quelles clés.")
        master = sub.add_parser(
            "rotate-master",
            help="Ré-envelopper toutes les clés de données avec la nouvelle clé maîtresse.",
        )
        master.add_argument(
            "--generate",
            action="store_true",
            help=(
                "Fichier de clés seulement : ajouter une nouvelle clé maîtresse en tête du "
                "fichier (les anciennes restent) avant de ré-envelopper."
            ),
        )
        master.add_argument("--key-id", help="Clé cible (par défaut : la première listée).")
        data = sub.add_parser("rotate-data-key", help="Nouvelle clé de données pour un service.")
        data.add_argument("--organisation", required=True, help="public_id du service.")
        data.add_argument(
            "--reencrypt",
            action="store_true",
            help="Réécrire ensuite les textes existants avec la nouvelle clé, par lots.",
        )
        data.add_argument("--batch-size", type=int, default=rotation.REENCRYPT_BATCH)
        data.add_argument(
            "--no-wait",
            action="store_true",
            help=(
                "Ne pas attendre que tous les processus aient adopté la nouvelle clé "
                "avant de réécrire (RELAIS_DATA_KEY_CACHE_SECONDS)."
            ),
        )

    def handle(self, *args, subcommand, **options):
        handler = {
            "init": self.init,
            "status": self.status,
            "rotate-master": self.rotate_master,
            "rotate-data-key": self.rotate_data_key,
        }[subcommand]
        return handler(options)

    def init(self, options):
        call_command("crypto_init", stdout=self.stdout, stderr=self.stderr)

    def status(self, options):
        usage = rotation.master_key_usage()
        configured = keyring.master_keys()
        self.stdout.write("Clés maîtresses (la première enveloppe les nouvelles clés) :")
        for key_id, count in usage.items():
            where = "configurée" if key_id in configured else "ABSENTE de la configuration"
            self.stdout.write(f"  {key_id} : {count} clé(s) de données — {where}")
        missing = [key_id for key_id, count in usage.items() if count and key_id not in configured]
        if missing:
            raise CommandError(
                f"Clé(s) maîtresse(s) manquante(s) : {', '.join(missing)} — des textes "
                "seraient illisibles.",
                returncode=1,
            )

    def rotate_master(self, options):
        if options["generate"]:
            self._generate_master_key()
        target = options.get("key_id") or next(iter(keyring.master_keys()))
        try:
            count = rotation.rotate_master(target_master_key_id=target)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"{count} clé(s) de données ré-enveloppée(s) par la clé {target}.")
        )
        unused = [key_id for key_id, n in rotation.master_key_usage().items() if n == 0]
        if unused:
            self.stdout.write(
                f"Clé(s) maîtresse(s) qui n'enveloppent plus rien : {', '.join(unused)}. "
                "Conservez-les à part tant qu'une sauvegarde antérieure à cette rotation "
                "peut devoir être restaurée, puis retirez-les de la configuration."
            )

    def _generate_master_key(self):
        if settings.RELAIS_MASTER_KEYS:
            raise CommandError(
                "Les clés maîtresses viennent de RELAIS_MASTER_KEYS : ajoutez la nouvelle clé "
                "en tête de cette variable, redémarrez, puis relancez sans --generate. "
                f"Nouvelle clé proposée : {keyring.generate_master_key_line(self._next_key_id())}"
            )
        path = settings.RELAIS_MASTER_KEY_FILE
        lines = path.read_text().strip().splitlines() if path.exists() else []
        line = keyring.generate_master_key_line(self._next_key_id())
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join([line, *lines]) + "\n")
        tmp.chmod(0o600)
        tmp.replace(path)
        self.stdout.write(
            f"Nouvelle clé maîtresse {line.split(':')[0]} ajoutée en tête de {path}. "
            "Les processus qui tournent la liront à leur prochain besoin : redémarrez les "
            "serveurs d'application pour qu'ils enveloppent avec elle les clés nouvelles."
        )

    def _next_key_id(self) -> str:
        try:
            existing = keyring.master_keys()
        except ImproperlyConfigured:  # no key yet: start at k1
            existing = {}
        n = len(existing) + 1
        while f"k{n}" in existing:
            n += 1
        return f"k{n}"

    def rotate_data_key(self, options):
        try:
            organisation = Organisation.objects.get(public_id=options["organisation"])
        except (Organisation.DoesNotExist, ValidationError, ValueError) as error:
            raise CommandError(f"Service introuvable : {options['organisation']}") from error
        row = rotation.rotate_data_key(organisation_id=organisation.pk)
        self.stdout.write(
            self.style.SUCCESS(f"Nouvelle clé de données n° {row.pk} pour « {organisation} ».")
        )
        if not options["reencrypt"]:
            self.stdout.write(
                "Les textes existants restent chiffrés avec l'ancienne clé (toujours lisibles). "
                "Relancez avec --reencrypt pour les réécrire."
            )
            return
        delay = settings.RELAIS_DATA_KEY_CACHE_SECONDS
        if not options["no_wait"] and delay:
            self.stdout.write(f"Attente de {delay} s : tous les processus adoptent la clé…")
            time.sleep(delay)
        report = rotation.reencrypt_organisation(
            organisation_id=organisation.pk, batch=options["batch_size"]
        )
        for label, count in report.by_model.items():
            self.stdout.write(f"  {label} : {count} valeur(s) réécrite(s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.values_rewritten} valeur(s) réécrite(s) sur {report.rows_seen} ligne(s)."
            )
        )
