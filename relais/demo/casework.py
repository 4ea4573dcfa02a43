"""The demo service's social files: ~200 persons, their requests, cases, interviews with
notes, support plans, tasks, appointments and financial aid, spread over the three
social workers and the three client companies.

Everything goes through the domain services (so the audit log and the follow-up rules
work as in real use). Deterministic: a seeded Faker and a seeded random generator; the
dates are relative to today so that the agenda has appointments today and this week.
Idempotent: nothing is created if the demo service already has requests.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from faker import Faker

from relais.accounts.enums import Role
from relais.accounts.models import Employer, Membership, Organisation, User
from relais.cases import enums
from relais.cases import services as cases
from relais.cases.models import Case, Concern, Intervention, Request, Task
from relais.cases.reference import reference_seed
from relais.people import services as people
from relais.people.enums import (
    Accommodation,
    Civility,
    ContractKind,
    FamilySituation,
    IncomeSource,
    Nationality,
    Relation,
    Sex,
    WorkingTime,
    WorkSituation,
)
from relais.people.models import Person

PERSONS = 200
SEED = 2026

JOBS = {
    "Transports Garonne": [
        "Conducteur·rice de bus",
        "Agent·e de maintenance",
        "Agent·e d'accueil",
        "Contrôleur·se",
        "Régulateur·rice",
        "Comptable",
    ],
    "Clinique des Chartrons": [
        "Infirmier·ère",
        "Aide-soignant·e",
        "Agent·e de service hospitalier",
        "Secrétaire médical·e",
        "Brancardier·ère",
    ],
    "Communauté de communes du Val de l'Eyre": [
        "Agent·e technique",
        "ATSEM",
        "Aide à domicile",
        "Agent·e d'accueil",
        "Animateur·rice",
    ],
}
CITIES = [
    ("33000", "Bordeaux"),
    ("33130", "Bègles"),
    ("33400", "Talence"),
    ("33600", "Pessac"),
    ("33700", "Mérignac"),
    ("33140", "Villenave-d'Ornon"),
    ("33830", "Belin-Béliet"),
    ("33770", "Salles"),
    ("33380", "Mios"),
    ("33150", "Cenon"),
]


@dataclass(frozen=True)
class Story:
    """A usual situation: the request, what is said in interviews, the plan, the aid."""

    concerns: tuple[str, ...]
    request: str
    facts: tuple[str, ...]
    assessment: str
    goals: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]
    aid: tuple[str, str, int, str] | None = None  # kind, funder, amount, purpose
    origin: str = enums.RequestOrigin.PERSON
    urgency: str = enums.Urgency.NORMAL


STORIES = [
    Story(
        concerns=("budget-endettement", "budget-gestion"),
        request="{civ} {name} demande un rendez-vous : des factures s'accumulent depuis "
        "la baisse de ses heures.",
        facts=(
            "{civ} apporte ses relevés de compte des trois derniers mois. Nous faisons "
            "ensemble la liste des dépenses fixes.",
            "{civ} a appelé son fournisseur d'énergie : un échéancier de six mois est accepté.",
            "Point sur le budget : le loyer et l'énergie sont payés ce mois-ci. Il reste "
            "deux crédits à la consommation en retard.",
        ),
        assessment="{civ} dit avoir honte de sa situation et avoir tardé à demander de "
        "l'aide. Avancer pas à pas, sans multiplier les démarches le même mois.",
        goals=(
            (
                "Ne plus avoir peur d'ouvrir mon courrier",
                (
                    ("Ouvrir et classer le courrier ensemble", "together", ""),
                    ("Faire la liste des dettes", "person", ""),
                ),
            ),
            (
                "Arriver à payer mon loyer chaque mois",
                (
                    ("Demander un échéancier au bailleur", "person", ""),
                    ("Préparer la demande de secours au CSE", "worker", ""),
                ),
            ),
        ),
        aid=("cse_aid", "CSE", 450, "Régularisation d'une facture d'énergie"),
    ),
    Story(
        concerns=("budget-surendettement",),
        request="{civ} {name} a reçu une saisie sur salaire et ne sait pas comment faire.",
        facts=(
            "{civ} explique que les mensualités de crédit dépassent la moitié de ses revenus.",
            "Nous remplissons ensemble le dossier de surendettement ; {civ} apportera les "
            "justificatifs manquants.",
            "Le dossier a été déposé à la Banque de France. Réponse attendue sous trois mois.",
        ),
        assessment="La saisie a été vécue comme une humiliation au travail. Veiller à ce "
        "que le service paie n'en parle pas en dehors du strict nécessaire.",
        goals=(
            (
                "Que la saisie s'arrête",
                (
                    ("Déposer le dossier de surendettement", "together", ""),
                    ("Suivre la décision de la commission", "worker", "Banque de France"),
                ),
            ),
        ),
        origin=enums.RequestOrigin.HR,
    ),
    Story(
        concerns=("logement-maintien", "budget-endettement"),
        request="{civ} {name} a reçu un commandement de payer de son bailleur.",
        facts=(
            "{civ} a trois mois de loyer en retard depuis une période d'arrêt maladie.",
            "Appel au bailleur avec l'accord de {civ} : un plan d'apurement est possible si "
            "le loyer courant reprend.",
            "Le dossier FSL est complet ; passage en commission prévu.",
        ),
        assessment="{civ} craint de perdre son logement et dort mal. Proposer un rendez-vous "
        "rapproché après la commission.",
        goals=(
            (
                "Garder mon appartement",
                (
                    ("Reprendre le paiement du loyer courant", "person", ""),
                    ("Déposer la demande au FSL", "worker", "Département de la Gironde"),
                    ("Signer le plan d'apurement", "person", ""),
                ),
            ),
        ),
        aid=("fsl", "FSL Gironde", 1350, "Dette locative"),
    ),
    Story(
        concerns=("logement-sans-logement",),
        request="{civ} {name} dort dans sa voiture depuis sa séparation.",
        facts=(
            "{civ} travaille de nuit et dort dans sa voiture sur le parking du dépôt.",
            "Demande d'hébergement faite au SIAO avec {civ}. Une place en logement relais "
            "est proposée.",
            "{civ} est entré·e dans le logement relais. Loyer fixé à 150 € par mois.",
        ),
        assessment="Situation d'épuisement. L'urgence est de dormir au chaud ; le reste "
        "attendra quelques semaines.",
        goals=(
            (
                "Avoir un endroit à moi pour dormir",
                (
                    ("Faire la demande SIAO", "worker", "SIAO de la Gironde"),
                    ("Déposer une demande de logement social", "together", ""),
                ),
            ),
        ),
        aid=("action_logement", "Action Logement", 800, "Dépôt de garantie"),
        urgency=enums.Urgency.SOON,
    ),
    Story(
        concerns=("sante-arret-maladie", "maintien-pre-reprise"),
        request="Le médecin du travail signale l'arrêt long de {civ} {name} et propose une "
        "visite de pré-reprise.",
        facts=(
            "{civ} est en arrêt depuis quatre mois. Les indemnités journalières arrivent avec "
            "retard.",
            "Appel à la CPAM avec {civ} : le dossier est débloqué, le rappel sera versé.",
            "Visite de pré-reprise faite avec le médecin du travail. Un temps partiel "
            "thérapeutique est envisagé.",
        ),
        assessment="{civ} redoute le retour dans l'équipe. Préparer la reprise avec "
        "l'encadrement, avec son accord.",
        goals=(
            (
                "Reprendre le travail sans me mettre en danger",
                (
                    ("Demander la visite de pré-reprise", "worker", ""),
                    ("Faire la demande de temps partiel thérapeutique", "person", ""),
                ),
            ),
            (
                "Toucher mes indemnités à temps",
                (("Appeler la CPAM ensemble", "together", "CPAM de la Gironde"),),
            ),
        ),
        origin=enums.RequestOrigin.OCCUPATIONAL_DOCTOR,
    ),
    Story(
        concerns=("maintien-rqth", "handicap-amenagement"),
        request="{civ} {name} souhaite savoir si une reconnaissance de travailleur "
        "handicapé l'aiderait à garder son poste.",
        facts=(
            "Nous parcourons ensemble le dossier MDPH. {civ} hésite à informer son employeur.",
            "Le dossier RQTH est envoyé à la MDPH.",
            "La RQTH est accordée pour cinq ans. Étude d'aménagement du poste en cours.",
        ),
        assessment="La décision d'informer l'employeur appartient à {civ} ; lui laisser le temps.",
        goals=(
            (
                "Garder mon poste avec mon dos",
                (
                    ("Envoyer le dossier RQTH", "person", "MDPH de la Gironde"),
                    ("Demander l'étude de poste", "worker", ""),
                ),
            ),
        ),
    ),
    Story(
        concerns=("at-mp-evenement-traumatique",),
        request="Agression au guichet ce matin : l'encadrement demande que {civ} {name} "
        "soit reçu·e rapidement.",
        facts=(
            "Entretien le jour même. {civ} raconte l'agression et se sent encore en danger.",
            "La déclaration d'accident du travail est faite. {civ} a vu son médecin traitant.",
            "Un mois après : {civ} dort mieux et a repris à un autre poste.",
        ),
        assessment="Signes de choc important. Orientation proposée vers une consultation de "
        "psychotraumatologie ; {civ} y réfléchit.",
        goals=(
            (
                "Me sentir de nouveau en sécurité au travail",
                (
                    ("Prendre rendez-vous en consultation spécialisée", "person", ""),
                    ("Faire le point à un mois", "worker", ""),
                ),
            ),
        ),
        origin=enums.RequestOrigin.MANAGER,
        urgency=enums.Urgency.SAME_DAY,
    ),
    Story(
        concerns=("rps-souffrance", "sante-psychique"),
        request="{civ} {name} dit ne plus y arriver au travail depuis la réorganisation.",
        facts=(
            "{civ} décrit une charge de travail qui a doublé et des tensions dans l'équipe.",
            "{civ} a consulté son médecin et a été orienté·e vers un psychologue.",
        ),
        assessment="Souffrance réelle, liée à l'organisation plus qu'à la personne. En parler "
        "au médecin du travail si {civ} l'accepte.",
        goals=(
            (
                "Retrouver le sommeil",
                (("Consulter le psychologue", "person", "Centre médico-psychologique"),),
            ),
        ),
    ),
    Story(
        concerns=("famille-separation", "acces-droits-prestations"),
        request="{civ} {name} se sépare et demande quels droits ouvrir pour ses enfants.",
        facts=(
            "{civ} vit seul·e avec deux enfants depuis le mois dernier.",
            "Simulation des droits CAF faite ensemble : allocation de soutien familial possible.",
            "La demande à la CAF est déposée ; la pension alimentaire sera fixée par le juge.",
        ),
        assessment="{civ} porte beaucoup seul·e. Penser à l'aide aux vacances des enfants "
        "au printemps.",
        goals=(
            (
                "Que mes enfants ne manquent de rien",
                (
                    ("Déposer la demande d'ASF", "person", "CAF de la Gironde"),
                    ("Demander l'aide du CSE pour la cantine", "worker", "CSE"),
                ),
            ),
        ),
        aid=("cse_aid", "CSE", 300, "Cantine et centre de loisirs"),
    ),
    Story(
        concerns=("aidants-proche-dependant",),
        request="{civ} {name} s'occupe de sa mère dépendante et s'absente souvent.",
        facts=(
            "La mère de {civ} vit seule et ne peut plus se lever sans aide.",
            "Information donnée sur le congé de proche aidant et l'APA.",
            "La demande d'APA est déposée. Une aide à domicile passera deux fois par jour.",
        ),
        assessment="{civ} est épuisé·e et culpabilise. Lui rappeler qu'il existe des "
        "solutions de répit.",
        goals=(
            (
                "Pouvoir souffler un peu",
                (
                    ("Déposer la demande d'APA", "together", "Département de la Gironde"),
                    ("Se renseigner sur l'accueil de jour", "person", ""),
                ),
            ),
        ),
    ),
    Story(
        concerns=("retraite-preparation",),
        request="{civ} {name} prépare son départ en retraite et s'inquiète du montant.",
        facts=(
            "Nous regardons ensemble le relevé de carrière : deux années manquent.",
            "{civ} a demandé la régularisation à la CARSAT.",
        ),
        assessment="Projet clair ; accompagnement court.",
        goals=(
            (
                "Partir en retraite l'an prochain sans perdre de trimestres",
                (("Demander la régularisation de carrière", "person", "CARSAT Aquitaine"),),
            ),
        ),
    ),
    Story(
        concerns=("acces-droits-prestations", "acces-droits-numerique"),
        request="{civ} {name} n'arrive pas à faire ses démarches en ligne.",
        facts=(
            "{civ} n'a pas d'ordinateur. Nous créons ensemble son compte sur le site de la CAF.",
            "La prime d'activité est ouverte. {civ} fera sa déclaration trimestrielle avec "
            "l'aide de sa fille.",
        ),
        assessment="{civ} apprend vite quand on lui montre ; éviter de faire à sa place.",
        goals=(
            (
                "Faire mes démarches seul·e",
                (("Déclarer la prime d'activité ensemble", "together", ""),),
            ),
        ),
    ),
    Story(
        concerns=("violences-conjugales",),
        request="{civ} {name} demande à parler à l'assistante sociale, sans donner de motif.",
        facts=(
            "{civ} souhaite que l'entretien ait lieu hors du site et qu'aucun courrier ne soit "
            "envoyé à son domicile.",
            "Information donnée sur le 3919 et les associations d'aide aux victimes.",
        ),
        assessment="Situation de danger possible. Rendez-vous suivants fixés par téléphone "
        "professionnel uniquement.",
        goals=(
            (
                "Être en sécurité avec mes enfants",
                (("Rencontrer l'association d'aide aux victimes", "person", "CIDFF"),),
            ),
        ),
        aid=("emergency_grant", "Fondation de France", 500, "Premiers frais de relogement"),
    ),
    Story(
        concerns=("mobilite-permis", "mobilite-transport"),
        request="{civ} {name} a perdu son permis et risque de ne plus pouvoir venir travailler.",
        facts=(
            "{civ} habite à quarante minutes du site, sans transport en commun aux heures de "
            "prise de poste.",
            "Un covoiturage avec deux collègues est trouvé pour trois mois.",
        ),
        assessment="La perte d'emploi est la vraie menace ; le covoiturage donne du temps.",
        goals=(
            (
                "Continuer à venir travailler",
                (
                    ("Organiser le covoiturage", "person", ""),
                    ("Demander une aide au permis", "worker", "Action Logement"),
                ),
            ),
        ),
        aid=("loan", "Action Logement", 900, "Stage de récupération de points et transport"),
    ),
]

OTHER_REQUESTS = [
    "{civ} {name} demande une information sur le congé de proche aidant.",
    "{civ} {name} voudrait être aidé·e pour un dossier de logement social.",
    "Le service RH signale des absences répétées de {civ} {name}.",
    "{civ} {name} demande une aide pour payer une facture d'énergie.",
    "{civ} {name} souhaite parler de sa situation après un divorce.",
    "Le CSE oriente {civ} {name} pour une demande d'aide financière.",
]


def _demo_people(organisation: Organisation):
    memberships = Membership.objects.filter(organisation=organisation, is_active=True)
    by_role: dict[str, list[User]] = {}
    for membership in memberships.select_related("user").order_by("user__email"):
        by_role.setdefault(membership.role, []).append(membership.user)
    return by_role.get(Role.SOCIAL_WORKER, []), by_role.get(Role.SECRETARY, [None])[0]


def _person(fake: Faker, rng: random.Random, by: User, employers: list[Employer]) -> Person:
    sex = rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.FEMALE])
    first_name = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
    last_name = fake.last_name()
    birth_name = ""
    if sex == Sex.FEMALE and rng.random() < 0.25:
        birth_name = fake.last_name()
    employer = rng.choice(employers)
    establishments = list(employer.establishments.all())
    postal_code, city = rng.choice(CITIES)
    today = timezone.localdate()
    birth_date = today - datetime.timedelta(days=rng.randint(20 * 365, 63 * 365))
    person = people.person_create(
        by=by,
        last_name=last_name,
        first_name=first_name,
        birth_name=birth_name,
        birth_date=birth_date,
        sex=sex,
        civility=Civility.MADAME if sex == Sex.FEMALE else Civility.MONSIEUR,
        nationality=rng.choice([Nationality.FRENCH] * 8 + [Nationality.EU, Nationality.NON_EU]),
        phone=fake.numerify("06 ## ## ## ##"),
        email=fake.free_email() if rng.random() < 0.6 else "",
        address=fake.street_address(),
        postal_code=postal_code,
        city=city,
        employer=employer,
        establishment=rng.choice(establishments) if establishments else None,
        job_title=rng.choice(JOBS.get(employer.name, ["Employé·e"])),
    )
    return person


def _situation(rng: random.Random, by: User, person: Person, story: Story) -> None:
    today = timezone.localdate()
    sick = any(code.startswith("sante") for code in story.concerns)
    family = rng.choice(list(FamilySituation.values))
    incomes = [IncomeSource.SALARY]
    if sick:
        incomes.append(IncomeSource.DAILY_ALLOWANCE)
    if family == FamilySituation.SINGLE_PARENT:
        incomes.append(IncomeSource.FAMILY_BENEFITS)
    people.person_update_situation(
        by=by,
        person=person,
        contract_kind=rng.choice(
            [ContractKind.CDI] * 6 + [ContractKind.CDD, ContractKind.CIVIL_SERVANT]
        ),
        working_time=rng.choice([WorkingTime.FULL_TIME] * 3 + [WorkingTime.PART_TIME]),
        hired_on=today - datetime.timedelta(days=rng.randint(200, 8000)),
        work_situation=WorkSituation.SICK_LEAVE if sick else WorkSituation.AT_WORK,
        work_situation_since=today - datetime.timedelta(days=rng.randint(30, 140))
        if sick
        else None,
        accommodation=(
            Accommodation.PRECARIOUS
            if "logement-sans-logement" in story.concerns
            else rng.choice(
                [Accommodation.SOCIAL_TENANT, Accommodation.PRIVATE_TENANT, Accommodation.OWNER]
            )
        ),
        family_situation=family,
        income_sources=incomes,
        legal_protection="",
    )
    if family in (FamilySituation.MARRIED, FamilySituation.PACS, FamilySituation.COHABITING):
        people.household_member_add(by=by, person=person, relation=Relation.SPOUSE)
    if family == FamilySituation.SINGLE_PARENT or rng.random() < 0.4:
        for _ in range(rng.randint(1, 3)):
            people.household_member_add(
                by=by,
                person=person,
                relation=Relation.CHILD,
                birth_date=today - datetime.timedelta(days=rng.randint(365, 17 * 365)),
                is_dependent=True,
            )


def _fill(text: str, person: Person) -> str:
    civility = "Madame" if person.civility == Civility.MADAME else "Monsieur"
    return text.format(civ=civility, name=person.last_name.upper())


def _case(rng, worker, colleagues, secretary, person, story, concerns, days_ago, status):
    """One case from its request to today: interviews, notes, plan, tasks, aid."""
    now = timezone.now()
    today = timezone.localdate()
    opened_on = today - datetime.timedelta(days=days_ago)
    received_on = opened_on - datetime.timedelta(days=rng.randint(0, 6))
    chosen = [concerns[code] for code in story.concerns if code in concerns]
    intake = cases.request_record(
        by=secretary or worker,
        person=person,
        origin=story.origin,
        channel=rng.choice([enums.RequestChannel.PHONE, enums.RequestChannel.EMAIL]),
        received_on=received_on,
        urgency=story.urgency,
        summary=_fill(story.request, person),
        concerns=chosen,
        assigned_to=worker,
    )
    case = cases.request_convert_to_case(
        by=worker, request=intake, referents=[worker], concerns=chosen, converted_on=opened_on
    )
    if status == enums.CaseStatus.OPEN:
        return case
    # Interviews spread between the opening and today (the last one a few days ago).
    count = len(story.facts) if days_ago > 20 else 1
    span = max(days_ago - 3, 1)
    for index, fact in enumerate(story.facts[:count]):
        day = opened_on + datetime.timedelta(days=span * index // max(count, 1))
        occurred = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 11, 14, 15, 16])))
        )
        occurred = min(occurred, now - datetime.timedelta(hours=2))
        intervention = cases.intervention_record(
            by=worker,
            case=case,
            kind=rng.choice(
                [enums.InterventionKind.OFFICE_INTERVIEW] * 3
                + [enums.InterventionKind.PHONE_INTERVIEW, enums.InterventionKind.VIDEO_INTERVIEW]
            ),
            occurred_at=occurred,
            duration_minutes=rng.choice([20, 30, 45, 60]),
            place="Bureau du service" if index % 2 == 0 else "",
            concerns=chosen,
            note_body=_fill(fact, person),
        )
        if index == 0 and rng.random() < 0.6:
            shared = [rng.choice(colleagues)] if colleagues and rng.random() < 0.3 else []
            cases.note_add(
                by=worker,
                case=case,
                body=_fill(story.assessment, person),
                kind=enums.NoteKind.ASSESSMENT,
                shared_with=shared,
                intervention=intervention,
            )
    if count > 1:
        plan = cases.plan_create(
            by=worker,
            case=case,
            started_on=opened_on + datetime.timedelta(days=min(7, span)),
            review_on=today + datetime.timedelta(days=rng.randint(10, 80)),
        )
        for words, actions in story.goals:
            goal = cases.goal_add(by=worker, plan=plan, person_words=words)
            for description, owner, partner in actions:
                action = cases.action_add(
                    by=worker,
                    goal=goal,
                    description=description,
                    owner=owner,
                    partner_name=partner,
                    due_on=today + datetime.timedelta(days=rng.randint(-20, 40)),
                )
                if rng.random() < 0.4:
                    cases.action_update(by=worker, action=action, status=enums.ActionStatus.DONE)
            if rng.random() < 0.3:
                cases.goal_update(by=worker, goal=goal, status=enums.GoalStatus.IN_PROGRESS)
    if story.aid and count > 1:
        kind, funder, amount, purpose = story.aid
        aid = cases.aid_request(
            by=worker,
            case=case,
            kind=kind,
            funder=funder,
            amount_requested=Decimal(amount),
            purpose=purpose,
            requested_on=opened_on + datetime.timedelta(days=min(10, span)),
            committee_on=today + datetime.timedelta(days=rng.randint(-10, 20)),
        )
        outcome = rng.random()
        if outcome < 0.4:
            cases.aid_decide(
                by=worker,
                aid=aid,
                granted=True,
                amount_granted=Decimal(amount) if outcome < 0.3 else Decimal(amount * 2 // 3),
                decided_on=min(today, aid.requested_on + datetime.timedelta(days=20)),
            )
        elif outcome < 0.5:
            cases.aid_decide(
                by=worker,
                aid=aid,
                granted=False,
                decided_on=min(today, aid.requested_on + datetime.timedelta(days=20)),
            )
        elif outcome < 0.75:
            cases.aid_update_status(by=worker, aid=aid, status=enums.AidStatus.UNDER_REVIEW)
    # Tasks: some done, some overdue, some to come.
    for title, offset in [
        ("Relancer pour les justificatifs", rng.randint(-12, 10)),
        ("Faire le point avec la personne", rng.randint(-3, 25)),
    ]:
        if rng.random() < 0.55:
            task = cases.task_create(
                by=worker,
                case=case,
                assignee=worker,
                title=title,
                due_on=today + datetime.timedelta(days=offset),
            )
            if offset < 0 and rng.random() < 0.5:
                cases.task_complete(
                    by=worker,
                    task=task,
                    done_at=now - datetime.timedelta(days=rng.randint(1, 5)),
                )
    # Most past follow-ups were done in time; a few are left overdue.
    for task in Task.objects.filter(case=case, done_at__isnull=True, due_on__lt=today):
        if status == enums.CaseStatus.CLOSED or rng.random() < 0.85:
            done_at = timezone.make_aware(datetime.datetime.combine(task.due_on, datetime.time(17)))
            cases.task_complete(by=worker, task=task, done_at=min(done_at, now))
    if status == enums.CaseStatus.CLOSED:
        for task in Task.objects.filter(case=case, done_at__isnull=True):
            cases.task_complete(by=worker, task=task)
        cases.case_close(
            by=worker,
            case=case,
            reason=rng.choice(
                [
                    enums.CaseClosingReason.GOALS_REACHED,
                    enums.CaseClosingReason.GOALS_REACHED,
                    enums.CaseClosingReason.PERSON_ENDED,
                    enums.CaseClosingReason.NO_CONTACT,
                    enums.CaseClosingReason.REDIRECTED,
                ]
            ),
            closed_on=today
            - datetime.timedelta(days=rng.randint(1, max(1, min(days_ago - 1, 30)))),
        )
    return case


def _appointments(rng, workers, secretary, active_by_worker) -> int:
    """Appointments today and this week for each worker (some already honoured)."""
    today = timezone.localdate()
    now = timezone.now()
    created = 0
    for worker in workers:
        active = active_by_worker.get(worker.pk, [])
        rng.shuffle(active)
        slots = [(0, 9, 30), (0, 11, 0), (0, 14, 0), (0, 16, 0)] + [
            (day, hour, 0) for day in range(1, 6) for hour in (9, 14)
        ]
        for (day, hour, minute), case in zip(slots, active, strict=False):
            starts_at = timezone.make_aware(
                datetime.datetime.combine(
                    today + datetime.timedelta(days=day), datetime.time(hour, minute)
                )
            )
            appointment = cases.appointment_book(
                by=secretary or worker,
                worker=worker,
                case=case,
                starts_at=starts_at,
                kind=rng.choice(
                    [enums.InterventionKind.OFFICE_INTERVIEW] * 3
                    + [enums.InterventionKind.PHONE_INTERVIEW]
                ),
                place="Bureau du service",
            )
            created += 1
            if starts_at < now - datetime.timedelta(hours=1):
                cases.intervention_record(
                    by=worker,
                    case=case,
                    kind=appointment.kind,
                    occurred_at=starts_at,
                    duration_minutes=45,
                    note_body="Point d'étape : la personne fait le bilan des démarches en cours.",
                    appointment=appointment,
                )
    return created


def _waiting_requests(rng, fake, workers, secretary, employers) -> int:
    """Requests received these last days, not handled yet (some urgent, some unassigned)."""
    today = timezone.localdate()
    created = 0
    for index in range(18):
        person = _person(fake, rng, secretary or workers[0], employers)
        urgency = (
            enums.Urgency.SOON
            if index % 6 == 0
            else enums.Urgency.SAME_DAY
            if index == 7
            else enums.Urgency.NORMAL
        )
        assigned = None if index % 3 == 0 else workers[index % len(workers)]
        cases.request_record(
            by=secretary or workers[0],
            person=person,
            origin=rng.choice(list(enums.RequestOrigin.values)),
            channel=rng.choice(list(enums.RequestChannel.values)),
            received_on=today - datetime.timedelta(days=rng.randint(0, 6)),
            urgency=urgency,
            summary=_fill(rng.choice(OTHER_REQUESTS), person),
            assigned_to=assigned,
        )
        created += 1
    return created


@transaction.atomic
def seed_casework(organisation: Organisation) -> int:
    """Create the demo social files once; returns the number of persons created.

    The intake history is the marker: other demo parts add a person or a case of their
    own, never a request.
    """
    if Request.objects.filter(organisation=organisation).exists():
        return 0
    reference_seed(organisation)
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    workers, secretary = _demo_people(organisation)
    employers = list(Employer.objects.filter(organisation=organisation).order_by("name"))
    concerns = {c.code: c for c in Concern.objects.filter(organisation=organisation)}
    if not workers or not employers:
        return 0
    active_by_worker: dict[int, list[Case]] = {}
    in_files = PERSONS - 18
    for index in range(in_files):
        worker = workers[index % len(workers)]
        colleagues = [w for w in workers if w.pk != worker.pk]
        person = _person(fake, rng, secretary or worker, employers)
        story = STORIES[index % len(STORIES)]
        if index % 11 == 10:
            # Someone who came once for information: the request is closed, no case.
            intake = cases.request_record(
                by=secretary or worker,
                person=person,
                origin=enums.RequestOrigin.PERSON,
                channel=enums.RequestChannel.PHONE,
                received_on=timezone.localdate() - datetime.timedelta(days=rng.randint(5, 200)),
                summary=_fill(rng.choice(OTHER_REQUESTS), person),
                assigned_to=worker,
            )
            cases.request_close(
                by=worker,
                request=intake,
                reason=enums.RequestClosingReason.INFORMATION_GIVEN,
                closed_on=intake.received_on,
            )
            continue
        _situation(rng, worker, person, story)
        roll = rng.random()
        status = (
            enums.CaseStatus.CLOSED
            if roll < 0.2
            else enums.CaseStatus.OPEN
            if roll < 0.28
            else enums.CaseStatus.ACTIVE
        )
        days_ago = rng.randint(2, 20) if status == enums.CaseStatus.OPEN else rng.randint(15, 420)
        case = _case(rng, worker, colleagues, secretary, person, story, concerns, days_ago, status)
        if status != enums.CaseStatus.CLOSED:
            active_by_worker.setdefault(worker.pk, []).append(case)
    _appointments(rng, workers, secretary, active_by_worker)
    _waiting_requests(rng, fake, workers, secretary, employers)
    _date_last_activity(organisation)
    return PERSONS


def _date_last_activity(organisation: Organisation) -> None:
    """Last activity = the last interview (the seeding itself happened "now")."""
    last = (
        Intervention.objects.filter(case_id=OuterRef("pk"))
        .values("case_id")
        .annotate(last=Max("occurred_at"))
        .values("last")[:1]
    )
    with_interviews = Exists(Intervention.objects.filter(case_id=OuterRef("pk")))
    Case.objects.filter(organisation=organisation).filter(with_interviews).update(
        last_activity_at=Subquery(last)
    )
