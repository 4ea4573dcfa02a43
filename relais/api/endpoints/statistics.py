"""Statistics: the same tables, filters and small-cell suppression as the statistics page.

The selection of what the caller may ask (periods, teams of at least two workers, an
employer viewer's own company only, "my own figures" for a worker) is the page's own
code, called with the API's parameters: one set of rules, two outputs. A suppressed cell
has no value at all here (the page prints « s »).
"""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.http import QueryDict
from ninja import Query, Router, Schema
from pydantic import Field, StrictInt

from relais.api.endpoints.common import AUTH_ERRORS
from relais.api.errors import ErrorOut, Forbidden, Invalid
from relais.api.types import IsoDate
from relais.policy import rules
from relais.stats.selection import selection_tables, statistics_selection
from relais.stats.tables import Row, Table

router = Router(tags=["Statistiques"])

# API parameter → the statistics page's parameter.
PARAMETERS = {
    "year": "annee",
    "quarter": "trimestre",
    "start": "debut",
    "end": "fin",
    "team": "equipe",
    "employer": "employeur",
    "establishment": "etablissement",
    "scope": "perimetre",
}
SCOPES = {"service": "service", "mine": "moi"}

Value = StrictInt | str | None


class ColumnOut(Schema):
    key: str
    label: str
    measure: Literal["persons", "count", "minutes", "money"]


class RowOut(Schema):
    key: str
    label: str
    values: dict[str, Value] = Field(
        description="Par colonne ; null quand la case est masquée (secret statistique). "
        "Les montants sont en texte (« 150.00 »)."
    )
    percent: str | None = Field(description="Part du total, au dixième (« 12.5 »).")
    suppressed: bool
    unknown: bool = Field(description="La ligne « non renseigné ».")


class TableOut(Schema):
    key: str
    title: str
    definition: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: RowOut | None
    additive: bool = Field(description="Les lignes s'additionnent pour faire le total.")
    masked: bool = Field(description="Le secret statistique a été appliqué.")
    extra: dict[str, Value] = Field(description="Chiffres sous le tableau (âge moyen…).")


class StatisticsOut(Schema):
    title: str
    start: datetime.date
    end: datetime.date
    filters: list[str]
    threshold: int = Field(description="Effectif en dessous duquel une case est masquée.")
    masked: bool
    tables: list[TableOut]


class StatisticsQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2999, description="Par défaut, l'année en cours.")
    quarter: int | None = Field(None, ge=1, le=4, description="Trimestre de l'année.")
    start: IsoDate | None = Field(None, description="Période libre : remplace année et trimestre.")
    end: IsoDate | None = None
    team: uuid.UUID | None = Field(
        None, description="Une équipe d'au moins deux assistant·es de service social."
    )
    employer: uuid.UUID | None = None
    establishment: uuid.UUID | None = None
    scope: Literal["service", "mine"] | None = Field(
        None, description="mine : vos propres accompagnements (assistant·es)."
    )


def _value(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _row(row: Row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "values": {k: None if row.suppressed else _value(v) for k, v in row.values.items()},
        "percent": None if row.suppressed or row.percent is None else str(row.percent),
        "suppressed": row.suppressed,
        "unknown": row.unknown,
    }


def _table(table: Table) -> dict:
    return {
        "key": table.key,
        "title": table.title,
        "definition": table.definition,
        "columns": [
            {"key": c.key, "label": c.label, "measure": str(c.measure)} for c in table.columns
        ],
        "rows": [_row(r) for r in table.rows],
        "total": _row(table.total) if table.total else None,
        "additive": table.additive,
        "masked": table.masked,
        "extra": {k: _value(v) for k, v in table.extra.items()},
    }


@router.get(
    "/statistics",
    response={200: StatisticsOut, 400: ErrorOut, 422: ErrorOut, **AUTH_ERRORS},
    summary="Statistiques du service (agrégées, secret statistique appliqué)",
    description="Mêmes tableaux que la page Statistiques. Un employeur ou son CSE ne voit "
    "que son entreprise, par année ou trimestre ; une équipe n'est proposée que si elle "
    "compte au moins deux assistant·es ; les cases de moins de `threshold` personnes sont "
    "masquées (sauf pour vos propres accompagnements).",
)
def statistics(request, query: Query[StatisticsQuery]):
    user = request.user
    if not rules.can_see_statistics(user):
        raise Forbidden()
    data = QueryDict(mutable=True)
    for name, value in query.model_dump(exclude_none=True).items():
        data[PARAMETERS[name]] = SCOPES.get(value, value) if name == "scope" else str(value)
    selection = statistics_selection(user=user, data=data)
    form = selection.form
    reverse = {page: api for api, page in PARAMETERS.items()}
    unavailable = [
        api for api, page in PARAMETERS.items() if page in data and page not in form.fields
    ]
    if unavailable:
        raise Invalid(
            fields={name: ["Filtre indisponible pour votre rôle."] for name in unavailable}
        )
    if selection.scope is None:
        fields = {
            reverse.get(name, "__all__"): [str(m) for m in messages]
            for name, messages in form.errors.items()
        }
        raise Invalid(fields=fields)
    tables = selection_tables(selection, selection.keys)
    return {
        "title": selection.title,
        "start": selection.scope.period.start,
        "end": selection.scope.period.end,
        "filters": selection.filters_text,
        "threshold": selection.config.threshold,
        "masked": selection.masked,
        "tables": [_table(tables[key]) for key in selection.keys if key in tables],
    }
