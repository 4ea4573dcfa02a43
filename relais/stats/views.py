"""Statistics pages, table exports and the activity report (thin views over the engine)."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from relais.accounts.models import Employer
from relais.audit.log import client_ip, record_access
from relais.audit.models import AccessAction
from relais.exports.tabular import FORMATS, export_response
from relais.policy import rules
from relais.scale.routers import use_replica
from relais.stats.charts import bar_chart
from relais.stats.forms import ReportForm, StatisticsSettingsForm
from relais.stats.models import StatisticsSettings
from relais.stats.pdf import render_report_pdf
from relais.stats.selection import (
    COMPANY_KEYS,
    SERVICE_REPORT_KEYS,
    Selection,
    default_year_data,
    employer_options,
    option_pk,
    selection_tables,
    statistics_selection,
)
from relais.stats.selectors import (
    GROUP_ACTION_KEYS,
    Config,
    Scope,
    statistics_config,
    statistics_tables,
)
from relais.stats.services import statistics_settings_update
from relais.stats.sheets import table_sheet
from relais.stats.suppression import suppress
from relais.stats.tables import PERCENT_RULE

SECTIONS = (
    (
        "activite",
        "Activité",
        ("activite", "demandes-origine", "interventions-type", "clotures-motif"),
    ),
    ("problematiques", "Problématiques", ("problematiques-niveau-1", "problematiques-niveau-2")),
    ("aides", "Aides financières", ("aides-financieres",)),
    ("actions-collectives", "Actions collectives", GROUP_ACTION_KEYS),
    ("orientations", "Orientations", ("orientations-type-partenaire", "orientations-partenaire")),
    (
        "personnes",
        "Personnes accompagnées",
        (
            "personnes-sexe",
            "personnes-age",
            "personnes-situation-familiale",
            "personnes-situation-professionnelle",
            "personnes-contrat",
            "personnes-type-employeur",
            "personnes-employeur",
            "personnes-etablissement",
        ),
    ),
    ("repartition", "Répartition des nouvelles demandes", ("charge-active",)),
)


def _require_statistics(user):
    if not rules.can_see_statistics(user):
        raise PermissionDenied


def _selection(request) -> Selection:
    return statistics_selection(user=request.user, data=request.GET)


def _query(selection: Selection, **changes) -> str:
    """The current filters as a query string (for links), with ``changes`` applied."""
    data = {k: v for k, v in selection.form.data.items() if v and k in selection.form.fields}
    data.update(changes)
    return urlencode({k: v for k, v in data.items() if v})


def _presets(selection: Selection) -> list[tuple[str, str, bool]]:
    """Links to the usual periods, keeping the other filters."""
    data = selection.form.cleaned_data if selection.scope else {}
    year = data.get("annee") or timezone.localdate().year
    current = (
        str(data.get("annee")),
        data.get("trimestre") or "",
        bool(data.get("debut")),
    )
    links = []
    for label, y, q in (
        (f"Année {year - 1}", year - 1, ""),
        (f"Année {year}", year, ""),
        *((f"T{q} {year}", year, str(q)) for q in (1, 2, 3, 4)),
    ):
        query = _query(selection, annee=str(y), trimestre=q, debut="", fin="")
        links.append((label, f"?{query}", current == (str(y), q, False)))
    return links


@require_GET
@use_replica
def index(request):
    _require_statistics(request.user)
    selection = _selection(request)
    sections = []
    if selection.scope is not None:
        tables = selection_tables(selection, selection.keys)
        query = _query(selection)
        for anchor, title, keys in SECTIONS:
            blocks = [
                {
                    "table": tables[key],
                    "chart": bar_chart(tables[key]),
                    "csv": f"{reverse('stats:export', args=[key, 'csv'])}?{query}",
                    "xlsx": f"{reverse('stats:export', args=[key, 'xlsx'])}?{query}",
                }
                for key in keys
                if key in tables
            ]
            if blocks:
                sections.append({"anchor": anchor, "title": title, "blocks": blocks})
    return render(
        request,
        "stats/index.html",
        {
            "selection": selection,
            "form": selection.form,
            "sections": sections,
            "presets": _presets(selection) if selection.scope else [],
            "percent_rule": PERCENT_RULE,
            "threshold": selection.config.threshold if selection.config else None,
            "company_viewer": rules.statistics_employer_id(request.user) is not None,
            "can_configure": rules.can_configure_statistics(request.user),
            "report_query": _query(selection, debut="", fin="", equipe="", perimetre=""),
        },
    )


@require_GET
@use_replica
def export(request, table: str, fmt: str):
    _require_statistics(request.user)
    if fmt not in FORMATS:
        raise Http404
    selection = _selection(request)
    if selection.scope is None:
        return redirect(f"{reverse('stats:index')}?{request.GET.urlencode()}")
    if table not in selection.keys:
        raise Http404
    result = selection_tables(selection, [table])[table]
    context = [selection.title, *selection.filters_text]
    sheet = table_sheet(result, context=context, threshold=selection.config.threshold)
    record_access(
        user=request.user,
        organisation_id=selection.scope.organisation_id,
        action=AccessAction.EXPORT,
        object_type="stats.table",
        object_id=table,
        reason=" · ".join(context),
        ip=client_ip(request),
    )
    period = selection.scope.period
    return export_response(
        [sheet], fmt=fmt, filename=f"statistiques-{table}-{period.start}-{period.end}"
    )


# --- Activity report -------------------------------------------------------------------


@dataclass
class Report:
    form: ReportForm
    title: str = ""
    company: str = ""
    tables: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    scope: Scope | None = None
    threshold: int = 5


def _report(request) -> Report:
    user = request.user
    organisation_id = rules.organisation_id(user)
    employer_id = rules.statistics_employer_id(user)
    employers = None if employer_id is not None else employer_options(organisation_id)
    form = ReportForm(default_year_data(request.GET), employers=employers)
    report = Report(form)
    if not form.is_valid():
        return report
    period, report.title = form.period_and_title()
    if employer_id is None:
        employer_id = option_pk(employers, form.cleaned_data.get("employeur"))
    if employer_id is not None:
        report.company = (
            Employer.objects.filter(organisation_id=organisation_id, pk=employer_id)
            .values_list("name", flat=True)
            .get()
        )
    report.scope = Scope(organisation_id=organisation_id, period=period, employer_id=employer_id)
    config = statistics_config(organisation_id)
    report.threshold = config.threshold
    keys = COMPANY_KEYS if employer_id is not None else SERVICE_REPORT_KEYS
    # The report leaves the service: it is always masked, whoever prints it.
    report.tables = {
        key: suppress(table, config.threshold)
        for key, table in statistics_tables(scope=report.scope, config=config, keys=keys).items()
    }
    report.charts = {key: bar_chart(table) for key, table in report.tables.items()}
    return report


def _report_context(request, report: Report) -> dict:
    return {
        "report": report,
        "form": report.form,
        "sections": [
            {
                "anchor": anchor,
                "title": title,
                "blocks": [
                    {"table": report.tables[k], "chart": report.charts[k]}
                    for k in keys
                    if k in report.tables
                ],
            }
            for anchor, title, keys in SECTIONS
            if any(k in report.tables for k in keys)
        ],
        "percent_rule": PERCENT_RULE,
        "threshold": report.threshold,
        "generated_on": timezone.localdate(),
        "pdf_query": request.GET.urlencode(),
    }


@require_GET
@use_replica
def report(request):
    _require_statistics(request.user)
    report = _report(request)
    return render(request, "stats/report.html", _report_context(request, report))


@require_GET
@use_replica
def report_pdf(request):
    _require_statistics(request.user)
    report = _report(request)
    if report.scope is None:
        return redirect(f"{reverse('stats:report')}?{request.GET.urlencode()}")
    pdf = render_report_pdf(_report_context(request, report), request)
    record_access(
        user=request.user,
        organisation_id=report.scope.organisation_id,
        action=AccessAction.DOWNLOAD,
        object_type="stats.report",
        object_id=report.company[:64] if report.company else "service",
        reason=report.title,
        ip=client_ip(request),
    )
    period = report.scope.period
    name = f"rapport-activite-{report.company or 'service'}-{period.start}-{period.end}"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_slug(name)}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _slug(text: str) -> str:
    return slugify(text) or "rapport"


# --- Settings --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings_view(request):
    if not rules.can_configure_statistics(request.user):
        raise PermissionDenied
    membership = rules.membership(request.user)
    current = StatisticsSettings.objects.filter(organisation_id=membership.organisation_id).first()
    config = (
        Config(tuple(current.age_band_starts), current.small_cell_threshold)
        if current
        else Config()
    )
    if request.method == "POST":
        form = StatisticsSettingsForm(request.POST)
        if form.is_valid():
            statistics_settings_update(
                by=request.user,
                organisation=membership.organisation,
                age_band_starts=form.cleaned_data["age_band_starts"],
                small_cell_threshold=form.cleaned_data["small_cell_threshold"],
            )
            messages.success(request, "Les réglages des statistiques sont enregistrés.")
            return redirect("stats:settings")
    else:
        form = StatisticsSettingsForm(
            initial={
                "age_band_starts": ", ".join(str(a) for a in config.age_band_starts),
                "small_cell_threshold": config.threshold,
            }
        )
    return render(
        request,
        "stats/settings.html",
        {"form": form, "can_see_statistics": rules.can_see_statistics(request.user)},
    )
