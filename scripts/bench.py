"""`make bench`: Relais under load, on SQLite and on PostgreSQL. See docs/benchmark.md.

For each database:
1. reuse (or generate) a dataset under var/bench/: an SQLite file, a PostgreSQL database;
   regenerated only when missing or when the generator's version changed;
2. start the application as in production: gunicorn, DEBUG off, a SECRET_KEY, several
   workers, and RELAIS_BENCH=1 (query-count header + the floor endpoints);
3. log in N clients (distinct social workers) over HTTP and drive each page for a fixed
   time; measure requests/s, p50/p95/p99 latency, SQL queries per request, and, in the
   same run, the floor (one indexed query through the whole stack, no session) and the
   signed-in floor (the same with a logged-in session: what every page pays first);
4. print the table and write it to var/bench/<date>-<db>.md.

The load driver is Python threads over http.client: simple, and its own CPU use is part
of what the 2 cores share (stated in the output).
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

from relais.scale.version import GENERATOR_VERSION  # noqa: E402

PG_ADMIN_URL = os.environ.get("RELAIS_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PASSWORD = "Relais-bench-2026!"  # relais.scale.generator.GENERATED_PASSWORD
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(message, flush=True)


# --- datasets -------------------------------------------------------------------------


def master_key_file() -> Path:
    """One key file for every cached dataset (their notes are encrypted with it)."""
    path = BENCH_DIR / "master.keys"
    if not path.exists():
        import base64

        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(f"bench1:{base64.urlsafe_b64encode(os.urandom(32)).decode()}\n")
        path.chmod(0o600)
    return path


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "RELAIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="relais.settings",
        SECRET_KEY="bench-only-not-a-secret-" + "x" * 30,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="0",  # plain HTTP on the loopback
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        RELAIS_MASTER_KEY_FILE=str(master_key_file()),
        LOG_LEVEL="WARNING",
    )
    return env


@dataclass
class Dataset:
    engine: str  # "sqlite" or "postgresql"
    persons: int
    seed: int

    @property
    def name(self) -> str:
        return f"{self.engine}-p{self.persons}-s{self.seed}"

    @property
    def meta_path(self) -> Path:
        return BENCH_DIR / f"{self.name}.json"

    @property
    def sqlite_path(self) -> Path:
        return BENCH_DIR / f"{self.name}.sqlite3"

    @property
    def pg_name(self) -> str:
        return f"relais_bench_p{self.persons}_s{self.seed}"

    @property
    def url(self) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        parts = urllib.parse.urlsplit(PG_ADMIN_URL)
        return urllib.parse.urlunsplit(parts._replace(path="/" + self.pg_name))

    def env(self) -> dict:
        return {**base_env(), "DATABASE_URL": self.url}

    def meta(self) -> dict | None:
        try:
            return json.loads(self.meta_path.read_text())
        except (OSError, ValueError):
            return None

    def _pg_admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(sql)

    def _exists(self) -> bool:
        if self.engine == "sqlite":
            return self.sqlite_path.exists()
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            row = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.pg_name]
            ).fetchone()
        return row is not None

    def drop(self) -> None:
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
        else:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        self.meta_path.unlink(missing_ok=True)

    def relais(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own venv's commands
            [str(BIN / "relais"), *args], env=self.env(), cwd=ROOT, check=True, **kwargs
        )

    def prepare(self, force: bool = False) -> dict:
        """Reuse the dataset if it is there and current; generate it otherwise."""
        meta = self.meta()
        current = (
            meta is not None
            and meta.get("generator_version") == GENERATOR_VERSION
            and meta.get("persons") == self.persons
            and meta.get("seed") == self.seed
            and self._exists()
        )
        if current and not force:
            log(f"[{self.name}] jeu de données réutilisé (généré le {meta['today']}).")
            # Other apps' new migrations still apply to a cached dataset.
            self.relais("migrate", "--no-input", "-v", "0")
            self.empty_access_log()
            self.vacuum()
            return meta
        log(f"[{self.name}] génération de {self.persons} personnes (graine {self.seed})…")
        self.drop()
        if self.engine == "postgresql":
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        self.relais("migrate", "--no-input", "-v", "0")
        report = BENCH_DIR / f"{self.name}.generating.json"
        self.relais(
            "generate",
            "--persons",
            str(self.persons),
            "--seed",
            str(self.seed),
            "--report-json",
            str(report),
        )
        meta = json.loads(report.read_text())
        report.replace(self.meta_path)
        self.vacuum()
        return meta

    def empty_access_log(self) -> None:
        """Every bench starts from the generated dataset, which has no access log: the
        reads logged by earlier benches (thousands per page) would otherwise pile up on
        the same cases from one bench to the next ("who consulted this file" reads them)."""
        sql = "DELETE FROM audit_accessevent"
        if self.engine == "postgresql":
            import psycopg

            with psycopg.connect(self.url) as connection:
                # The append-only trigger lets only the retention purge delete rows.
                connection.execute("SET LOCAL relais.audit_purge = 'on'")
                connection.execute(sql)
        else:
            import sqlite3

            with sqlite3.connect(self.sqlite_path) as connection:
                connection.execute(sql)

    def vacuum(self) -> None:
        """PostgreSQL: VACUUM (ANALYZE), as autovacuum does in production, so that the
        visibility map lets index-only scans skip the tables (autovacuum may be off on a
        test server). SQLite needs nothing: the generator ends with ANALYZE."""
        if self.engine != "postgresql":
            return
        import psycopg

        log(f"[{self.name}] VACUUM (ANALYZE)…")
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")


# --- the application under test --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, dataset: Dataset, workers: int, threads: int):
        self.dataset = dataset
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.process = None

    def __enter__(self):
        env = {**self.dataset.env(), "RELAIS_BENCH": "1"}
        subprocess.run(  # noqa: S603
            [str(BIN / "relais"), "collectstatic", "--no-input", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        command = [
            str(BIN / "gunicorn"),
            "relais.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--error-logfile",
            str(BENCH_DIR / f"gunicorn-{self.dataset.engine}.log"),
            "--timeout",
            "120",
        ]
        if self.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(self.threads)]
        self.process = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = Client(self.port).get("/sante/")
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn s'est arrêté au démarrage (voir le journal).")
            time.sleep(0.3)
        raise RuntimeError("gunicorn ne répond pas sur /sante/.")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Client:
    """One browser-like client: its own connection and cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError, BrokenPipeError):
                # Sync workers close the connection after each response: reconnect once.
                self.connection.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        return response.status, response, data

    def get(self, path: str):
        return self.request("GET", path)

    def login(self, email: str, password: str) -> None:
        status, _, body = self.get("/connexion/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"page de connexion inattendue ({status})")
        form = urllib.parse.urlencode(
            {
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": match.group(1).decode(),
            }
        ).encode()
        status, response, _ = self.request(
            "POST",
            "/connexion/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}/connexion/",
            },
        )
        if status != 302 or "/connexion/" in (response.getheader("Location") or ""):
            raise RuntimeError(f"connexion refusée pour {email} ({status})")


# --- measuring -------------------------------------------------------------------------


@dataclass
class Sample:
    started: float
    latency: float
    status: int
    queries: int | None


@dataclass
class Result:
    page: str
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    solo: list[float] = field(default_factory=list)

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if s.status == 200]

    @property
    def errors(self) -> int:
        return len(self.samples) - len(self.ok)

    @property
    def rps(self) -> float:
        return len(self.ok) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        values = sorted(s.latency for s in self.ok)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000

    @property
    def queries(self) -> str:
        counts = [s.queries for s in self.ok if s.queries is not None]
        if not counts:
            return "?"
        low, high = min(counts), max(counts)
        return f"{statistics.mean(counts):.0f}" if low == high else f"{low}–{high}"

    @property
    def solo_p50(self) -> float:
        return statistics.median(self.solo) * 1000 if self.solo else float("nan")


def drive(
    page: str,
    clients: list[Client],
    paths: list[list[str]],
    seconds: float,
    warmup: float,
    slow_pages=(),
):
    """Every client requests its paths in turn, as fast as the server answers."""
    result = Result(page)
    lock = threading.Lock()
    start = time.perf_counter()
    measure_from = start + warmup
    stop = measure_from + seconds

    finished = []

    def run(index: int):
        client, own = clients[index], paths[index % len(paths)]
        i = index
        local = []
        while True:
            now = time.perf_counter()
            if now >= stop:
                break
            path = own[i % len(own)]
            i += 1
            status, response, _ = client.get(path)
            done = time.perf_counter()
            # Every request started in the window counts, even one that ends after it
            # (slow pages would otherwise have no sample).
            if now >= measure_from:
                header = response.getheader("X-Relais-Queries")
                local.append(Sample(now, done - now, status, int(header) if header else None))
        with lock:
            result.samples.extend(local)
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Throughput over the time the measured requests really took.
    result.seconds = max(seconds, max(finished, default=stop) - measure_from)
    # Latency of one request alone (no queueing): what a single user waits.
    for path in (paths[0] * 12)[: 5 if page in slow_pages else 12]:
        began = time.perf_counter()
        status, _, _ = clients[0].get(path)
        if status == 200:
            result.solo.append(time.perf_counter() - began)
    return result


def fmt(value: float) -> str:
    return "—" if value != value else (f"{value:.0f}" if value >= 10 else f"{value:.1f}")


def table(
    results: list[Result], floor: Result, signed_in: Result | None, missing: dict[str, str]
) -> str:
    lines = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | seul p50 ms | requêtes SQL | "
        "part du plancher | part du plancher connecté | mesures | erreurs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def share(r: Result, reference: Result | None) -> str:
        if reference is None or not reference.rps:
            return "—"
        return f"{fmt(r.rps / reference.rps * 100)} %"

    for r in [floor, *([signed_in] if signed_in else []), *results]:
        lines.append(
            f"| {r.page} | {fmt(r.rps)} | {fmt(r.percentile(50))} | {fmt(r.percentile(95))} "
            f"| {fmt(r.percentile(99))} | {fmt(r.solo_p50)} | {r.queries} | {share(r, floor)} "
            f"| {share(r, signed_in) if r is not floor else '—'} | {len(r.ok)} | {r.errors} |"
        )
    for page, why in missing.items():
        lines.append(f"| {page} | non mesurée : {why} | | | | | | | | | |")
    return "\n".join(lines)


def cpu_reference_ms() -> float:
    """A fixed Python loop, best of three: how fast this machine's processor is today (the
    same machine kind varies from day to day; the figures are read against this)."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        best = min(best, time.perf_counter() - began)
    return best * 1000


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.node()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"charge moyenne au départ {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, "
        f"boucle de référence {cpu_reference_ms():.0f} ms"
    )


def bench_database(dataset: Dataset, meta: dict, args) -> str:
    targets = json.loads(
        dataset.relais(
            "bench_targets",
            "--seed",
            str(dataset.seed),
            "--clients",
            str(args.clients),
            "--year",
            str(args.year or datetime.date.fromisoformat(meta["today"]).year - 1),
            capture_output=True,
            text=True,
        ).stdout
    )
    # Page names, separated by ";" (a name may hold a comma); a name's start is enough.
    wanted = [part.strip() for part in args.pages.split(";") if part.strip()]
    pages = {
        name: paths
        for name, paths in targets["pages"].items()
        if not wanted or any(name.startswith(start) for start in wanted)
    }
    load_before = os.getloadavg()
    with Server(dataset, args.workers, args.threads) as server:
        anonymous = [Client(server.port) for _ in range(args.clients)]
        floor_paths = [targets["floor"][i :: args.clients] for i in range(args.clients)]
        log(f"[{dataset.name}] plancher…")
        floor = drive("plancher (1 requête indexée)", anonymous, floor_paths, args.seconds, 2)
        clients = []
        for email in targets["logins"][: args.clients]:
            client = Client(server.port)
            client.login(email, PASSWORD)
            clients.append(client)
        signed_in = None
        if targets.get("signed_in_floor"):
            log(f"[{dataset.name}] plancher connecté…")
            signed_paths = [
                targets["signed_in_floor"][i :: args.clients] for i in range(args.clients)
            ]
            signed_in = drive(
                "plancher connecté (session, 1 requête)", clients, signed_paths, args.seconds, 2
            )
        results = []
        for name, paths in pages.items():
            seconds = args.seconds if name not in targets.get("slow", []) else args.slow_seconds
            log(f"[{dataset.name}] {name}…")
            slow = targets.get("slow", [])
            # A slow page's first requests would all start during a warm-up: none.
            warmup = 0 if name in slow else 2
            results.append(drive(name, clients, paths, seconds, warmup, slow))
        log(f"[{dataset.name}] plancher (fin)…")
        floor_end = drive("plancher (fin du banc)", anonymous, floor_paths, args.seconds / 2, 1)
    rows = meta.get("total_rows")
    header = [
        f"# Banc Relais — {dataset.engine} — {datetime.date.today().isoformat()}",
        "",
        f"- Jeu de données : {dataset.persons} personnes, graine {dataset.seed}, générateur "
        f"v{meta['generator_version']} ({rows} lignes dont "
        f"{meta['rows'].get('cases.Intervention')} interventions ; généré à "
        f"{meta['rows_per_second']} lignes/s).",
        f"- Application : gunicorn, {args.workers} workers"
        + (f" × {args.threads} threads (gthread)" if args.threads > 1 else " (sync)")
        + ", DEBUG désactivé, RELAIS_BENCH=1.",
        f"- Charge : {args.clients} clients connectés en parallèle (travailleurs sociaux "
        f"distincts), {args.seconds:.0f} s par page après 2 s de chauffe "
        f"({args.slow_seconds:.0f} s "
        "sans chauffe pour les pages lentes : statistiques, PDF) ; « seul p50 » = requêtes une "
        "à une, sans concurrence.",
        f"- Machine : {machine()} (charge pendant la préparation {load_before[0]:.1f}) ; le "
        "client de charge (Python) partage les cœurs avec le serveur.",
        f"- Plancher en fin de banc : {fmt(floor_end.rps)} req/s (dérive de la machine).",
        f"- Commande : `make bench` (ou `scripts/bench.sh --db {dataset.engine} "
        f"--persons {dataset.persons}`).",
        "",
    ]
    return (
        "\n".join(header)
        + "\n"
        + table(results, floor, signed_in, targets.get("missing", {}))
        + "\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help=">1: gthread workers")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--slow-seconds", type=float, default=20)
    parser.add_argument("--year", type=int, default=None, help="année des statistiques")
    parser.add_argument(
        "--pages",
        default="",
        help="pages séparées par « ; », le début du nom suffit (défaut : toutes)",
    )
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()

    outputs = []
    for engine in args.db.split(","):
        dataset = Dataset(engine, args.persons, args.seed)
        if engine == "postgresql":
            import psycopg

            try:
                psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
            except psycopg.OperationalError:
                log(f"PostgreSQL injoignable sur {PG_ADMIN_URL} : banc PostgreSQL ignoré.")
                continue
        meta = dataset.prepare(force=args.regenerate)
        if args.prepare_only:
            continue
        text = bench_database(dataset, meta, args)
        suffix = "-partiel" if args.pages else ""
        out = BENCH_DIR / f"{datetime.date.today().isoformat()}-{engine}{suffix}.md"
        out.write_text(text)
        log("")
        log(text)
        log(f"(écrit dans {out.relative_to(ROOT)})")
        outputs.append(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
