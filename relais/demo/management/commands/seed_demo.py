from django.core.management.base import BaseCommand
from faker import Faker

from relais.accounts.models import Organisation
from relais.demo.budget import create_demo_budgets
from relais.demo.casework import seed_casework
from relais.demo.groups import create_demo_group_actions
from relais.demo.organisation import (
    DEMO_ORGANISATION_ID,
    DEMO_PASSWORD,
    create_demo_organisation,
    demo_logins,
)
from relais.demo.partners import create_demo_partners
from relais.demo.reports import create_demo_reports


class Command(BaseCommand):
    help = "Crée le service de démonstration (une seule fois : relancer ne duplique rien)."

    def handle(self, *args, **options):
        if Organisation.objects.filter(public_id=DEMO_ORGANISATION_ID).exists():
            self.stdout.write("Le service de démonstration existe déjà : rien à créer.")
        else:
            fake = Faker("fr_FR")
            Faker.seed(2026)
            demo = create_demo_organisation(fake)
            seed_casework(demo.organisation)
            create_demo_budgets(demo.organisation)
            create_demo_reports(demo.organisation)
            self.stdout.write(self.style.SUCCESS("Service de démonstration créé."))
        organisation = Organisation.objects.get(public_id=DEMO_ORGANISATION_ID)
        # A demo made before the social files existed gets them now (idempotent).
        if persons := seed_casework(organisation):
            self.stdout.write(self.style.SUCCESS(f"{persons} personnes et leurs dossiers créés."))
        create_demo_partners(organisation)
        create_demo_group_actions(organisation)
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for login, what in demo_logins():
            self.stdout.write(f"  {login:<40} {what}")
