"""Reads on reports, scoped through the policy querysets."""

from django.shortcuts import get_object_or_404

from relais.reports.models import Report, ReportTemplate, ReportVersion
from relais.reports.services import report_templates_seed


def report_templates(organisation_id: int) -> list[ReportTemplate]:
    """The organisation's active templates (the shipped ones are copied in on first use)."""
    templates = list(ReportTemplate.objects.filter(organisation_id=organisation_id, is_active=True))
    if (
        not templates
        and not ReportTemplate.objects.filter(organisation_id=organisation_id).exists()
    ):
        report_templates_seed(organisation_id)
        templates = list(
            ReportTemplate.objects.filter(organisation_id=organisation_id, is_active=True)
        )
    return templates


def _with_relations(queryset):
    return queryset.select_related(
        "template",
        "author",
        "latest_version",
        "signed_version",
        "signed_version__signed_by",
    )


def reports_of_case(user, case) -> list[Report]:
    # The case question is asked once for the case, not probed again for each report.
    return list(_with_relations(Report.objects.in_case_visible_to(user, case)))


def report_for(user, public_id) -> Report:
    """Fetch a report the user may read, or 404 (other organisation, or not allowed)."""
    return get_object_or_404(
        _with_relations(Report.objects.visible_to(user)).select_related(
            "case", "case__person", "organisation"
        ),
        public_id=public_id,
    )


def report_versions(report: Report) -> list[ReportVersion]:
    return list(
        ReportVersion.objects.filter(organisation_id=report.organisation_id, report=report)
        .select_related("author", "signed_by")
        .order_by("-number")
    )


def report_version(report: Report, number: int) -> ReportVersion:
    return get_object_or_404(
        ReportVersion.objects.filter(
            organisation_id=report.organisation_id, report=report
        ).select_related("author", "signed_by"),
        number=number,
    )
