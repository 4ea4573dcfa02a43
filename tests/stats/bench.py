"""Timing of the statistics on the `make bench` dataset (not part of the test suite).

`make bench` generates (relais.scale.generator) an organisation of 100,000 persons and
about 1,000,000 interventions, as an SQLite file and a PostgreSQL database. This script
only reads it: it times the yearly statistics of the whole organisation as the page and
the PDF report compute them, and the whole statistics page of a manager (view and
templates, without the HTTP layer), and counts the SQL queries.

    make bench   # once, to generate the datasets
    DATABASE_URL=sqlite:///var/bench/sqlite-p100000-s1.sqlite3 \\
        .venv/bin/python -m tests.stats.bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench_p100000_s1 \\
        .venv/bin/python -m tests.stats.bench

Wall time depends on what else the machine runs; on SQLite the CPU time of this process is
also given (all the work happens in it), with the load average.
"""

import argparse
import datetime
import os
import statistics
import sys
import time


def setup_django():
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL est obligatoire : la base du jeu de données de `make bench`.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.test_settings")
    import django

    django.setup()


def _run(repeat: int, work) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), len(ctx.captured_queries)


def measure(seed: int, year: int, repeat: int, organisation_id: str | None = None):
    from django.db import connection
    from django.test import RequestFactory

    from relais.accounts.enums import Role
    from relais.accounts.models import Employer, Membership, Organisation
    from relais.scale.generator import organisation_public_id
    from relais.stats.selection import COMPANY_KEYS, STAFF_KEYS
    from relais.stats.selectors import Period, Scope, statistics_config, statistics_tables
    from relais.stats.suppression import suppress
    from relais.stats.views import index

    organisation = Organisation.objects.get(
        public_id=organisation_id or organisation_public_id(seed)
    )
    employer = (
        Employer.objects.filter(organisation=organisation).order_by("pk").first()
    )  # the largest client in the generator
    whole_year = Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def engine(scope, keys):
        def work():
            config = statistics_config(organisation.pk)
            tables = statistics_tables(scope=scope, config=config, keys=keys)
            return {k: suppress(t, config.threshold) for k, t in tables.items()}

        return work

    manager = (
        Membership.objects.filter(organisation=organisation, role=Role.MANAGER)
        .select_related("user")
        .first()
    )

    def page():
        request = RequestFactory().get("/statistiques/", {"annee": str(year)})
        request.user = manager.user
        response = index(request)
        assert response.status_code == 200

    print(
        f"{connection.vendor}, organisation {organisation.name!r}, year {year}, "
        f"median of {repeat}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    for label, work in (
        (
            "engine, whole organisation, all tables of the manager's page",
            engine(Scope(organisation.pk, whole_year), (*STAFF_KEYS, "charge-active")),
        ),
        (
            f"engine, one company ({employer.name}), the activity report's tables",
            engine(Scope(organisation.pk, whole_year, employer_id=employer.pk), COMPANY_KEYS),
        ),
        ("manager's statistics page (view + templates + charts)", page if manager else None),
    ):
        if work is None:
            continue
        wall, cpu, queries = _run(repeat, work)
        cpu_text = f", CPU {cpu * 1000:.0f} ms" if connection.vendor == "sqlite" else ""
        print(f"- {label}: {wall * 1000:.0f} ms{cpu_text}, {queries} SQL queries")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--organisation", help="public_id of another organisation to measure")
    args = parser.parse_args()
    setup_django()
    measure(args.seed, args.year, args.repeat, args.organisation)


if __name__ == "__main__":
    main()
