"""Before/after on one machine: the processor time of the key pages for an older commit and
for the working tree, measured in turns (old, new, old, new…) on the same dataset.

A machine whose speed drifts during the day (the benchmark's reference loop has varied
from 87 to 165 ms within a day) makes two benches hours apart incomparable; measured in
turns, both sides see the same machine. In process (Django's test client, no network):
Python's processor time per page, median of ``--runs`` requests, then the median over
``--rounds`` turns; on PostgreSQL, also the processor time of the server process.

    DATABASE_URL=… RELAIS_MASTER_KEY_FILE=… SECRET_KEY=… DEBUG=0 ALLOWED_HOSTS=testserver \\
        .venv/bin/python scripts/compare_commits.py c159d28 [--rounds 3] [--runs 30]

on a dataset made by ``relais generate`` (the benchmark's: see docs/benchmark.md). The
older commit is checked out in a temporary git worktree, with its static files collected
there; the same virtual environment runs both sides.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"

# Runs inside the checkout under test (its own code first on the path).
MEASURE = r"""
import json, os, statistics, sys, time
root = sys.argv[1]
sys.path[:0] = [root, root + "/scripts"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
import django
django.setup()
from django.db import connection
from django.test import Client
from page_timings import pages

user, urls = pages()
urls["recherche « regnier louis »"] = "/personnes/?q=regnier+louis"
urls["recherche « marttin »"] = "/personnes/?q=marttin"
client = Client()
client.force_login(user)


def server_ticks():
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


runs = int(sys.argv[2])
figures = {}
for name, url in urls.items():
    for _ in range(8):
        client.get(url)
    times, before = [], server_ticks()
    for _ in range(runs):
        began = time.process_time()
        assert client.get(url).status_code == 200, url
        times.append((time.process_time() - began) * 1000)
    server = (server_ticks() - before) * 1000 / os.sysconf("SC_CLK_TCK") / runs
    figures[name] = [statistics.median(times), server]
print(json.dumps(figures))
"""


def measure(root: Path, runs: int) -> dict:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", MEASURE, str(root), str(runs)],
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revision", help="le commit de référence (avant)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relais-avant-") as folder:
        old = Path(folder) / "checkout"
        subprocess.run(  # noqa: S603 - git, on a revision the user names
            [GIT, "worktree", "add", "--detach", "-q", str(old), args.revision],
            cwd=ROOT,
            check=True,
        )
        try:
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                cwd=old,
                check=True,
            )
            sides: dict[str, list[dict]] = {"avant": [], "après": []}
            for _ in range(args.rounds):
                sides["avant"].append(measure(old, args.runs))
                sides["après"].append(measure(ROOT, args.runs))
        finally:
            subprocess.run(  # noqa: S603
                [GIT, "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False
            )
    print(f"{args.revision} → copie de travail, {args.rounds} tours, médianes (ms de processeur)")
    print("| page | Python avant | Python après | serveur avant | serveur après |")
    print("|---|---:|---:|---:|---:|")
    for page in sides["après"][0]:
        cells = []
        for index in (0, 1):
            for side in ("avant", "après"):
                cells.append(statistics.median(turn[page][index] for turn in sides[side]))
        python_before, python_after, server_before, server_after = cells
        change = (python_after / python_before - 1) * 100 if python_before else 0
        server = (
            f"{server_before:.1f} | {server_after:.1f}"
            if server_before or server_after
            else "— | —"  # SQLite runs in the Python process
        )
        print(f"| {page} | {python_before:.1f} | {python_after:.1f} ({change:+.0f} %) | {server} |")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    sys.exit(main())
