from django.conf import settings
from django.core.management.base import BaseCommand

from relais.crypto import keyring


class Command(BaseCommand):
    help = (
        "Crée le fichier de clé maîtresse (hors de la base de données) s'il n'existe pas "
        "et si RELAIS_MASTER_KEYS n'est pas défini."
    )

    def handle(self, *args, **options):
        if settings.RELAIS_MASTER_KEYS:
            self.stdout.write("Clés maîtresses fournies par RELAIS_MASTER_KEYS.")
            return
        path = settings.RELAIS_MASTER_KEY_FILE
        if path.exists():
            self.stdout.write(f"Fichier de clé maîtresse présent : {path}")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(keyring.generate_master_key_line("k1") + "\n")
        path.chmod(0o600)
        self.stdout.write(
            f"Clé maîtresse créée dans {path}. Sauvegardez-la à part de la base : "
            "sans elle, les notes chiffrées sont illisibles."
        )
