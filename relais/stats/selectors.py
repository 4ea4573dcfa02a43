"""The statistics engine: every figure is an aggregate computed by the database.

Each builder below runs one SQL query (two for concerns: one per level plus the real
total) whatever the number of rows: conditional aggregation (``COUNT(...) FILTER (WHERE
...)``) for fixed reference lists, ``GROUP BY`` for the organisation's own lists
(employers, concerns). Python only reshapes the handful of aggregated values.

Figures come from the recorded work (cases, requests, interventions, concerns, financial
aid) and the persons' situation as recorded in their file: nobody fills a statistics grid.
"""

import datetime
import functools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from relais.accounts.enums import EmployerKind, Role
from relais.accounts.models import Membership
from relais.cases.enums import (
    AidKind,
    AidStatus,
    CaseClosingReason,
    CaseStatus,
    InterventionKind,
    RequestOrigin,
)
from relais.cases.models import (
    Case,
    CaseConcern,
    CaseReferent,
    Concern,
    FinancialAid,
    Intervention,
    Request,
)
from relais.groups.enums import GroupActionKind, GroupActionStatus
from relais.groups.models import GroupAction, GroupActionFacilitator
from relais.partners.enums import AWAITING_STATUSES, PartnerKind, ReferralDecision, ReferralStatus
from relais.partners.models import Referral
from relais.people.enums import ContractKind, FamilySituation, Sex, WorkSituation
from relais.people.models import Person
from relais.stats.models import (
    DEFAULT_AGE_BAND_STARTS,
    MINIMUM_SMALL_CELL_THRESHOLD,
    StatisticsSettings,
)
from relais.stats.parallel import run_side_by_side
from relais.stats.sql import age_in_years, age_on, latest_birth_date
from relais.stats.tables import Column, Measure, Row, Table, with_percentages

UNKNOWN = "Non renseigné"


# --- What is counted ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Calendar days from ``start`` to ``end``, both included, in the service's time zone."""

    start: datetime.date
    end: datetime.date

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as [start, end) instants, for timestamp columns.

        Comparing instants (not database-truncated dates) gives the same answer on every
        database: an interview at 23:30 on 31 December in Paris belongs to that year.
        """
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return start, end

    @property
    def label(self) -> str:
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


@dataclass(frozen=True)
class Scope:
    """Whose work, when: an organisation, a period, and optional narrowing filters."""

    organisation_id: int
    period: Period
    team_id: int | None = None
    employer_id: int | None = None
    establishment_id: int | None = None
    # A social worker's own figures: the cases they are a referent of.
    referent_id: int | None = None


@dataclass(frozen=True)
class Config:
    age_band_starts: tuple[int, ...] = tuple(DEFAULT_AGE_BAND_STARTS)
    threshold: int = MINIMUM_SMALL_CELL_THRESHOLD


def statistics_config(organisation_id: int) -> Config:
    row = (
        StatisticsSettings.objects.filter(organisation_id=organisation_id)
        .only("age_band_starts", "small_cell_threshold")
        .first()
    )
    if row is None:
        return Config()
    return Config(tuple(row.age_band_starts), row.small_cell_threshold)


# --- Scoped querysets -----------------------------------------------------------------


def _case_conditions(scope: Scope, path: str = "") -> list:
    """Team / employer / establishment / referent filters on a case, reached by ``path``."""
    conditions = []
    if scope.team_id:
        conditions.append(Q(**{f"{path}team_id": scope.team_id}))
    if scope.employer_id:
        conditions.append(Q(**{f"{path}person__employer_id": scope.employer_id}))
    if scope.establishment_id:
        conditions.append(Q(**{f"{path}person__establishment_id": scope.establishment_id}))
    if scope.referent_id:
        case_ref = OuterRef(f"{path}id") if path else OuterRef("pk")
        conditions.append(
            Exists(
                CaseReferent.objects.filter(
                    organisation_id=scope.organisation_id,
                    user_id=scope.referent_id,
                    case_id=case_ref,
                )
            )
        )
    return conditions


def _file_active(scope: Scope, path: str = "") -> Q:
    """Cases open at some time during the period (opened before its end, not closed before
    its start)."""
    p = scope.period
    return Q(**{f"{path}opened_on__lte": p.end}) & (
        Q(**{f"{path}closed_on__isnull": True}) | Q(**{f"{path}closed_on__gte": p.start})
    )


def scoped_cases(scope: Scope) -> QuerySet:
    return Case.objects.filter(organisation_id=scope.organisation_id).filter(
        *_case_conditions(scope)
    )


def file_active_persons(scope: Scope) -> QuerySet:
    """Persons with a case in the file active: each person once."""
    cases = scoped_cases(scope).filter(_file_active(scope))
    persons = Person.objects.filter(organisation_id=scope.organisation_id)
    if scope.employer_id:
        persons = persons.filter(employer_id=scope.employer_id)
    if scope.establishment_id:
        persons = persons.filter(establishment_id=scope.establishment_id)
    return persons.filter(pk__in=cases.values("person_id"))


def _scoped_requests(scope: Scope) -> QuerySet:
    p = scope.period
    requests = Request.objects.filter(
        organisation_id=scope.organisation_id, received_on__gte=p.start, received_on__lte=p.end
    )
    if scope.employer_id:
        requests = requests.filter(person__employer_id=scope.employer_id)
    if scope.establishment_id:
        requests = requests.filter(person__establishment_id=scope.establishment_id)
    if scope.team_id:
        # A request not (yet) tied to a case belongs to the team of the worker it is given to.
        requests = requests.filter(
            Q(case__team_id=scope.team_id)
            | Q(case__isnull=True, assigned_to__membership__team_id=scope.team_id)
        )
    if scope.referent_id:
        mine = CaseReferent.objects.filter(
            organisation_id=scope.organisation_id,
            user_id=scope.referent_id,
            case_id=OuterRef("case_id"),
        )
        requests = requests.filter(
            Q(Exists(mine)) | Q(case__isnull=True, assigned_to_id=scope.referent_id)
        )
    return requests


def _scoped_interventions(scope: Scope) -> QuerySet:
    start, end = scope.period.bounds()
    return Intervention.objects.filter(
        organisation_id=scope.organisation_id, occurred_at__gte=start, occurred_at__lt=end
    ).filter(*_case_conditions(scope, "case__"))


def _scoped_aid(scope: Scope) -> QuerySet:
    p = scope.period
    return FinancialAid.objects.filter(
        organisation_id=scope.organisation_id,
        requested_on__gte=p.start,
        requested_on__lte=p.end,
    ).filter(*_case_conditions(scope, "case__"))


def _scoped_referrals(scope: Scope) -> QuerySet:
    p = scope.period
    return Referral.objects.filter(
        organisation_id=scope.organisation_id, sent_on__gte=p.start, sent_on__lte=p.end
    ).filter(*_case_conditions(scope, "case__"))


def _scoped_case_concerns(scope: Scope) -> QuerySet:
    return CaseConcern.objects.filter(organisation_id=scope.organisation_id).filter(
        _file_active(scope, "case__"), *_case_conditions(scope, "case__")
    )


# --- Conditional aggregation over fixed reference lists --------------------------------


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    condition: Q
    unknown: bool = False


def _choices(field: str, choices, *, unknown_label: str = UNKNOWN) -> list[Category]:
    """One category per value of a reference list, then one for "not recorded"."""
    categories = [Category(value, label, Q(**{field: value})) for value, label in choices]
    categories.append(
        Category(
            "",
            unknown_label,
            Q(**{f"{field}__isnull": True}) | Q(**{field: ""}),
            unknown=True,
        )
    )
    return categories


Measures = dict[str, Callable[[Q | None], object]]


def _aggregate(
    queryset: QuerySet,
    dimensions: dict[str, list[Category]],
    measures: Measures,
    extra: dict | None = None,
):
    """One query: every measure for every category of every dimension, and the totals.

    Returns {dimension: (rows as dicts, total dict)}, plus the ``extra`` aggregates'
    values under "extra".
    """
    aggregates = {f"extra__{name}": aggregate for name, aggregate in (extra or {}).items()}
    aggregates.update({f"total__{m}": make(None) for m, make in measures.items()})
    for dim, categories in dimensions.items():
        for i, category in enumerate(categories):
            for m, make in measures.items():
                aggregates[f"{dim}__{i}__{m}"] = make(category.condition)
    values = queryset.aggregate(**aggregates)
    total = {m: values[f"total__{m}"] or 0 for m in measures}
    result = {
        dim: (
            [{m: values[f"{dim}__{i}__{m}"] or 0 for m in measures} for i in range(len(cats))],
            total,
        )
        for dim, cats in dimensions.items()
    }
    result["extra"] = {name: values[f"extra__{name}"] for name in extra or {}}
    return result


def _table(
    key: str,
    title: str,
    columns: tuple[Column, ...],
    categories: list[Category],
    measured: list[dict],
    total: dict,
    *,
    persons_measure: str = "persons",
    **options,
) -> Table:
    rows = [
        Row(c.key, c.label, values, values[persons_measure], unknown=c.unknown)
        for c, values in zip(categories, measured, strict=True)
    ]
    total_row = Row("total", "Total", total, total[persons_measure])
    return with_percentages(Table(key, title, columns, rows, total_row, **options))


PERSONS_COLUMN = Column("persons", "Personnes", Measure.PERSONS)


def _count(field: str = "pk", *, distinct: bool = False):
    return lambda condition: Count(field, filter=condition, distinct=distinct)


def _sum(field: str, extra: Q | None = None):
    def make(condition):
        combined = (
            condition if extra is None else (extra if condition is None else extra & condition)
        )
        return Sum(field, filter=combined)

    return make


# --- Tables ----------------------------------------------------------------------------


def _summary(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    p = scope.period
    file_active = _file_active(scope)
    opened = Q(opened_on__gte=p.start, opened_on__lte=p.end)
    closed = Q(closed_on__gte=p.start, closed_on__lte=p.end)
    values = (
        scoped_cases(scope)
        .filter(opened_on__lte=p.end)
        .aggregate(
            active_cases=Count("pk", filter=file_active),
            active_persons=Count("person", filter=file_active, distinct=True),
            opened_cases=Count("pk", filter=opened),
            opened_persons=Count("person", filter=opened, distinct=True),
            closed_cases=Count("pk", filter=closed),
            closed_persons=Count("person", filter=closed, distinct=True),
        )
    )
    columns = (
        Column("count", "Accompagnements", Measure.COUNT),
        PERSONS_COLUMN,
    )
    rows = [
        Row(
            name,
            label,
            {"count": values[f"{name}_cases"], "persons": values[f"{name}_persons"]},
            values[f"{name}_persons"],
        )
        for name, label in (
            ("active", "File active (accompagnements en cours pendant la période)"),
            ("opened", "Accompagnements ouverts pendant la période"),
            ("closed", "Accompagnements clos pendant la période"),
        )
    ]
    return [
        Table(
            "activite",
            "Accompagnements",
            columns,
            rows,
            definition=(
                "File active : accompagnements ouverts avant la fin de la période et non clos "
                "avant son début. Une personne accompagnée deux fois compte deux "
                "accompagnements mais une seule personne."
            ),
            additive=False,
        )
    ]


def _closed_by_reason(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    p = scope.period
    categories = _choices("closing_reason", CaseClosingReason.choices)
    queryset = scoped_cases(scope).filter(closed_on__gte=p.start, closed_on__lte=p.end)
    measures = {"count": _count(), "persons": _count("person", distinct=True)}
    measured, total = _aggregate(queryset, {"r": categories}, measures)["r"]
    columns = (Column("count", "Accompagnements clos", Measure.COUNT), PERSONS_COLUMN)
    return [
        _table(
            "clotures-motif",
            "Accompagnements clos, par motif de clôture",
            columns,
            categories,
            measured,
            total,
            percent_of="count",
            chart_of="count",
            definition="Accompagnements dont la date de clôture est dans la période.",
        )
    ]


def _requests_by_origin(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    categories = _choices("origin", RequestOrigin.choices)
    measures = {"count": _count(), "persons": _count("person", distinct=True)}
    measured, total = _aggregate(_scoped_requests(scope), {"o": categories}, measures)["o"]
    columns = (Column("count", "Demandes", Measure.COUNT), PERSONS_COLUMN)
    return [
        _table(
            "demandes-origine",
            "Demandes reçues, selon qui les a faites",
            columns,
            categories,
            measured,
            total,
            percent_of="count",
            chart_of="count",
            definition=(
                "Demandes enregistrées à l'accueil dont la date de réception est dans la "
                "période, qu'elles aient ou non donné lieu à un accompagnement."
            ),
        )
    ]


def _interventions_measured(scope: Scope, categories: list[Category]) -> tuple[list, dict]:
    """Count, time spent and persons for each kind, and the totals, in one query.

    The year's interventions are many (230,000 for 100,000 persons) and the two databases
    do not count their persons at the same cost, so each gets the shape it runs faster; the
    figures are the same (tests/stats/test_interventions.py runs both shapes on each).
    """
    interventions = _scoped_interventions(scope)
    if connections[interventions.db].vendor == "sqlite":
        return _interventions_grouped(scope, interventions, categories)
    return _interventions_filtered(interventions, categories)


def _interventions_filtered(interventions: QuerySet, categories: list[Category]):
    """One conditional aggregate per kind and measure (PostgreSQL).

    PostgreSQL keeps this one pass: grouping by kind then needs the total persons in a
    second pass over the interventions (0.3 s -> 0.45 s, 100,000 persons). It counts
    ``case`` (never null), not the id, so that the (organisation, occurred_at, kind,
    duration_minutes, case) index holds every column read: an index-only scan once the
    table is vacuumed.
    """
    measures = {
        "count": _count("case"),
        "minutes": _sum("duration_minutes"),
        "persons": _count("case__person", distinct=True),
    }
    return _aggregate(interventions, {"k": categories}, measures)["k"]


def _interventions_grouped(scope: Scope, interventions: QuerySet, categories: list[Category]):
    """One GROUP BY kind, the total persons in a subquery run once (SQLite).

    SQLite kept a set of distinct persons for each kind and one for the total, and tested
    every kind on every row: grouping sorts the rows once and keeps one set per kind
    (0.55 s -> 0.4 s, 100,000 persons). A person with several kinds counts once in the
    total, so the total is not the sum of the rows: it is counted over the cases that had
    an intervention.
    """
    all_persons = (
        Case.objects.filter(
            organisation_id=scope.organisation_id, pk__in=interventions.values("case_id")
        )
        .values("organisation_id")
        .annotate(persons=Count("person", distinct=True))
        .values("persons")
    )
    groups = list(
        interventions.values("kind")
        .annotate(
            count=Count("*"),
            minutes=Sum("duration_minutes"),
            persons=Count("case__person", distinct=True),
            all_persons=Subquery(all_persons),
        )
        .order_by()
    )
    by_kind = {g["kind"]: g for g in groups}
    empty = {"count": 0, "minutes": 0, "persons": 0}
    measured = [{m: by_kind.get(c.key, empty)[m] or 0 for m in empty} for c in categories]
    # Every kind, listed or not, is in the totals, as in the conditional aggregation.
    total = {
        "count": sum(g["count"] for g in groups),
        "minutes": sum(g["minutes"] or 0 for g in groups),
        "persons": groups[0]["all_persons"] if groups else 0,
    }
    return measured, total


def _interventions_by_kind(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    categories = [
        Category(value, label, Q(kind=value)) for value, label in InterventionKind.choices
    ]
    measured, total = _interventions_measured(scope, categories)
    columns = (
        Column("count", "Interventions", Measure.COUNT),
        Column("minutes", "Temps passé", Measure.MINUTES),
        Column("persons", "Personnes concernées", Measure.PERSONS),
    )
    return [
        _table(
            "interventions-type",
            "Interventions, par type",
            columns,
            categories,
            measured,
            total,
            percent_of="count",
            chart_of="count",
            definition=(
                "Entretiens, visites, appels, écrits et démarches enregistrés dans les "
                "accompagnements, datés dans la période ; temps passé : durées saisies. "
                "Une personne peut avoir eu plusieurs types d'intervention : le total des "
                "personnes est le nombre réel de personnes, pas la somme des lignes."
            ),
        )
    ]


def _aid_by_kind(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    categories = [Category(value, label, Q(kind=value)) for value, label in AidKind.choices]
    granted = Q(status=AidStatus.GRANTED)
    measures = {
        "requested": _count(),
        "requested_amount": _sum("amount_requested"),
        "granted": lambda c: Count("pk", filter=granted if c is None else granted & c),
        "granted_amount": _sum("amount_granted", granted),
        "persons": _count("case__person", distinct=True),
    }
    measured, total = _aggregate(_scoped_aid(scope), {"k": categories}, measures)["k"]
    columns = (
        Column("requested", "Aides demandées", Measure.COUNT),
        Column("requested_amount", "Montant demandé", Measure.MONEY),
        Column("granted", "Aides accordées", Measure.COUNT),
        Column("granted_amount", "Montant accordé", Measure.MONEY),
        Column("persons", "Personnes", Measure.PERSONS),
    )
    return [
        _table(
            "aides-financieres",
            "Aides financières, par type",
            columns,
            categories,
            measured,
            total,
            percent_of="requested",
            chart_of="requested",
            definition=(
                "Demandes d'aide financière (secours, prêts, avances…) faites pendant la "
                "période ; parmi elles, celles accordées à ce jour et le montant accordé."
            ),
        )
    ]


def _scoped_group_actions(scope: Scope) -> QuerySet:
    """Collective actions held in the period, for the scope's team, company or worker (the
    actions they ran)."""
    start, end = scope.period.bounds()
    actions = GroupAction.objects.filter(
        organisation_id=scope.organisation_id,
        status=GroupActionStatus.HELD,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    if scope.team_id:
        actions = actions.filter(team_id=scope.team_id)
    if scope.employer_id:
        actions = actions.filter(employer_id=scope.employer_id)
    if scope.establishment_id:
        actions = actions.filter(establishment_id=scope.establishment_id)
    if scope.referent_id:
        ran = GroupActionFacilitator.objects.filter(
            organisation_id=scope.organisation_id,
            user_id=scope.referent_id,
            group_action_id=OuterRef("pk"),
        )
        actions = actions.filter(Exists(ran))
    return actions


GROUP_ACTION_KEYS = ("actions-collectives", "actions-collectives-theme")
GROUP_ACTION_COLUMNS = (
    Column("count", "Actions", Measure.COUNT),
    Column("attendees", "Participations", Measure.COUNT),
    Column("minutes", "Durée", Measure.MINUTES),
)
GROUP_ACTION_DEFINITION = (
    "Actions collectives réalisées pendant la période (réunions d'information, ateliers, "
    "groupes de parole, actions de prévention, sorties) ; les actions prévues ou annulées ne "
    "comptent pas. Participations : l'effectif compté à chaque action, sans nom ; une "
    "personne venue à deux actions compte deux fois. Durée : celle de chaque action, une "
    "fois quel que soit le nombre d'animateur·rices."
)


def _group_actions(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    """Both tables from one query: by kind and by theme (the first-level concerns)."""
    kinds = [Category(value, label, Q(kind=value)) for value, label in GroupActionKind.choices]
    themes = [
        Category(str(concern["pk"]), concern["label"], Q(theme_id=concern["pk"]))
        for concern in Concern.objects.filter(
            organisation_id=scope.organisation_id, parent__isnull=True
        )
        .order_by("position", "label")
        .values("pk", "label")
    ]
    themes.append(Category("", "Sans thème", Q(theme__isnull=True), unknown=True))
    measures = {
        "count": _count(),
        "attendees": _sum("headcount"),
        "minutes": _sum("duration_minutes"),
    }
    measured = _aggregate(_scoped_group_actions(scope), {"k": kinds, "t": themes}, measures)
    options = {
        # Small-cell masking looks at the attendees: a row of three participants at one
        # company is masked in what leaves the service.
        "persons_measure": "attendees",
        "percent_of": "count",
        "chart_of": "count",
        "definition": GROUP_ACTION_DEFINITION,
    }
    by_kind = _table(
        GROUP_ACTION_KEYS[0],
        "Actions collectives, par type",
        GROUP_ACTION_COLUMNS,
        kinds,
        *measured["k"],
        **options,
    )
    by_theme = _table(
        GROUP_ACTION_KEYS[1],
        "Actions collectives, par thème",
        GROUP_ACTION_COLUMNS,
        themes,
        *measured["t"],
        **options,
    )
    return [by_kind, by_theme]


def label_sort_key(label: str) -> str:
    """Alphabetical order that ignores accents and case, identical on every database
    (their collations differ, so ordering is done here, on the few aggregated rows)."""
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()


REFERRAL_KEYS = ("orientations-type-partenaire", "orientations-partenaire")
REFERRAL_COLUMNS = (
    Column("sent", "Orientations envoyées", Measure.COUNT),
    Column("granted", "Accordées", Measure.COUNT),
    Column("refused", "Refusées", Measure.COUNT),
    Column("awaiting", "En attente de réponse", Measure.COUNT),
    Column("closed", "Closes sans réponse", Measure.COUNT),
    Column("persons", "Personnes", Measure.PERSONS),
)
REFERRAL_DEFINITION = (
    "Orientations vers un partenaire envoyées pendant la période, selon la réponse du "
    "partenaire à ce jour. Une personne orientée vers plusieurs partenaires compte une fois "
    "dans le total des personnes."
)


def _referral_measures() -> Measures:
    outcomes = {
        "granted": Q(decision=ReferralDecision.GRANTED),
        "refused": Q(decision=ReferralDecision.REFUSED),
        "awaiting": Q(status__in=AWAITING_STATUSES),
        "closed": Q(status=ReferralStatus.CLOSED, decision=""),
    }

    def count_where(outcome: Q):
        return lambda c: Count("pk", filter=outcome if c is None else outcome & c)

    return {
        "sent": _count(),
        **{name: count_where(outcome) for name, outcome in outcomes.items()},
        "persons": _count("case__person", distinct=True),
    }


def _referrals(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    """Referrals by partner kind (one query, with the real total) and by partner (one)."""
    queryset = _scoped_referrals(scope)
    measures = _referral_measures()
    categories = [
        Category(value, label, Q(partner__kind=value)) for value, label in PartnerKind.choices
    ]
    measured, total = _aggregate(queryset, {"k": categories}, measures)["k"]
    tables = []
    if REFERRAL_KEYS[0] in wanted:
        tables.append(
            _table(
                REFERRAL_KEYS[0],
                "Orientations, par type de partenaire et réponse",
                REFERRAL_COLUMNS,
                categories,
                measured,
                total,
                percent_of="sent",
                chart_of="sent",
                additive=True,
                definition=REFERRAL_DEFINITION,
            )
        )
    if REFERRAL_KEYS[1] in wanted:
        groups = (
            queryset.values("partner__public_id", "partner__name")
            .annotate(**{name: make(None) for name, make in measures.items()})
            .order_by()
        )
        rows = [
            Row(
                str(g["partner__public_id"]),
                g["partner__name"],
                {name: g[name] or 0 for name in measures},
                g["persons"],
            )
            for g in sorted(
                groups, key=lambda g: (label_sort_key(g["partner__name"]), g["partner__public_id"])
            )
        ]
        tables.append(
            with_percentages(
                Table(
                    REFERRAL_KEYS[1],
                    "Orientations, par partenaire et réponse",
                    REFERRAL_COLUMNS,
                    rows,
                    Row("total", "Total", total, total["persons"]),
                    percent_of="sent",
                    chart_of="sent",
                    definition=REFERRAL_DEFINITION,
                )
            )
        )
    return tables


CONCERN_KEYS = ("problematiques-niveau-1", "problematiques-niveau-2")


def _concerns(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    """Concerns at the levels asked for (one GROUP BY each, on integer ids), their real
    total (one query) and the organisation's concern labels (one small query)."""
    queryset = _scoped_case_concerns(scope)
    measures = {
        "persons": Count("case__person", distinct=True),
        "cases": Count("case", distinct=True),
    }
    total = queryset.aggregate(**measures)
    taxonomy = {
        c["pk"]: c
        for c in Concern.objects.filter(organisation_id=scope.organisation_id).values(
            "pk", "public_id", "label", "position", "parent_id"
        )
    }
    tables = []
    if CONCERN_KEYS[0] in wanted:
        groups = (
            queryset.values(group=Coalesce("concern__parent_id", "concern_id"))
            .annotate(**measures)
            .order_by()
        )
        rows = sorted(_concern_row(taxonomy[g["group"]], g, taxonomy) for g in groups)
        tables.append(_concern_table(CONCERN_KEYS[0], [row for _, row in rows], total))
    if CONCERN_KEYS[1] in wanted:
        # Grouped on an expression, not the bare column: SQLite would otherwise walk the
        # concern index to skip the sort and read every row it points to (258 ms → 84 ms,
        # 100,000 persons); it reads the covering (organisation, case, concern) index instead.
        groups = queryset.values(group=F("concern_id") + 0).annotate(**measures).order_by()
        rows = sorted(
            _concern_row(taxonomy[g["group"]], g, taxonomy, detailed=True) for g in groups
        )
        tables.append(_concern_table(CONCERN_KEYS[1], [row for _, row in rows], total))
    return tables


def _concern_row(concern: dict, measured: dict, taxonomy: dict, *, detailed=False) -> tuple:
    """(sort key, row): the taxonomy's order — first level by position, "(sans
    précision)" first in its group, then the second level by position."""
    parent = taxonomy.get(concern["parent_id"])
    if detailed and parent is not None:
        label = f"{parent['label']} — {concern['label']}"
    elif detailed:
        label = f"{concern['label']} (sans précision)"
    else:
        label = concern["label"]
    top = parent or concern
    row = Row(
        str(concern["public_id"]),
        label,
        {"persons": measured["persons"], "cases": measured["cases"]},
        measured["persons"],
    )
    order = (
        top["position"],
        label_sort_key(top["label"]),
        top["pk"],
        parent is not None,
        concern["position"],
        label_sort_key(concern["label"]),
        concern["pk"],
    )
    return order, row


def _concern_table(key: str, rows: list[Row], total: dict) -> Table:
    title = (
        "Problématiques (premier niveau)"
        if key == CONCERN_KEYS[0]
        else "Problématiques (second niveau)"
    )
    return with_percentages(
        Table(
            key,
            title,
            (PERSONS_COLUMN, Column("cases", "Accompagnements", Measure.COUNT)),
            rows,
            Row(
                "total",
                "Personnes ayant au moins une problématique",
                dict(total),
                total["persons"],
            ),
            percent_of="persons",
            chart_of="persons",
            additive=False,
            definition=(
                "Problématiques notées dans les accompagnements de la file active. Une "
                "personne peut en avoir plusieurs : la somme des lignes dépasse le total, "
                "qui compte chaque personne une fois ; les pourcentages sont calculés "
                "sur ce total."
            ),
        )
    )


def _at_least(age: int, on: datetime.date, field: str = "birth_date") -> Q:
    """Persons aged ``age`` or more on ``on``: one comparison with a constant date."""
    latest = latest_birth_date(age, on)
    if latest is None:  # nobody: a condition no date meets
        return Q(**{f"{field}__lt": datetime.date.min})
    return Q(**{f"{field}__lte": latest})


def _age_categories(starts: tuple[int, ...], on: datetime.date) -> list[Category]:
    categories = []
    if starts[0] > 0:
        categories.append(
            Category(f"<{starts[0]}", f"Moins de {starts[0]} ans", ~_at_least(starts[0], on))
        )
    for low, high in zip(starts, [*starts[1:], None], strict=True):
        if high is None:
            categories.append(Category(f"{low}+", f"{low} ans et plus", _at_least(low, on)))
        else:
            categories.append(
                Category(
                    f"{low}-{high - 1}",
                    f"{low} à {high - 1} ans",
                    _at_least(low, on) & ~_at_least(high, on),
                )
            )
    return categories


def _persons(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    """Every person breakdown on fixed lists, in one pass over the file-active persons."""
    on = scope.period.end
    # A birth date after the reference day is an entry error: counted as not recorded.
    known_age = Q(birth_date__isnull=False, birth_date__lte=on)
    age_categories = [
        Category(c.key, c.label, known_age & c.condition)
        for c in _age_categories(config.age_band_starts, on)
    ]
    age_categories.append(Category("", UNKNOWN, ~known_age, unknown=True))
    dimensions = {
        "sex": _choices("sex", Sex.choices),
        "age": age_categories,
        "family": _choices("family_situation", FamilySituation.choices),
        "work": _choices("work_situation", WorkSituation.choices),
        "contract": _choices("contract_kind", ContractKind.choices),
        "employer_kind": _choices(
            "employer__kind", EmployerKind.choices, unknown_label="Sans employeur renseigné"
        ),
    }
    queryset = file_active_persons(scope).annotate(age=age_on("birth_date", on))
    result = _aggregate(
        queryset,
        dimensions,
        {"persons": _count()},
        extra={
            "known": Count("pk", filter=known_age),
            "age_sum": Sum("age", filter=known_age),
            "youngest": Max("birth_date", filter=known_age),
            "oldest": Min("birth_date", filter=known_age),
        },
    )
    ages = result["extra"]
    columns = (PERSONS_COLUMN,)
    common = {"percent_of": "persons", "chart_of": "persons"}
    tables = []
    for dim, key, title, definition in (
        ("sex", "personnes-sexe", "Personnes, par sexe", ""),
        (
            "age",
            "personnes-age",
            "Personnes, par tranche d'âge",
            f"Âge en années révolues au dernier jour de la période ({on:%d/%m/%Y}).",
        ),
        ("family", "personnes-situation-familiale", "Personnes, par situation familiale", ""),
        (
            "work",
            "personnes-situation-professionnelle",
            "Personnes, par situation professionnelle",
            "",
        ),
        ("contract", "personnes-contrat", "Personnes, par type de contrat", ""),
        ("employer_kind", "personnes-type-employeur", "Personnes, par type d'employeur", ""),
    ):
        measured, total = result[dim]
        table = _table(
            key,
            title,
            columns,
            dimensions[dim],
            measured,
            total,
            definition=(
                definition
                + (" " if definition else "")
                + "Personnes de la file active, chacune comptée une fois ; situation "
                "telle qu'enregistrée aujourd'hui dans leur dossier."
            ),
            **common,
        )
        tables.append(table)
    age_table = tables[1]
    # The mean is computed here from the exact sum, not by the database's AVG: PostgreSQL
    # and SQLite do not round AVG the same way.
    if ages["known"]:
        age_table.extra = {
            "known": ages["known"],
            "mean": (Decimal(ages["age_sum"]) / ages["known"]).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            ),
            "min": age_in_years(ages["youngest"], on),
            "max": age_in_years(ages["oldest"], on),
        }
        age_table.single_person_extras = ("min", "max")
    return tables


def _persons_by_employer(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    groups = (
        file_active_persons(scope)
        .values("employer__public_id", "employer__name")
        .annotate(persons=Count("pk"))
        .order_by()
    )
    return [
        _grouped_persons_table(
            groups,
            "employer",
            "personnes-employeur",
            "Personnes, par employeur",
            "Sans employeur renseigné",
        )
    ]


def _persons_by_establishment(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    groups = (
        file_active_persons(scope)
        .values("establishment__public_id", "establishment__name")
        .annotate(persons=Count("pk"))
        .order_by()
    )
    return [
        _grouped_persons_table(
            groups,
            "establishment",
            "personnes-etablissement",
            "Personnes, par établissement",
            "Sans établissement renseigné",
        )
    ]


def _grouped_persons_table(groups, field, key, title, unknown_label) -> Table:
    rows, unknown = [], None
    for g in groups:
        if g[f"{field}__public_id"] is None:
            unknown = Row("", unknown_label, {"persons": g["persons"]}, g["persons"], unknown=True)
        else:
            rows.append(
                Row(
                    str(g[f"{field}__public_id"]),
                    g[f"{field}__name"],
                    {"persons": g["persons"]},
                    g["persons"],
                )
            )
    rows.sort(key=lambda r: (label_sort_key(r.label), r.key))
    if unknown is not None:
        rows.append(unknown)
    # Each person has one employer (or none): the rows add up to the real total.
    total = sum(r.persons for r in rows)
    return with_percentages(
        Table(
            key,
            title,
            (PERSONS_COLUMN,),
            rows,
            Row("total", "Total", {"persons": total}, total),
            percent_of="persons",
            chart_of="persons",
            definition="Personnes de la file active, chacune comptée une fois.",
        )
    )


def _caseload(scope: Scope, config: Config, wanted: set[str]) -> list[Table]:
    """Each worker's current active caseload: for assigning new cases, nothing else.

    Two queries (the workers, then one GROUP BY over the referent links): a correlated
    count per worker would scan the cases once per worker.
    """
    workers = Membership.objects.filter(
        organisation_id=scope.organisation_id, role=Role.SOCIAL_WORKER, is_active=True
    )
    links = CaseReferent.objects.filter(
        organisation_id=scope.organisation_id,
        case__status__in=[CaseStatus.OPEN, CaseStatus.ACTIVE],
    )
    if scope.team_id:
        workers = workers.filter(team_id=scope.team_id)
        links = links.filter(case__team_id=scope.team_id)
    workers = workers.values(
        "user_id", "user__public_id", "user__first_name", "user__last_name", "user__email"
    )
    counts = dict(
        links.filter(user_id__in=workers.values("user_id"))
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("user_id", "n")
    )
    rows = [
        Row(
            str(w["user__public_id"]),
            f"{w['user__first_name']} {w['user__last_name']}".strip() or w["user__email"],
            {"count": counts.get(w["user_id"], 0)},
            0,
        )
        for w in sorted(
            workers,
            key=lambda w: (
                label_sort_key(w["user__last_name"]),
                label_sort_key(w["user__first_name"]),
                w["user__email"],
            ),
        )
    ]
    return [
        Table(
            "charge-active",
            "Accompagnements en cours par professionnel·le (pour la répartition)",
            (Column("count", "Accompagnements en cours", Measure.COUNT),),
            rows,
            definition=(
                "Nombre d'accompagnements ouverts ou en cours dont chaque assistant·e est "
                "référent·e aujourd'hui, quelle que soit la période choisie. Il sert à répartir "
                "les nouvelles demandes ; ce n'est pas un indicateur d'activité."
            ),
            suppressible=False,
        )
    ]


# --- The catalogue ---------------------------------------------------------------------

# builder -> the tables it produces (in page order).
_BUILDERS: list[tuple[Callable[[Scope, Config, set[str]], list[Table]], tuple[str, ...]]] = [
    (_summary, ("activite",)),
    (_requests_by_origin, ("demandes-origine",)),
    (_interventions_by_kind, ("interventions-type",)),
    (_closed_by_reason, ("clotures-motif",)),
    (_concerns, CONCERN_KEYS),
    (_aid_by_kind, ("aides-financieres",)),
    (_group_actions, GROUP_ACTION_KEYS),
    (_referrals, REFERRAL_KEYS),
    (
        _persons,
        (
            "personnes-sexe",
            "personnes-age",
            "personnes-situation-familiale",
            "personnes-situation-professionnelle",
            "personnes-contrat",
            "personnes-type-employeur",
        ),
    ),
    (_persons_by_employer, ("personnes-employeur",)),
    (_persons_by_establishment, ("personnes-etablissement",)),
    (_caseload, ("charge-active",)),
]
TABLE_KEYS: tuple[str, ...] = tuple(key for _, keys in _BUILDERS for key in keys)


# The builders from the longest to the shortest (measured at 100,000 persons, SQLite and
# PostgreSQL alike): run side by side, the long ones start first.
_LONGEST_FIRST = (
    _interventions_by_kind,
    _concerns,
    _persons,
    _referrals,
    _summary,
    _requests_by_origin,
    _caseload,
    _persons_by_employer,
    _persons_by_establishment,
    _closed_by_reason,
    _aid_by_kind,
    _group_actions,
)


def statistics_tables(*, scope: Scope, config: Config, keys: Iterable[str]) -> dict[str, Table]:
    """The requested tables, in page order; each builder runs at most once, the builders
    side by side on several connections (relais.stats.parallel)."""
    wanted = set(keys)
    unknown = wanted - set(TABLE_KEYS)
    if unknown:
        raise KeyError(f"unknown statistics tables: {sorted(unknown)}")
    produces = dict(_BUILDERS)
    builds = [build for build in _LONGEST_FIRST if wanted.intersection(produces[build])]
    results = run_side_by_side(
        [functools.partial(build, scope, config, wanted) for build in builds],
        using=Case.objects.all().db,
    )
    tables = {table.key: table for built in results for table in built if table.key in wanted}
    return {key: tables[key] for key in TABLE_KEYS if key in tables}
