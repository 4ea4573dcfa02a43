"""``relais security reset-2fa EMAIL``: remove a user's second factor (lost phone).

The user sets up a new one at their next login; the removal is written to the change log.
"""

from django.core.management.base import BaseCommand, CommandError

from relais.accounts.models import User
from relais.security import services


class Command(BaseCommand):
    help = "Sécurité des comptes : retirer la double authentification d'un compte (reset-2fa)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        reset = sub.add_parser("reset-2fa", help="Retirer la double authentification d'un compte.")
        reset.add_argument("email")

    def handle(self, *args, subcommand, **options):
        try:
            user = User.objects.get(email__iexact=options["email"])
        except User.DoesNotExist as error:
            raise CommandError(f"Aucun compte pour {options['email']}.") from error
        services.two_factor_reset(by=None, user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Double authentification retirée pour {user.email} : une nouvelle sera "
                "demandée à la prochaine connexion si son service l'exige."
            )
        )
