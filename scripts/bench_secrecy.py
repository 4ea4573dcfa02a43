"""What professional secrecy costs on the case page: the access log and encryption at rest.

    .venv/bin/python scripts/bench_secrecy.py [--requests 20] [--rounds 15] [--notes 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python scripts/bench_secrecy.py

It builds a test database (SQLite in memory, or a PostgreSQL test database), a case with
``--notes`` interventions each with a note, and requests the real case page
(``cases:detail``) through Django's test client (server-side cost only, no network), as
its referent, in four variants:

  full          the page as shipped: one access-log row per view, notes decrypted
  no-log        the access-log write replaced by nothing
  no-decrypt    AES-GCM decryption replaced by returning the stored text as is
  neither       both removed

Variants are interleaved round by round so that a busy machine slows them alike; the
median of the rounds is reported, as wall-clock time and as CPU time of this process
(on a shared machine, CPU time is the steadier figure; with SQLite all the work, the
database's included, runs in this process; with PostgreSQL the server's share is only in
the wall-clock figure). It also times the two primitives on their own.
"""

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.test_settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from relais.audit import log as audit_log  # noqa: E402
from relais.cases import services  # noqa: E402
from relais.cases.views import cases as case_views  # noqa: E402
from relais.crypto import keyring  # noqa: E402
from tests import factories  # noqa: E402


def build(notes: int):
    organisation = factories.OrganisationFactory()
    alice = factories.UserFactory(organisation=organisation)
    person = factories.PersonFactory(organisation=organisation)
    case = services.case_open(by=alice, person=person)
    now = timezone.now()
    for i in range(notes):
        services.intervention_record(
            by=alice,
            case=case,
            kind="office",
            occurred_at=now - datetime.timedelta(hours=i + 1),
            note_body=(
                f"Entretien n° {i} : Madame fait le point sur ses démarches auprès de la CAF "
                "et du bailleur ; elle apporte ses justificatifs de ressources. " * 3
            ),
        )
    return alice, case


@contextmanager
def variant(name: str):
    """Swap out the access-log write and/or decryption for the duration of a variant."""
    original_record = case_views.record_request_access
    original_decrypt = keyring.decrypt
    if name in {"no-log", "neither"}:
        case_views.record_request_access = lambda request, obj, **kwargs: None
    if name in {"no-decrypt", "neither"}:
        keyring.decrypt = lambda token: token
    try:
        yield
    finally:
        case_views.record_request_access = original_record
        keyring.decrypt = original_decrypt


def timed_requests(client: Client, url: str, n: int) -> tuple[float, float]:
    """(wall ms, CPU ms) per request."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return (
        (time.perf_counter() - wall) / n * 1000,
        (time.process_time() - cpu) / n * 1000,
    )


def primitives(alice, case, n: int = 2000) -> dict[str, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        audit_log.record_access(user=alice, organisation_id=case.organisation_id, obj=case)
    log_wall_ms = (time.perf_counter() - wall) / n * 1000
    log_cpu_ms = (time.process_time() - cpu) / n * 1000
    token = keyring.encrypt(case.organisation_id, "x" * 600)
    cpu = time.process_time()
    for _ in range(n):
        keyring.decrypt(token)
    decrypt_us = (time.process_time() - cpu) / n * 1_000_000
    return {"log_wall_ms": log_wall_ms, "log_cpu_ms": log_cpu_ms, "decrypt_us": decrypt_us}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="requests per variant/round")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--notes", type=int, default=40)
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        alice, case = build(args.notes)
        client = Client()
        client.force_login(alice)
        url = reverse("cases:detail", args=[case.public_id])
        client.get(url)  # warm caches (data key, templates)
        names = ["full", "no-log", "no-decrypt", "neither"]
        wall: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for _ in range(args.rounds):
            for name in names:
                with variant(name):
                    w, c = timed_requests(client, url, args.requests)
                wall[name].append(w)
                cpu[name].append(c)
        wall_ms = {name: statistics.median(values) for name, values in wall.items()}
        cpu_ms = {name: statistics.median(values) for name, values in cpu.items()}
        micro = primitives(alice, case)
        print(
            f"Case page with {args.notes} notes ({connection.vendor}), "
            f"{args.rounds} rounds x {args.requests} requests per variant, medians:"
        )
        print(f"  {'variant':11} {'wall ms':>8} {'req/s':>7} {'CPU ms':>8} {'req/s/core':>11}")
        for name in names:
            print(
                f"  {name:11} {wall_ms[name]:8.2f} {1000 / wall_ms[name]:7.1f}"
                f" {cpu_ms[name]:8.2f} {1000 / cpu_ms[name]:11.1f}"
            )
        for label, figures in (("wall", wall_ms), ("CPU", cpu_ms)):
            log_cost = figures["full"] - figures["no-log"]
            crypto_cost = figures["full"] - figures["no-decrypt"]
            total = figures["full"] - figures["neither"]
            print(
                f"  {label}: access log {log_cost:+.2f} ms, decryption {crypto_cost:+.2f} ms, "
                f"both {total:+.2f} ms per page ({total / figures['full']:.0%} of the page)"
            )
        print(
            f"  one access-log row: {micro['log_wall_ms']:.2f} ms wall, "
            f"{micro['log_cpu_ms']:.2f} ms CPU; one 600-character note decrypted: "
            f"{micro['decrypt_us']:.1f} µs CPU"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
