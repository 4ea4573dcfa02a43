"""The demo organisation: an SSIE, its client companies, its team and accounts."""

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from faker import Faker

from relais.accounts import services as account_services
from relais.accounts.enums import EmployerKind, OrganisationKind, Role
from relais.accounts.models import Employer, Establishment, Organisation, Team, User

DEMO_ORGANISATION_ID = uuid.UUID("5e1a1500-0000-4000-8000-000000000001")
DEMO_PASSWORD = "Relais-demo-2026!"
DEMO_DOMAIN = "demo.relais.example"

CLIENTS = [
    # (name, kind, headcount, establishments)
    (
        "Transports Garonne",
        EmployerKind.PRIVATE_COMPANY,
        1200,
        [("Dépôt de Bègles", "Bègles"), ("Siège", "Bordeaux")],
    ),
    ("Clinique des Chartrons", EmployerKind.PRIVATE_COMPANY, 420, [("Clinique", "Bordeaux")]),
    (
        "Communauté de communes du Val de l'Eyre",
        EmployerKind.FPT,
        310,
        [("Hôtel communautaire", "Belin-Béliet")],
    ),
]


@dataclass
class DemoOrganisation:
    organisation: Organisation
    workers: list[User] = field(default_factory=list)
    secretary: User | None = None
    manager: User | None = None
    admin: User | None = None
    employer_viewers: list[User] = field(default_factory=list)
    employers: list[Employer] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)


def demo_logins() -> list[tuple[str, str]]:
    """(login, what it is) for every demo account, for the README and `make demo`."""
    rows = [(f"ass{i}@{DEMO_DOMAIN}", "assistante sociale") for i in (1, 2, 3)]
    rows += [
        (f"secretariat@{DEMO_DOMAIN}", "secrétariat"),
        (f"cadre@{DEMO_DOMAIN}", "cheffe de service"),
        (f"admin@{DEMO_DOMAIN}", "administration du service"),
    ]
    rows += [
        (f"employeur{i}@{DEMO_DOMAIN}", f"employeur / CSE de « {c[0]} »")
        for i, c in enumerate(CLIENTS, 1)
    ]
    return rows


def _user(fake: Faker, email: str, organisation, role, *, team=None, employer=None) -> User:
    first, last = fake.first_name_female(), fake.last_name()
    return account_services.user_create(
        organisation=organisation,
        email=email,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        role=role,
        team=team,
        employer=employer,
    )


@transaction.atomic
def create_demo_organisation(fake: Faker) -> DemoOrganisation:
    organisation = account_services.organisation_create(
        name="Service social inter-entreprises de Gironde",
        kind=OrganisationKind.SSIE,
        city="Bordeaux",
        public_id=DEMO_ORGANISATION_ID,
    )
    # The demo is for trying things out; a real service keeps two-factor login on.
    organisation.require_two_factor = False
    organisation.save(update_fields=["require_two_factor"])
    demo = DemoOrganisation(organisation)
    demo.teams = [
        Team.objects.create(organisation=organisation, name="Équipe Bordeaux Nord"),
        Team.objects.create(organisation=organisation, name="Équipe Bordeaux Sud"),
    ]
    for name, kind, headcount, establishments in CLIENTS:
        employer = Employer.objects.create(
            organisation=organisation,
            name=name,
            kind=kind,
            headcount=headcount,
            siren=fake.numerify("#########"),
        )
        for establishment_name, city in establishments:
            Establishment.objects.create(
                organisation=organisation,
                employer=employer,
                name=establishment_name,
                city=city,
                siret=employer.siren + fake.numerify("#####"),
            )
        demo.employers.append(employer)
    for i in (1, 2, 3):
        team = demo.teams[0] if i < 3 else demo.teams[1]
        demo.workers.append(
            _user(fake, f"ass{i}@{DEMO_DOMAIN}", organisation, Role.SOCIAL_WORKER, team=team)
        )
    demo.secretary = _user(fake, f"secretariat@{DEMO_DOMAIN}", organisation, Role.SECRETARY)
    demo.manager = _user(fake, f"cadre@{DEMO_DOMAIN}", organisation, Role.MANAGER)
    demo.admin = _user(fake, f"admin@{DEMO_DOMAIN}", organisation, Role.ADMIN)
    for i, employer in enumerate(demo.employers, 1):
        demo.employer_viewers.append(
            _user(
                fake,
                f"employeur{i}@{DEMO_DOMAIN}",
                organisation,
                Role.EMPLOYER_VIEWER,
                employer=employer,
            )
        )
    return demo
