"""Benchmark of the statistics engine on a large organisation (not part of the test suite).

Creates, once, an organisation of 100 workers, 100,000 persons, ~125,000 cases and
1,000,000 interventions in the database named by DATABASE_URL (never the default one),
then times the yearly statistics of the whole organisation, as the statistics page and
the PDF report compute them, with the number of SQL queries.

    DATABASE_URL=sqlite:///var/bench-stats.sqlite3 .venv/bin/python -m tests.stats.bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench_stats \\
        .venv/bin/python -m tests.stats.bench

Options: --persons N (default 100000), --interventions N (default 1000000), --repeat N.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid

BENCH_ORGANISATION = uuid.UUID("be4c0000-0000-4000-8000-00000000057a")


def setup_django():
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL est obligatoire : ce script écrit un million de lignes.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.test_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n_persons: int, n_interventions: int):
    from django.db import transaction

    from relais.accounts import services as account_services
    from relais.accounts.enums import EmployerKind, OrganisationKind, Role
    from relais.accounts.models import Employer, Establishment, Organisation, Team
    from relais.cases import enums as ce
    from relais.cases.models import (
        Case,
        CaseConcern,
        CaseReferent,
        Concern,
        FinancialAid,
        Intervention,
        Request,
    )
    from relais.people import enums as pe
    from relais.people.models import Person

    existing = Organisation.objects.filter(public_id=BENCH_ORGANISATION).first()
    if existing is not None:
        return existing
    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        org = account_services.organisation_create(
            name="Banc d'essai statistiques",
            kind=OrganisationKind.DEPARTMENT,
            public_id=BENCH_ORGANISATION,
        )
        teams = [Team.objects.create(organisation=org, name=f"Secteur {i}") for i in range(10)]
        workers = [
            account_services.user_create(
                organisation=org,
                email=f"ass{i}@bench-stats.example",
                password=None,
                role=Role.SOCIAL_WORKER,
                team=teams[i % 10],
            )
            for i in range(100)
        ]
        account_services.user_create(
            organisation=org, email="cadre@bench-stats.example", password=None, role=Role.MANAGER
        )
        kinds = list(EmployerKind.values)
        employers = [
            Employer.objects.create(organisation=org, name=f"Employeur {i}", kind=kinds[i % 7])
            for i in range(50)
        ]
        establishments = {
            e.pk: [
                Establishment.objects.create(organisation=org, employer=e, name=f"Site {j}")
                for j in range(3)
            ]
            for e in employers
        }
    print(f"organisation: {time.perf_counter() - started:.1f} s", flush=True)

    def choice_or_blank(values, blank=0.1):
        return "" if rng.random() < blank else rng.choice(values)

    persons = []
    for i in range(n_persons):
        employer = rng.choice(employers) if rng.random() < 0.8 else None
        persons.append(
            Person(
                organisation=org,
                last_name=f"Nom{i}",
                first_name="Prénom",
                search_name=f"nom{i} prenom",
                sex=choice_or_blank(["f", "m"], 0.05),
                birth_date=(
                    None
                    if rng.random() < 0.05
                    else datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
                ),
                family_situation=choice_or_blank(pe.FamilySituation.values),
                work_situation=choice_or_blank(pe.WorkSituation.values),
                contract_kind=choice_or_blank(pe.ContractKind.values),
                employer=employer,
                establishment=rng.choice(establishments[employer.pk]) if employer else None,
            )
        )
    Person.objects.bulk_create(persons, batch_size=5000)
    person_ids = list(Person.objects.filter(organisation=org).values_list("pk", flat=True))
    print(f"persons: {time.perf_counter() - started:.1f} s", flush=True)

    cases = []
    for person_id in person_ids:
        for _ in range(2 if rng.random() < 0.25 else 1):
            opened = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(2500))
            closed = (
                opened + datetime.timedelta(days=rng.randrange(30, 900))
                if rng.random() < 0.6
                else None
            )
            cases.append(
                Case(
                    organisation=org,
                    person_id=person_id,
                    opened_on=opened,
                    closed_on=closed,
                    status=ce.CaseStatus.CLOSED if closed else ce.CaseStatus.ACTIVE,
                    closing_reason=rng.choice(ce.CaseClosingReason.values) if closed else "",
                    team=rng.choice(teams),
                )
            )
    Case.objects.bulk_create(cases, batch_size=5000)
    case_rows = list(
        Case.objects.filter(organisation=org).values_list("pk", "opened_on", "closed_on")
    )
    CaseReferent.objects.bulk_create(
        [
            CaseReferent(organisation=org, case_id=pk, user=rng.choice(workers))
            for pk, _, _ in case_rows
        ],
        batch_size=5000,
    )
    concerns = list(Concern.objects.filter(organisation=org).values_list("pk", flat=True))
    CaseConcern.objects.bulk_create(
        [
            CaseConcern(organisation=org, case_id=pk, concern_id=concern)
            for pk, _, _ in case_rows
            for concern in rng.sample(concerns, rng.randrange(1, 4))
        ],
        batch_size=5000,
    )
    print(f"cases: {time.perf_counter() - started:.1f} s", flush=True)

    tz = datetime.UTC
    kinds = ce.InterventionKind.values
    batch = []
    for i in range(n_interventions):
        pk, opened, closed = case_rows[i % len(case_rows)]
        end = closed or datetime.date(2026, 11, 1)
        day = opened + datetime.timedelta(days=rng.randrange(max(1, (end - opened).days)))
        batch.append(
            Intervention(
                organisation=org,
                case_id=pk,
                kind=rng.choice(kinds),
                occurred_at=datetime.datetime.combine(day, datetime.time(9 + i % 9), tzinfo=tz),
                duration_minutes=rng.choice([15, 30, 45, 60, 90]),
                author=workers[i % 100],
            )
        )
        if len(batch) == 20000:
            Intervention.objects.bulk_create(batch)
            batch = []
    Intervention.objects.bulk_create(batch)
    print(f"interventions: {time.perf_counter() - started:.1f} s", flush=True)

    Request.objects.bulk_create(
        [
            Request(
                organisation=org,
                person_id=rng.choice(person_ids),
                origin=rng.choice(ce.RequestOrigin.values),
                channel=ce.RequestChannel.PHONE,
                received_on=datetime.date(2019, 1, 1)
                + datetime.timedelta(days=rng.randrange(2800)),
                received_by=rng.choice(workers),
                summary="",
            )
            for _ in range(n_persons // 2)
        ],
        batch_size=5000,
    )
    FinancialAid.objects.bulk_create(
        [
            FinancialAid(
                organisation=org,
                case_id=rng.choice(case_rows)[0],
                kind=rng.choice(ce.AidKind.values),
                funder="CCAS",
                amount_requested=rng.randrange(50, 2000),
                amount_granted=rng.randrange(50, 500),
                status=rng.choice(ce.AidStatus.values),
                requested_on=datetime.date(2019, 1, 1)
                + datetime.timedelta(days=rng.randrange(2800)),
                created_by=rng.choice(workers),
            )
            for _ in range(n_persons // 5)
        ],
        batch_size=5000,
    )
    print(f"requests and aid: {time.perf_counter() - started:.1f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Organisation.objects.get(public_id=BENCH_ORGANISATION)


def measure(org, repeat: int):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from relais.accounts.models import Employer
    from relais.stats.selectors import Period, Scope, statistics_config, statistics_tables
    from relais.stats.suppression import suppress
    from relais.stats.views import COMPANY_KEYS, STAFF_KEYS

    year = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    employer = Employer.objects.filter(organisation=org).order_by("pk").first()
    cases = [
        (
            "yearly, whole organisation (page: all tables + caseload)",
            Scope(org.pk, year),
            (*STAFF_KEYS, "charge-active"),
        ),
        (
            "yearly, one company (employer report)",
            Scope(org.pk, year, employer_id=employer.pk),
            COMPANY_KEYS,
        ),
        (
            "quarterly, whole organisation",
            Scope(org.pk, Period(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))),
            STAFF_KEYS,
        ),
    ]
    print(f"database: {connection.vendor}")
    for label, scope, keys in cases:
        timings = []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                config = statistics_config(org.pk)
                tables = statistics_tables(scope=scope, config=config, keys=keys)
                tables = {k: suppress(t, config.threshold) for k, t in tables.items()}
                timings.append(time.perf_counter() - started)
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
        print(
            f"{label}: median {statistics.median(timings) * 1000:.0f} ms, "
            f"best {min(timings) * 1000:.0f} ms, {len(ctx.captured_queries)} queries; "
            f"slowest queries {', '.join(q['time'] + ' s' for q in slowest)}"
        )
        active = tables["activite"].rows[0]
        print(f"   file active: {active.values['count']} cases, {active.values['persons']} persons")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--interventions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    org = populate(args.persons, args.interventions)
    from django.conf import settings

    settings.DEBUG = True  # to capture query times
    measure(org, args.repeat)


if __name__ == "__main__":
    main()
