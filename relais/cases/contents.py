"""What a case holds, in one query, so that the case page skips the queries of its empty
sections.

Most cases have no orientation, no report, no document and no budget; each of those
sections still cost a query built by the ORM (0.5 to 1.3 ms of Python each, 4 ms in
all on a small case). Apps register the rows their section shows (``register``, in their
``AppConfig.ready``); ``case_contents`` asks whether each kind has at least one row for
the case, or for its person, in one hand-written statement (some µs per kind).

Secrecy: the answer only says whether rows exist, for a case the page has already
authorised, and only serves to skip a query; it is never shown. When rows exist, the
section reads them through the policy querysets as before, and shows only those the
reader may see.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connection

from relais.cases.models import Case


@dataclass(frozen=True)
class Kind:
    model: str  # "reports.Report"
    column: str  # "case_id" or "person_id": what ties a row to the case


_KINDS: dict[str, Kind] = {}


def register(name: str, model: str, *, by: str = "case") -> None:
    """Rows of ``model`` shown on the case page, tied to the case or to its person."""
    column = {"case": "case_id", "person": "person_id"}[by]
    _KINDS[name] = Kind(model, column)


def case_contents(case: Case) -> dict[str, bool]:
    """{name: has at least one row} for every registered kind."""
    if not _KINDS:
        return {}
    quote = connection.ops.quote_name
    probes, params = [], []
    for kind in _KINDS.values():
        table = quote(apps.get_model(kind.model)._meta.db_table)
        # Only a table name from the models and a fixed column name are interpolated.
        probes.append(
            f"EXISTS(SELECT 1 FROM {table} WHERE organisation_id = %s AND {kind.column} = %s)"  # noqa: S608
        )
        params += [case.organisation_id, case.pk if kind.column == "case_id" else case.person_id]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(probes), params)
        row = cursor.fetchone()
    return {name: bool(flag) for name, flag in zip(_KINDS, row, strict=True)}


def holds(context, name: str) -> bool:
    """For a section's template tag: False only when the page's probe says the case has
    no row of this kind (True when the page did not probe, or for an unknown kind)."""
    return context.get("case_contents", {}).get(name, True)
