"""Synthetic data at scale: one realistic organisation, reproducible from a seed.

This is a **data load**, not application work: rows are written with ``bulk_create`` in
batches, inside one transaction per chunk of persons, and deliberately bypass the
services (``case_open``…). So no audit row is written per generated row, no follow-up
rule fires, and ``created_at`` carries the generated (past) date instead of the load
time. Encrypted fields are still encrypted (``EncryptedTextField`` encrypts in
``pre_save``, which ``bulk_create`` calls). Only the organisation itself goes through
``organisation_create`` (its data key and reference lists).

Same seed, same size and same ``today`` → the same persons, cases, dates and texts
(ciphertexts differ: their nonces are random, as they must be).
"""

import datetime
import math
import random
import time
import uuid
import zoneinfo
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connections, models, transaction
from faker import Faker

from relais.accounts import services as account_services
from relais.accounts.enums import EmployerKind, OrganisationKind, Role
from relais.accounts.models import Employer, Establishment, Membership, Organisation, Team, User
from relais.cases import enums as ce
from relais.cases.models import (
    Action,
    Appointment,
    Case,
    CaseConcern,
    CaseReferent,
    CaseShare,
    Concern,
    FinancialAid,
    Goal,
    Intervention,
    InterventionConcern,
    Note,
    Request,
    RequestConcern,
    SupportPlan,
    Task,
)
from relais.people import enums as pe
from relais.people.models import Household, HouseholdMember, Person
from relais.people.search import normalise_name
from relais.scale import texts
from relais.scale.generator_extras import installed_loaders
from relais.scale.names import NamePools
from relais.scale.version import GENERATOR_VERSION

GENERATED_PASSWORD = "Relais-bench-2026!"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HISTORY_DAYS = 5 * 365
_NAMESPACE = uuid.UUID("9b7c2b8e-4f1a-4c55-9a57-2f1d0c7e5a10")

# Tables in insertion order (parents first); also the order of the report.
LOADED_MODELS = (
    Household,
    Person,
    HouseholdMember,
    Request,
    RequestConcern,
    Case,
    CaseReferent,
    CaseConcern,
    CaseShare,
    Intervention,
    InterventionConcern,
    Note,
    SupportPlan,
    Goal,
    Action,
    Task,
    Appointment,
    FinancialAid,
)

# (value, weight) tables: skewed like a real service's activity.
INTERVENTION_KINDS = (
    (ce.InterventionKind.OFFICE_INTERVIEW, 34),
    (ce.InterventionKind.PHONE_INTERVIEW, 30),
    (ce.InterventionKind.CORRESPONDENCE, 10),
    (ce.InterventionKind.STEP, 10),
    (ce.InterventionKind.HOME_VISIT, 5),
    (ce.InterventionKind.VIDEO_INTERVIEW, 4),
    (ce.InterventionKind.CASE_MEETING, 3),
    (ce.InterventionKind.SITE_VISIT, 2),
    (ce.InterventionKind.DROP_IN, 1.5),
    (ce.InterventionKind.GROUP_SESSION, 0.5),
)
DURATIONS = {
    ce.InterventionKind.OFFICE_INTERVIEW: (45, 60, 30, 90),
    ce.InterventionKind.PHONE_INTERVIEW: (10, 15, 20, 30),
    ce.InterventionKind.CORRESPONDENCE: (10, 15, 20),
    ce.InterventionKind.STEP: (15, 20, 30, 45),
    ce.InterventionKind.HOME_VISIT: (60, 90, 120),
    ce.InterventionKind.VIDEO_INTERVIEW: (30, 45),
    ce.InterventionKind.CASE_MEETING: (60, 90),
    ce.InterventionKind.SITE_VISIT: (60, 90),
    ce.InterventionKind.DROP_IN: (20, 30),
    ce.InterventionKind.GROUP_SESSION: (90, 120),
}
APPOINTMENT_KINDS = {
    ce.InterventionKind.OFFICE_INTERVIEW,
    ce.InterventionKind.VIDEO_INTERVIEW,
    ce.InterventionKind.HOME_VISIT,
    ce.InterventionKind.SITE_VISIT,
}
CONCERN_WEIGHTS = {  # first-level code → weight; children share their parent's weight
    "budget": 22,
    "sante": 18,
    "maintien-emploi": 14,
    "logement": 12,
    "famille": 9,
    "rps": 8,
    "acces-droits": 7,
    "at-mp": 4,
    "handicap": 3,
    "violences": 2,
    "aidants": 2,
    "retraite": 2,
    "mobilite": 1.5,
    "addictions": 1,
}
WORK_SITUATIONS = (
    (pe.WorkSituation.AT_WORK, 62),
    (pe.WorkSituation.SICK_LEAVE, 14),
    (pe.WorkSituation.LONG_SICK_LEAVE, 5),
    (pe.WorkSituation.WORK_ACCIDENT, 4),
    (pe.WorkSituation.THERAPEUTIC_PART_TIME, 4),
    (pe.WorkSituation.DISABILITY, 2),
    (pe.WorkSituation.MATERNITY, 3),
    (pe.WorkSituation.UNFIT, 2),
    (pe.WorkSituation.NOTICE, 2),
    (pe.WorkSituation.JOB_SEEKER, 1),
    (pe.WorkSituation.OTHER, 1),
)
ACCOMMODATIONS = (
    (pe.Accommodation.PRIVATE_TENANT, 34),
    (pe.Accommodation.SOCIAL_TENANT, 26),
    (pe.Accommodation.OWNER, 28),
    (pe.Accommodation.HOSTED_FAMILY, 6),
    (pe.Accommodation.INSTITUTION, 1),
    (pe.Accommodation.RELAY_HOUSING, 1),
    (pe.Accommodation.PRECARIOUS, 1),
    (pe.Accommodation.HOTEL, 0.5),
    ("", 2.5),
)
FAMILY_SITUATIONS = (
    (pe.FamilySituation.SINGLE, 24),
    (pe.FamilySituation.MARRIED, 26),
    (pe.FamilySituation.PACS, 7),
    (pe.FamilySituation.COHABITING, 12),
    (pe.FamilySituation.SEPARATED, 7),
    (pe.FamilySituation.DIVORCED, 10),
    (pe.FamilySituation.WIDOWED, 2),
    (pe.FamilySituation.SINGLE_PARENT, 12),
)
CONTRACTS = (
    (pe.ContractKind.CDI, 70),
    (pe.ContractKind.CDD, 9),
    (pe.ContractKind.TEMPORARY, 3),
    (pe.ContractKind.APPRENTICESHIP, 2),
    (pe.ContractKind.CIVIL_SERVANT, 10),
    (pe.ContractKind.CONTRACT_AGENT, 4),
    ("", 2),
)
LEGAL_PROTECTIONS = (
    ("", 96),
    (pe.LegalProtection.CURATORSHIP, 1.5),
    (pe.LegalProtection.REINFORCED_CURATORSHIP, 1),
    (pe.LegalProtection.GUARDIANSHIP, 0.5),
    (pe.LegalProtection.MASP, 1),
)
REQUEST_ORIGINS = (
    (ce.RequestOrigin.PERSON, 55),
    (ce.RequestOrigin.OCCUPATIONAL_DOCTOR, 15),
    (ce.RequestOrigin.HR, 10),
    (ce.RequestOrigin.MANAGER, 6),
    (ce.RequestOrigin.CSE, 4),
    (ce.RequestOrigin.PARTNER, 5),
    (ce.RequestOrigin.RELATIVE, 2),
    (ce.RequestOrigin.COLLEAGUE, 2),
    (ce.RequestOrigin.OTHER, 1),
)
REQUEST_CHANNELS = (
    (ce.RequestChannel.PHONE, 45),
    (ce.RequestChannel.EMAIL, 25),
    (ce.RequestChannel.IN_PERSON, 12),
    (ce.RequestChannel.DROP_IN, 10),
    (ce.RequestChannel.LETTER, 3),
    (ce.RequestChannel.OTHER, 5),
)
CLOSING_REASONS = (
    (ce.CaseClosingReason.GOALS_REACHED, 45),
    (ce.CaseClosingReason.PERSON_ENDED, 15),
    (ce.CaseClosingReason.NO_CONTACT, 18),
    (ce.CaseClosingReason.REDIRECTED, 10),
    (ce.CaseClosingReason.LEFT, 9),
    (ce.CaseClosingReason.DECEASED, 0.5),
    (ce.CaseClosingReason.OTHER, 2.5),
)
AID_KINDS = (
    (ce.AidKind.EMERGENCY_GRANT, 30),
    (ce.AidKind.LOAN, 25),
    (ce.AidKind.CSE_AID, 15),
    (ce.AidKind.ADVANCE, 8),
    (ce.AidKind.ACTION_LOGEMENT, 10),
    (ce.AidKind.FSL, 5),
    (ce.AidKind.CCAS, 3),
    (ce.AidKind.CHARITY, 3),
    (ce.AidKind.OTHER, 1),
)
AID_DECISIONS = (
    (ce.AidStatus.GRANTED, 66),
    (ce.AidStatus.REFUSED, 16),
    (ce.AidStatus.POSTPONED, 4),
    (ce.AidStatus.DROPPED, 14),
)


def organisation_public_id(seed: int) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"organisation-{seed}")


def login_domain(seed: int) -> str:
    return f"s{seed}.generated.relais.example"


def worker_email(seed: int, number: int) -> str:
    """Login of the generated social worker ``number`` (1-based)."""
    return f"ass{number:03d}@{login_domain(seed)}"


@dataclass(frozen=True)
class Sizes:
    persons: int
    workers: int
    teams: int
    secretaries: int
    managers: int
    employers: int

    @classmethod
    def for_persons(cls, persons: int) -> "Sizes":
        workers = min(100, max(3, persons // 1000))
        teams = min(10, max(1, workers // 10))
        return cls(
            persons=persons,
            workers=workers,
            teams=teams,
            secretaries=max(1, workers // 15),
            managers=max(1, teams // 3),
            employers=min(300, max(3, persons // 350)),
        )


@dataclass
class Report:
    organisation: Organisation
    seconds: float
    rows: Counter = field(default_factory=Counter)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


class _Ids:
    """Primary keys chosen by the loader, so that children can point to parents
    without a round trip (and bulk_create needs no RETURNING)."""

    def __init__(self, using: str, model_classes):
        self.next = {
            model: (model.objects.using(using).aggregate(m=models.Max("id"))["m"] or 0) + 1
            for model in model_classes
        }

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


@contextmanager
def explicit_timestamps(model_classes):
    """Let the loader write ``created_at`` / ``updated_at`` (a 5-year history), which
    ``auto_now(_add)`` would otherwise overwrite with the load time."""
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _weighted(table):
    values = [value for value, _ in table]
    weights = [weight for _, weight in table]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    return values, cumulative


class Generator:
    def __init__(
        self,
        *,
        persons: int,
        seed: int = 1,
        today: datetime.date | None = None,
        using: str = "default",
        chunk_persons: int = 1000,
        progress=None,
    ):
        self.sizes = Sizes.for_persons(persons)
        self.seed = seed
        self.today = today or datetime.date.today()
        self.start = self.today - datetime.timedelta(days=HISTORY_DAYS)
        self.using = using
        self.chunk_persons = chunk_persons
        self.progress = progress or (lambda message: None)
        self.rng = random.Random(seed)
        self.rows: Counter = Counter()
        self._tables = {}
        self.extras = installed_loaders(self)
        self.loaded_models = LOADED_MODELS + tuple(
            model for loader in self.extras for model in loader.models
        )
        self.id_models = (*self.loaded_models, User, Membership, Team, Employer, Establishment)

    # --- small helpers -------------------------------------------------------------

    def pick(self, table):
        """Draw from a (value, weight) table."""
        key = id(table)
        if key not in self._tables:
            self._tables[key] = _weighted(table)
        values, cumulative = self._tables[key]
        x = self.rng.random() * cumulative[-1]
        lo, hi = 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] > x:
                hi = mid
            else:
                lo = mid + 1
        return values[lo]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = hour if hour is not None else self.rng.randint(8, 17)
        return datetime.datetime(
            day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)), tzinfo=PARIS
        )

    @staticmethod
    def workday(day: datetime.date, first: datetime.date, last: datetime.date) -> datetime.date:
        """Services work on weekdays: move a weekend day inside [first, last] if possible."""
        if day.weekday() < 5:
            return day
        after = day + datetime.timedelta(days=7 - day.weekday())
        if after <= last:
            return after
        before = day - datetime.timedelta(days=day.weekday() - 4)
        return before if before >= first else day

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        span = (last - first).days
        return first + datetime.timedelta(days=self.rng.randint(0, max(span, 0)))

    def tenant(self, model, **values):
        """A tenant row with a loader-chosen id and a seeded public id."""
        return model(
            id=self.ids.take(model),
            organisation_id=self.organisation.pk,
            public_id=self.uuid(),
            **values,
        )

    # --- the load ------------------------------------------------------------------

    def run(self) -> Report:
        started = time.monotonic()
        if Organisation.objects.using(self.using).filter(
            public_id=organisation_public_id(self.seed)
        ):
            raise FileExistsError(
                f"Un service généré avec la graine {self.seed} existe déjà dans cette base."
            )
        # The organisation and the reference data go through the apps' services (their
        # timestamps are "now"); the 5-year history below carries its own dates.
        with transaction.atomic(using=self.using):
            self._organisation()
        self.progress(
            f"Service créé : {self.sizes.workers} travailleurs sociaux, "
            f"{self.sizes.employers} employeurs."
        )
        with explicit_timestamps(self.loaded_models):
            done = 0
            while done < self.sizes.persons:
                count = min(self.chunk_persons, self.sizes.persons - done)
                with transaction.atomic(using=self.using):
                    self._chunk(count)
                done += count
                elapsed = time.monotonic() - started
                self.progress(
                    f"{done} personnes, {sum(self.rows.values())} lignes, "
                    f"{sum(self.rows.values()) / elapsed:,.0f} lignes/s".replace(",", " ")
                )
        self._finish()
        return Report(self.organisation, time.monotonic() - started, self.rows)

    def _finish(self):
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Explicit ids were written: move the sequences past them.
                for sql in connection.ops.sequence_reset_sql(no_style(), self.id_models):
                    cursor.execute(sql)
            # Fresh statistics, or the planner guesses on a table it saw empty.
            cursor.execute("ANALYZE")

    # --- the organisation, its staff and its client employers ---------------------

    def _organisation(self):
        sizes = self.sizes
        fake = Faker("fr_FR")
        fake.seed_instance(self.seed)
        self.pools = NamePools(self.seed)
        self.organisation = account_services.organisation_create(
            name=f"Service social inter-entreprises (données générées, graine {self.seed})",
            kind=OrganisationKind.SSIE,
            city="Lyon",
            public_id=organisation_public_id(self.seed),
        )
        # Generated logins are used by the benchmark's HTTP clients, which hold no TOTP device.
        self.organisation.require_two_factor = False
        self.organisation.save(update_fields=["require_two_factor"])
        org = self.organisation.pk
        self.addresses = [fake.street_address() for _ in range(3000)]
        self.places = [(fake.postcode(), fake.city()) for _ in range(400)]
        # The other apps' reference data goes through their own services first (it may
        # create rows), then the loader picks its ids after theirs.
        for loader in self.extras:
            loader.seed_references()
        self.ids = _Ids(self.using, self.id_models)

        teams = [
            Team(id=self.ids.take(Team), organisation_id=org, public_id=self.uuid(), name=name)
            for name in texts.TEAM_NAMES[: sizes.teams]
        ]
        Team.objects.using(self.using).bulk_create(teams)

        employers, establishments = [], []
        self.establishments_of = {}
        for i in range(sizes.employers):
            employer = Employer(
                id=self.ids.take(Employer),
                organisation_id=org,
                public_id=self.uuid(),
                name=f"{self.pools.last_name(self.rng)} {self.rng.choice(texts.EMPLOYER_SUFFIXES)}",
                kind=self.pick(
                    (
                        (EmployerKind.PRIVATE_COMPANY, 75),
                        (EmployerKind.PUBLIC_COMPANY, 5),
                        (EmployerKind.FPT, 8),
                        (EmployerKind.FPH, 6),
                        (EmployerKind.ASSOCIATION, 6),
                    )
                ),
                siren=f"{self.rng.randrange(10**8, 10**9)}",
                # The first clients are the big ones: they also get more persons (Zipf).
                headcount=int(250 + 20000 / (i + 1) ** 0.9 * self.rng.uniform(0.7, 1.3)),
            )
            employers.append(employer)
            own = []
            for _ in range(1 + min(int(self.rng.expovariate(0.6)), 12)):
                _postcode, city = self.rng.choice(self.places)
                own.append(
                    Establishment(
                        id=self.ids.take(Establishment),
                        organisation_id=org,
                        public_id=self.uuid(),
                        employer_id=employer.id,
                        name=f"Site de {city}",
                        siret=employer.siren + f"{self.rng.randrange(10**4, 10**5)}",
                        city=city,
                    )
                )
            establishments += own
            self.establishments_of[employer.id] = [e.id for e in own]
        Employer.objects.using(self.using).bulk_create(employers)
        Establishment.objects.using(self.using).bulk_create(establishments)
        self.employer_ids = [e.id for e in employers]
        self.employer_table = [(e.id, 1 / (rank + 1) ** 0.9) for rank, e in enumerate(employers)]

        password = make_password(GENERATED_PASSWORD)  # hashed once, not per user
        users, memberships = [], []

        def staff(email, role, team_id=None, employer_id=None):
            sex = "f" if self.rng.random() < 0.85 else "m"
            user = User(
                id=self.ids.take(User),
                email=email,
                password=password,
                first_name=self.pools.first_name(self.rng, sex),
                last_name=self.pools.last_name(self.rng),
                public_id=self.uuid(),
            )
            users.append(user)
            memberships.append(
                Membership(
                    id=self.ids.take(Membership),
                    organisation_id=org,
                    public_id=self.uuid(),
                    user_id=user.id,
                    role=role,
                    team_id=team_id,
                    employer_id=employer_id,
                )
            )
            return user.id

        domain = login_domain(self.seed)
        self.workers = [
            staff(worker_email(self.seed, n), Role.SOCIAL_WORKER, teams[(n - 1) % len(teams)].id)
            for n in range(1, sizes.workers + 1)
        ]
        self.secretaries = [
            staff(f"secretariat{n:02d}@{domain}", Role.SECRETARY)
            for n in range(1, sizes.secretaries + 1)
        ]
        for n in range(1, sizes.managers + 1):
            staff(f"cadre{n:02d}@{domain}", Role.MANAGER)
        staff(f"admin@{domain}", Role.ADMIN)
        for n, employer in enumerate(employers[:3], 1):
            staff(f"employeur{n:02d}@{domain}", Role.EMPLOYER_VIEWER, employer_id=employer.id)
        User.objects.using(self.using).bulk_create(users)
        Membership.objects.using(self.using).bulk_create(memberships)
        self.rows.update({"accounts.User": len(users), "accounts.Membership": len(memberships)})

        # Part-time and full-time workers, new and experienced: uneven caseloads.
        self.worker_table = [(w, self.rng.lognormvariate(0, 0.3)) for w in self.workers]
        self.worker_team = {m.user_id: m.team_id for m in memberships if m.team_id}

        concerns = list(
            Concern.objects.using(self.using)
            .filter(organisation=self.organisation, parent__isnull=False)
            .select_related("parent")
        )
        self.concern_table = [(c.id, CONCERN_WEIGHTS.get(c.parent.code, 1)) for c in concerns]
        for loader in self.extras:
            loader.setup()

    # --- persons, one chunk at a time ---------------------------------------------

    def _chunk(self, count: int):
        self.batch = {model: [] for model in self.loaded_models}
        for _ in range(count):
            self._person()
        for model in self.loaded_models:
            rows = self.batch[model]
            if rows:
                model.objects.using(self.using).bulk_create(rows, batch_size=2000)
                self.rows[model._meta.label] += len(rows)

    def add(self, obj):
        self.batch[type(obj)].append(obj)
        return obj

    def _person(self):
        rng = self.rng
        sex = "f" if rng.random() < 0.57 else "m"
        family = self.pick(FAMILY_SITUATIONS)
        age = min(66, max(18, int(rng.triangular(19, 66, 46))))
        birth_date = self.today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        arrival = self.day_between(self.start, self.today - datetime.timedelta(days=1))
        created = self.at(arrival)
        last_name = self.pools.last_name(rng)
        first_name = self.pools.first_name(rng, sex)
        birth_name = ""
        if sex == "f" and family in ("married", "widowed", "divorced") and rng.random() < 0.55:
            birth_name = self.pools.last_name(rng)
        employer_id = self.pick(self.employer_table)
        situation = self.pick(WORK_SITUATIONS)
        postcode, city = rng.choice(self.places)
        household = self.add(self.tenant(Household, created_at=created))
        incomes = ["salary"] if situation in ("at_work", "therapeutic", "notice") else []
        if situation in ("sick_leave", "long_sick_leave", "work_accident"):
            incomes.append("daily_allowance")
        if family == "single_parent" or rng.random() < 0.2:
            incomes.append("family_benefits")
        if rng.random() < 0.3:
            incomes.append("housing_benefit")
        person = self.tenant(
            Person,
            created_at=created,
            civility="mme" if sex == "f" else "m",
            last_name=last_name,
            first_name=first_name,
            birth_name=birth_name,
            birth_date=birth_date if rng.random() < 0.96 else None,
            sex=sex,
            nationality=self.pick(
                (("french", 86), ("eu", 5), ("non_eu", 6), ("", 3)),
            ),
            phone=f"0{rng.choice('67')} {rng.randrange(10**7, 10**8):08d}"[:14]
            if rng.random() < 0.88
            else "",
            email=f"{normalise_name(first_name).replace(' ', '')}."
            f"{normalise_name(last_name).replace(' ', '-')}@example.org"
            if rng.random() < 0.45
            else "",
            address=rng.choice(self.addresses) if rng.random() < 0.8 else "",
            postal_code=postcode,
            city=city,
            employer_id=employer_id,
            establishment_id=rng.choice(self.establishments_of[employer_id]),
            job_title=rng.choice(texts.JOB_TITLES) if rng.random() < 0.8 else "",
            contract_kind=self.pick(CONTRACTS),
            working_time=self.pick((("full_time", 78), ("part_time", 18), ("therapeutic", 4))),
            hired_on=birth_date + datetime.timedelta(days=rng.randint(18 * 365, age * 365))
            if rng.random() < 0.7
            else None,
            work_situation=situation,
            work_situation_since=self.day_between(arrival - datetime.timedelta(days=200), arrival)
            if situation != "at_work"
            else None,
            accommodation=self.pick(ACCOMMODATIONS),
            family_situation=family,
            income_sources=incomes,
            legal_protection=self.pick(LEGAL_PROTECTIONS),
            household_id=household.id,
        )
        person.search_name = person.compute_search_name()  # save() would; bulk_create does not
        self.add(person)
        self._household_members(household, person, family)
        worker = self.pick(self.worker_table)
        last_contact = self._cases(person, arrival, worker)
        person.last_contact_at = last_contact

    def _household_members(self, household, person, family):
        rng = self.rng
        members = []
        if family in ("married", "pacs", "cohabiting"):
            spouse_sex = "m" if person.sex == "f" else "f"
            members.append(("spouse", self.pools.first_name(rng, spouse_sex), 25, 65, False))
        children = 0
        if family in ("married", "pacs", "cohabiting", "single_parent", "divorced", "separated"):
            children = min(5, int(rng.expovariate(0.8)) + (1 if family == "single_parent" else 0))
        for _ in range(children):
            members.append(("child", self.pools.first_name(rng, rng.choice("fm")), 0, 22, True))
        if rng.random() < 0.03:
            members.append(("hosted", self.pools.first_name(rng, rng.choice("fm")), 18, 70, False))
        for relation, first_name, min_age, max_age, dependent in members:
            age = rng.randint(min_age, max_age)
            self.add(
                self.tenant(
                    HouseholdMember,
                    created_at=person.created_at,
                    household_id=household.id,
                    first_name=first_name,
                    last_name=person.last_name if relation != "hosted" else "",
                    relation=relation,
                    birth_date=self.today
                    - datetime.timedelta(days=age * 365 + rng.randint(0, 364)),
                    is_hosted=relation == "hosted",
                    is_dependent=dependent and age < 20,
                )
            )

    def _cases(self, person, arrival, worker):
        """The person's cases over the 5 years, and everything recorded in them."""
        rng = self.rng
        last_contact = None
        opened = arrival
        recent = (self.today - arrival).days < 21
        if recent and rng.random() < 0.4:
            # Arrived lately: a request still waiting to be handled, no case yet.
            self._request(person, arrival, worker, case=None, status=ce.RequestStatus.WAITING)
            return self.at(arrival)
        if rng.random() < 0.1:
            # An earlier request answered at intake (information given), no case.
            self._request(
                person,
                arrival,
                worker,
                case=None,
                status=ce.RequestStatus.CLOSED,
                closing_reason=ce.RequestClosingReason.INFORMATION_GIVEN,
            )
        n_cases = self.pick(((1, 78), (2, 17), (3, 5)))
        for _ in range(n_cases):
            if opened >= self.today:
                break
            if rng.random() < 0.3:
                worker = self.pick(self.worker_table)
            duration = rng.lognormvariate(math.log(110), 0.9)
            closes = opened + datetime.timedelta(days=int(duration))
            case_last = self._case(person, opened, closes, worker)
            last_contact = max(filter(None, (last_contact, case_last)), default=None)
            opened = closes + datetime.timedelta(days=int(rng.uniform(30, 600)))
        return last_contact

    def _request(self, person, day, worker, *, case, status, closing_reason=""):
        rng = self.rng
        received = day - datetime.timedelta(days=rng.randint(0, 10)) if case else day
        concern_id = self.pick(self.concern_table)
        request = self.add(
            self.tenant(
                Request,
                created_at=self.at(received),
                person_id=person.id,
                origin=self.pick(REQUEST_ORIGINS),
                channel=self.pick(REQUEST_CHANNELS),
                received_on=received,
                urgency=self.pick((("normal", 85), ("soon", 10), ("same_day", 5))),
                summary="Demande d'un rendez-vous : "
                + rng.choice(texts.NOTE_FACTS).format(civ="la personne", Civ="La personne"),
                status=status,
                closing_reason=closing_reason,
                closed_on=received if status == ce.RequestStatus.CLOSED else None,
                received_by_id=rng.choice(self.secretaries) if rng.random() < 0.6 else worker,
                assigned_to_id=worker if status != ce.RequestStatus.WAITING else None,
                case_id=case.id if case else None,
            )
        )
        self.add(
            self.tenant(
                RequestConcern,
                created_at=request.created_at,
                request_id=request.id,
                concern_id=concern_id,
            )
        )
        return concern_id

    def _case(self, person, opened, closes, worker):
        rng = self.rng
        today = self.today
        is_closed = closes < today
        case = self.tenant(
            Case,
            created_at=self.at(opened),
            person_id=person.id,
            status=ce.CaseStatus.CLOSED
            if is_closed
            else ce.CaseStatus.OPEN
            if (today - opened).days < 10
            else ce.CaseStatus.ACTIVE,
            opened_on=opened,
            closed_on=closes if is_closed else None,
            closing_reason=self.pick(CLOSING_REASONS) if is_closed else "",
            team_id=self.worker_team.get(worker),
        )
        self.add(case)
        self.add(
            self.tenant(
                CaseReferent,
                created_at=case.created_at,
                case_id=case.id,
                user_id=worker,
                case_open=not is_closed,
                case_opened_on=opened,
            )
        )
        if rng.random() < 0.05:
            other = self.pick(self.worker_table)
            if other != worker:
                self.add(
                    self.tenant(
                        CaseReferent,
                        created_at=case.created_at,
                        case_id=case.id,
                        user_id=other,
                        is_primary=False,
                        case_open=not is_closed,
                        case_opened_on=opened,
                    )
                )
        first_concern = self._request(
            person, opened, worker, case=case, status=ce.RequestStatus.CONVERTED
        )
        concerns = {first_concern}
        while rng.random() < 0.45 and len(concerns) < 4:
            concerns.add(self.pick(self.concern_table))
        concerns = sorted(concerns)
        for concern_id in concerns:
            self.add(
                self.tenant(
                    CaseConcern, created_at=case.created_at, case_id=case.id, concern_id=concern_id
                )
            )
        if not is_closed and rng.random() < 0.01:
            colleague = self.pick(self.worker_table)
            if colleague != worker:
                self.add(
                    self.tenant(
                        CaseShare,
                        created_at=self.at(today - datetime.timedelta(days=3)),
                        case_id=case.id,
                        shared_with_id=colleague,
                        shared_by_id=worker,
                        reason="Congés de la référente",
                        starts_on=today - datetime.timedelta(days=3),
                        ends_on=today + datetime.timedelta(days=rng.randint(5, 20)),
                    )
                )

        end = min(closes, today)
        span = max((end - opened).days, 1)
        count = max(1, round(rng.lognormvariate(math.log(5.7), 0.85) * (span / 110) ** 0.5))
        count = min(count, 400)
        days = sorted(
            self.workday(day, opened, end)
            for day in [opened] + [self.day_between(opened, end) for _ in range(count - 1)]
        )
        interventions = []
        for day in days:
            interventions.append(self._intervention(case, person, day, worker, concerns))
        last = interventions[-1].occurred_at
        case.last_activity_at = last

        n_interventions = len(interventions)
        if n_interventions >= 4 and rng.random() < 0.4:
            self._plan(case, opened, closes, is_closed)
        self._tasks(case, opened, end, worker, is_closed)
        self._appointments(case, person, worker, interventions, is_closed)
        if rng.random() < 0.12:
            self._aid(case, opened, end, worker)
        for loader in self.extras:
            loader.case(case, person, worker, opened, end, is_closed, interventions)
        return last

    def _intervention(self, case, person, day, worker, concerns):
        rng = self.rng
        kind = self.pick(INTERVENTION_KINDS)
        occurred = self.at(day)
        author = worker if rng.random() < 0.92 else self.pick(self.worker_table)
        intervention = self.add(
            self.tenant(
                Intervention,
                created_at=occurred,
                case_id=case.id,
                kind=kind,
                occurred_at=occurred,
                duration_minutes=rng.choice(DURATIONS[kind]),
                place=rng.choice(texts.PLACES),
                participants=rng.choice(texts.PARTICIPANTS),
                author_id=author,
            )
        )
        if rng.random() < 0.4:
            self.add(
                self.tenant(
                    InterventionConcern,
                    created_at=occurred,
                    intervention_id=intervention.id,
                    concern_id=rng.choice(concerns),
                )
            )
        if rng.random() < 0.35:
            civ = "Madame" if person.sex == "f" else "Monsieur"
            words = {"civ": civ, "Civ": civ}
            assessment = rng.random() < 0.15
            sentences = [rng.choice(texts.NOTE_OPENINGS), rng.choice(texts.NOTE_FACTS)]
            if rng.random() < 0.5:
                sentences.append(rng.choice(texts.NOTE_FACTS))
            if assessment:
                sentences.append(rng.choice(texts.ASSESSMENT_SENTENCES))
            sentences.append(rng.choice(texts.NOTE_CLOSINGS))
            self.add(
                self.tenant(
                    Note,
                    created_at=occurred,
                    updated_at=occurred,
                    case_id=case.id,
                    intervention_id=intervention.id,
                    author_id=author,
                    kind=ce.NoteKind.ASSESSMENT if assessment else ce.NoteKind.FACT,
                    body=" ".join(s.format(**words) for s in sentences if s),
                )
            )
        return intervention

    def _plan(self, case, opened, closes, is_closed):
        rng = self.rng
        started = opened + datetime.timedelta(days=rng.randint(7, 40))
        if started >= self.today:
            return
        review_on = started + datetime.timedelta(days=90)
        plan = self.add(
            self.tenant(
                SupportPlan,
                created_at=self.at(started),
                case_id=case.id,
                started_on=started,
                review_on=review_on,
                reviewed_on=min(review_on, closes) if is_closed else None,
                review="Bilan fait avec la personne : objectifs repris ensemble."
                if is_closed
                else "",
            )
        )
        for position in range(rng.choice((1, 1, 2, 2, 3))):
            goal = self.add(
                self.tenant(
                    Goal,
                    created_at=plan.created_at,
                    plan_id=plan.id,
                    person_words=rng.choice(texts.GOAL_WORDS),
                    worker_wording=rng.choice(texts.GOAL_WORDINGS),
                    status=self.pick(
                        (("reached", 50), ("partly_reached", 25), ("dropped", 25))
                        if is_closed
                        else (("planned", 30), ("in_progress", 60), ("reached", 10))
                    ),
                    position=position,
                )
            )
            for _ in range(rng.choice((1, 1, 2))):
                description, owner = rng.choice(texts.ACTIONS)
                due = started + datetime.timedelta(days=rng.randint(7, 60))
                done = is_closed or (due < self.today and rng.random() < 0.8)
                self.add(
                    self.tenant(
                        Action,
                        created_at=plan.created_at,
                        goal_id=goal.id,
                        description=description,
                        owner=owner,
                        due_on=due,
                        status=ce.ActionStatus.DONE if done else ce.ActionStatus.TODO,
                        done_on=min(due, self.today) if done else None,
                    )
                )

    def _tasks(self, case, opened, end, worker, is_closed):
        rng = self.rng
        today = self.today
        for _ in range(rng.choice((0, 1, 1, 2))):
            due = self.day_between(opened, end)
            self.add(
                self.tenant(
                    Task,
                    created_at=self.at(opened),
                    case_id=case.id,
                    assignee_id=worker,
                    title=rng.choice(texts.TASK_TITLES),
                    due_on=due,
                    done_at=self.at(due),
                    created_by_id=worker,
                )
            )
        if not is_closed:
            for _ in range(rng.choice((1, 1, 2))):
                due = today + datetime.timedelta(days=rng.randint(-12, 30))
                self.add(
                    self.tenant(
                        Task,
                        created_at=self.at(max(opened, today - datetime.timedelta(days=20))),
                        case_id=case.id,
                        assignee_id=worker,
                        title=rng.choice(texts.TASK_TITLES),
                        due_on=due,
                        done_at=None if due >= today or rng.random() < 0.3 else self.at(due),
                        created_by_id=worker,
                    )
                )

    def _appointments(self, case, person, worker, interventions, is_closed):
        rng = self.rng
        today = self.today
        a_year_ago = datetime.datetime.combine(
            today - datetime.timedelta(days=365), datetime.time(), tzinfo=PARIS
        )
        for intervention in interventions:
            if intervention.kind in APPOINTMENT_KINDS and intervention.occurred_at > a_year_ago:
                self.add(
                    self.tenant(
                        Appointment,
                        created_at=intervention.occurred_at - datetime.timedelta(days=7),
                        person_id=person.id,
                        case_id=case.id,
                        worker_id=intervention.author_id,
                        starts_at=intervention.occurred_at,
                        duration_minutes=intervention.duration_minutes or 45,
                        kind=intervention.kind,
                        place=intervention.place,
                        status=ce.AppointmentStatus.DONE,
                        created_by_id=intervention.author_id,
                        intervention_id=intervention.id,
                    )
                )
                if rng.random() < 0.06:  # a missed one before this one
                    missed = intervention.occurred_at - datetime.timedelta(days=rng.randint(3, 14))
                    self.add(
                        self.tenant(
                            Appointment,
                            created_at=missed - datetime.timedelta(days=7),
                            person_id=person.id,
                            case_id=case.id,
                            worker_id=intervention.author_id,
                            starts_at=missed,
                            kind=intervention.kind,
                            status=ce.AppointmentStatus.MISSED,
                            created_by_id=intervention.author_id,
                        )
                    )
        if not is_closed and rng.random() < 0.75:
            day = today + datetime.timedelta(days=int(rng.expovariate(1 / 12)))
            starts = self.at(day)
            self.add(
                self.tenant(
                    Appointment,
                    created_at=self.at(today - datetime.timedelta(days=rng.randint(1, 20))),
                    person_id=person.id,
                    case_id=case.id,
                    worker_id=worker,
                    starts_at=starts,
                    duration_minutes=rng.choice((30, 45, 60)),
                    kind=self.pick(
                        (("office", 60), ("phone", 20), ("video", 10), ("home_visit", 10))
                    ),
                    place="Bureau du service",
                    status=ce.AppointmentStatus.PLANNED,
                    created_by_id=rng.choice(self.secretaries) if rng.random() < 0.5 else worker,
                )
            )

    def _aid(self, case, opened, end, worker):
        rng = self.rng
        requested = self.day_between(opened, end)
        amount = round(min(5000, max(50, rng.lognormvariate(math.log(450), 0.7))), -1)
        decided = (self.today - requested).days > 30
        status = (
            self.pick(AID_DECISIONS)
            if decided
            else self.pick((("awaiting_documents", 40), ("under_review", 60)))
        )
        granted = None
        if status == ce.AidStatus.GRANTED:
            granted = amount if rng.random() < 0.7 else round(amount * rng.uniform(0.4, 0.9), -1)
        self.add(
            self.tenant(
                FinancialAid,
                created_at=self.at(requested),
                case_id=case.id,
                kind=self.pick(AID_KINDS),
                funder=rng.choice(texts.AID_FUNDERS),
                amount_requested=amount,
                amount_granted=granted,
                purpose=rng.choice(texts.AID_PURPOSES),
                requested_on=requested,
                committee_on=requested + datetime.timedelta(days=14) if decided else None,
                decided_on=requested + datetime.timedelta(days=rng.randint(14, 30))
                if decided
                else None,
                status=status,
                created_by_id=worker,
            )
        )


def generate(**kwargs) -> Report:
    return Generator(**kwargs).run()


__all__ = ["GENERATED_PASSWORD", "GENERATOR_VERSION", "Generator", "Report", "generate"]
