"""What a statistics request asks for, checked against what its user may see.

Shared by the statistics page, its exports and the API (relais.api.endpoints.statistics):
one set of rules for the filters a role may use, the tables it may see, and whether small
cells are masked.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from relais.accounts.enums import Role
from relais.accounts.models import Employer, Establishment, Team
from relais.policy import rules
from relais.stats.forms import StatisticsFilterForm
from relais.stats.selectors import Config, Scope, statistics_config, statistics_tables
from relais.stats.suppression import suppress

# What an employer / CSE sees of its own company, on the page and in the activity report.
COMPANY_KEYS = (
    "activite",
    "demandes-origine",
    "interventions-type",
    "problematiques-niveau-1",
    "aides-financieres",
    "actions-collectives",
    "actions-collectives-theme",
    "orientations-type-partenaire",
    "personnes-sexe",
    "personnes-age",
    "personnes-situation-familiale",
    "personnes-situation-professionnelle",
    "personnes-contrat",
    "personnes-etablissement",
)
# The activity report of the whole service (no company chosen).
SERVICE_REPORT_KEYS = (
    *(k for k in COMPANY_KEYS if k != "personnes-etablissement"),
    "personnes-type-employeur",
    "personnes-employeur",
)
STAFF_KEYS = (
    "activite",
    "demandes-origine",
    "interventions-type",
    "clotures-motif",
    "problematiques-niveau-1",
    "problematiques-niveau-2",
    "aides-financieres",
    "actions-collectives",
    "actions-collectives-theme",
    "orientations-type-partenaire",
    "orientations-partenaire",
    "personnes-sexe",
    "personnes-age",
    "personnes-situation-familiale",
    "personnes-situation-professionnelle",
    "personnes-contrat",
    "personnes-type-employeur",
    "personnes-employeur",
)


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    pk: int
    parent: str | None = None


def team_options(organisation_id: int) -> list[Option]:
    """Teams of at least two social workers: a team of one would describe one worker."""
    teams = (
        Team.objects.filter(organisation_id=organisation_id)
        .annotate(
            workers=Count(
                "members",
                filter=Q(members__role=Role.SOCIAL_WORKER, members__is_active=True),
            )
        )
        .filter(workers__gte=2)
        .values_list("public_id", "name", "pk")
    )
    return [Option(str(public_id), name, pk) for public_id, name, pk in teams]


def employer_options(organisation_id: int) -> list[Option]:
    employers = Employer.objects.filter(organisation_id=organisation_id).values_list(
        "public_id", "name", "pk"
    )
    return [Option(str(public_id), name, pk) for public_id, name, pk in employers]


def establishment_options(organisation_id: int) -> list[Option]:
    rows = (
        Establishment.objects.filter(organisation_id=organisation_id)
        .order_by("employer__name", "name")
        .values_list("public_id", "employer__name", "name", "pk", "employer__public_id")
    )
    return [
        Option(str(public_id), f"{employer} — {name}", pk, str(parent))
        for public_id, employer, name, pk, parent in rows
    ]


def option_pk(options: list[Option] | None, key: str | None) -> int | None:
    if not key or not options:
        return None
    return next(o.pk for o in options if o.key == key)


@dataclass
class Selection:
    """What the URL asks for, checked against what the user may see."""

    form: StatisticsFilterForm
    scope: Scope | None = None
    config: Config | None = None
    title: str = ""
    masked: bool = True
    own: bool = False
    keys: tuple[str, ...] = ()
    filters_text: list[str] = field(default_factory=list)


def default_year_data(data):
    data = data.copy()
    if not data.get("annee"):
        data["annee"] = str(timezone.localdate().year)
    return data


def statistics_selection(*, user, data) -> Selection:
    """Read the filters in ``data`` (the URL's query) as far as ``user`` may use them."""
    organisation_id = rules.organisation_id(user)
    employer_id = rules.statistics_employer_id(user)
    company_viewer = employer_id is not None
    teams = employers = establishments = None
    if not company_viewer:
        teams, employers, establishments = (
            team_options(organisation_id),
            employer_options(organisation_id),
            establishment_options(organisation_id),
        )
    form = StatisticsFilterForm(
        default_year_data(data),
        teams=teams,
        employers=employers,
        establishments=establishments,
        # An employer sees calendar quarters and years only: free periods would let one
        # subtract two nearly equal periods and isolate a few persons.
        free_period=not company_viewer,
        own_scope=rules.can_see_own_statistics(user),
    )
    selection = Selection(form)
    if not form.is_valid():
        return selection
    cleaned = form.cleaned_data
    period, selection.title = form.period_and_title()
    selection.own = cleaned.get("perimetre") == "moi"
    team_id = option_pk(teams, cleaned.get("equipe"))
    establishment_id = option_pk(establishments, cleaned.get("etablissement"))
    scoped_employer = (
        employer_id if company_viewer else option_pk(employers, cleaned.get("employeur"))
    )
    selection.scope = Scope(
        organisation_id=organisation_id,
        period=period,
        team_id=team_id,
        employer_id=scoped_employer,
        establishment_id=establishment_id,
        referent_id=user.pk if selection.own else None,
    )
    selection.config = statistics_config(organisation_id)
    # A worker's own cases are theirs already: only their figures are shown unmasked.
    selection.masked = not selection.own
    if company_viewer:
        selection.keys = COMPANY_KEYS
    else:
        keys = list(STAFF_KEYS)
        if scoped_employer:
            keys.append("personnes-etablissement")
        if rules.can_see_caseload_sizes(user):
            keys.append("charge-active")
        selection.keys = tuple(keys)
    for name, options in (
        ("equipe", teams),
        ("employeur", employers),
        ("etablissement", establishments),
    ):
        if cleaned.get(name):
            label = form.fields[name].label
            selection.filters_text.append(
                f"{label} : {next(o.label for o in options if o.key == cleaned[name])}"
            )
    if selection.own:
        selection.filters_text.append("Mes accompagnements")
    return selection


def selection_tables(selection: Selection, keys) -> dict:
    """The tables of a valid selection, masked unless they are the worker's own figures."""
    tables = statistics_tables(scope=selection.scope, config=selection.config, keys=keys)
    if selection.masked:
        tables = {k: suppress(t, selection.config.threshold) for k, t in tables.items()}
    return tables
