"""One request at a time: server time and SQL queries of the case page (the largest case of
a worker, and one of her small cases), the home page and the caseload, through the Django
test client (no network, no concurrency). For before/after comparisons of one page's cost;
the load test is scripts/bench.py.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 RELAIS_MASTER_KEY_FILE=… SECRET_KEY=… DEBUG=0 \\
        ALLOWED_HOSTS=testserver .venv/bin/python scripts/page_timings.py [--runs 30]

on a dataset made by ``relais generate`` (and ``manage.py collectstatic`` when DEBUG=0).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from relais.cases.models import CaseReferent, Intervention  # noqa: E402


def pages() -> tuple[object, dict[str, str]]:
    """The referent of the case with the most interviews, and her pages."""
    counts = Intervention.objects.values("case_id").annotate(n=Count("id"))
    big = counts.order_by("-n", "case_id").first()
    link = (
        CaseReferent.objects.filter(case_id=big["case_id"], is_primary=True)
        .select_related("case")
        .first()
    )
    hers = CaseReferent.objects.filter(user_id=link.user_id).values("case_id")
    small = counts.filter(case_id__in=hers, n__gte=3, n__lte=6).order_by("case_id").first()
    small_case = CaseReferent.objects.filter(case_id=small["case_id"]).first().case
    return get_user_model().objects.get(pk=link.user_id), {
        f"dossier ({big['n']} entretiens)": f"/dossiers/{link.case.public_id}/",
        f"dossier ({small['n']} entretiens)": f"/dossiers/{small_case.public_id}/",
        "accueil": "/",
        "mes dossiers": "/dossiers/",
    }


def _counter(queries: list[str]):
    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 20
    user, urls = pages()
    client = Client()
    client.force_login(user)
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url
        queries: list[str] = []
        with connection.execute_wrapper(_counter(queries)):
            client.get(url)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{name:28s} médiane {statistics.median(times):6.1f} ms  "
            f"min {min(times):6.1f} ms  {len(queries)} requêtes SQL"
        )


if __name__ == "__main__":
    main()
