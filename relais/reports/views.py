"""Report pages: list and start on a case, write, finalise, amend, record delivery, output.

Reports follow their case (``Report.objects.visible_to``): another organisation or a role
without access gets a 404; a reader who may not write gets a 403 on writing actions.
Every read and every download is logged.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.audit.log import record_request_access
from relais.audit.models import AccessAction
from relais.cases.models import Case
from relais.policy import rules
from relais.reports import selectors, services
from relais.reports.forms import (
    AmendForm,
    DeliveryForm,
    FinaliseForm,
    ReportCreateForm,
    ReportEditForm,
)
from relais.reports.output import (
    file_name,
    output_context,
    rendered_sections,
    report_docx,
    report_pdf,
)
from relais.reports.rendering import markdown_to_html

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _visible_case(request, case_id) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person"), public_id=case_id
    )


@require_GET
def case_reports(request, case_id):
    case = _visible_case(request, case_id)
    can_write = rules.can_write_report(request.user, case)
    templates = selectors.report_templates(case.organisation_id) if can_write else []
    record_request_access(request, case, reason="Rapports du dossier")
    return render(
        request,
        "reports/case_reports.html",
        {
            "case": case,
            "person": case.person,
            "reports": selectors.reports_of_case(request.user, case),
            "form": ReportCreateForm(templates=templates),
            "templates": templates,
            "can_write": can_write,
        },
    )


@require_POST
def create(request, case_id):
    case = _visible_case(request, case_id)
    if not rules.can_write_report(request.user, case):
        raise PermissionDenied
    templates = selectors.report_templates(case.organisation_id)
    form = ReportCreateForm(request.POST, templates=templates)
    if not form.is_valid():
        return render(
            request,
            "reports/case_reports.html",
            {
                "case": case,
                "person": case.person,
                "reports": selectors.reports_of_case(request.user, case),
                "form": form,
                "templates": templates,
                "can_write": True,
            },
            status=400,
        )
    report = services.report_create(
        by=request.user,
        case=case,
        template=form.cleaned_data["template"],
        title=form.cleaned_data["title"],
    )
    messages.success(
        request, "Rapport créé et pré-rempli à partir du dossier : relisez et complétez-le."
    )
    return redirect("reports:edit", report_id=report.public_id)


def _signed_on(report):
    """The local date of the last signature (delivery dates cannot precede it)."""
    if not report.signed_version_id:
        return None
    return timezone.localtime(report.signed_version.signed_at).date()


@require_GET
def detail(request, report_id):
    report = selectors.report_for(request.user, report_id)
    version = report.latest_version
    record_request_access(request, report)
    user = request.user
    signed_on = _signed_on(report)
    context = output_context(report, version)
    context.update(
        {
            "case": report.case,
            "versions": selectors.report_versions(report),
            "can_edit": rules.can_edit_report(user, report),
            "can_finalise": rules.can_finalise_report(user, report),
            "can_amend": report.is_locked and rules.can_write_report(user, report.case),
            "can_deliver": rules.can_record_report_delivery(user, report),
            "finalise_form": FinaliseForm(),
            "amend_form": AmendForm(),
            "delivery_form": DeliveryForm(
                signed_on=signed_on,
                initial={
                    "read_to_person_on": report.signed_version.read_to_person_on
                    if report.signed_version_id
                    else None,
                    "copy_given_on": report.signed_version.copy_given_on
                    if report.signed_version_id
                    else None,
                },
            ),
        }
    )
    return render(request, "reports/report_detail.html", context)


@require_http_methods(["GET", "POST"])
def edit(request, report_id):
    report = selectors.report_for(request.user, report_id)
    if not rules.can_edit_report(request.user, report):
        if report.is_locked:
            messages.warning(
                request, "Ce rapport est finalisé : pour le corriger, faites un amendement."
            )
            return redirect("reports:detail", report_id=report.public_id)
        raise PermissionDenied
    version = report.latest_version
    preview = None
    if request.method == "POST":
        form = ReportEditForm(request.POST, report=report)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(report, form)
            else:
                try:
                    saved = services.report_save(
                        by=request.user,
                        report=report,
                        title=form.cleaned_data["title"],
                        recipient=form.cleaned_data["recipient"],
                        sections=form.sections(),
                        person_opinion=form.person_opinion(),
                        base_version=form.cleaned_data["base_version"],
                    )
                except services.StaleVersion as error:
                    form.data = form.data.copy()
                    form.data["base_version"] = str(error.latest_number)
                    form.add_error(None, str(error))
                except services.ReportError as error:
                    form.add_error(None, str(error))
                else:
                    if saved is None:
                        messages.info(request, "Aucune modification : pas de nouvelle version.")
                    else:
                        messages.success(request, f"Version {saved.number} enregistrée.")
                    if "save_and_stay" in request.POST:
                        return redirect("reports:edit", report_id=report.public_id)
                    return redirect("reports:detail", report_id=report.public_id)
    else:
        form = ReportEditForm(initial=ReportEditForm.initial_for(report, version), report=report)
        record_request_access(request, report, reason="Rédaction")
    return render(
        request,
        "reports/report_edit.html",
        {
            "report": report,
            "case": report.case,
            "form": form,
            "version": version,
            "preview": preview,
        },
    )


def _preview(report, form) -> dict:
    texts = form.sections()
    return {
        "sections": [
            {"title": section["title"], "html": markdown_to_html(texts.get(section["key"], ""))}
            for section in report.template.sections
        ],
        "person_opinion": markdown_to_html(form.person_opinion()),
    }


@require_POST
def finalise(request, report_id):
    report = selectors.report_for(request.user, report_id)
    if not rules.can_finalise_report(request.user, report):
        raise PermissionDenied
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["confirm"][0])
        return redirect("reports:detail", report_id=report.public_id)
    try:
        version = services.report_finalise(by=request.user, report=report)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Rapport finalisé : version {version.number} signée et verrouillée."
        )
    return redirect("reports:detail", report_id=report.public_id)


@require_POST
def amend(request, report_id):
    report = selectors.report_for(request.user, report_id)
    if not rules.can_write_report(request.user, report.case):
        raise PermissionDenied
    form = AmendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif de l'amendement.")
        return redirect("reports:detail", report_id=report.public_id)
    try:
        version = services.report_amend(
            by=request.user, report=report, reason=form.cleaned_data["reason"]
        )
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect("reports:detail", report_id=report.public_id)
    messages.success(
        request,
        f"Amendement ouvert (version {version.number}) : corrigez, puis signez à nouveau.",
    )
    return redirect("reports:edit", report_id=report.public_id)


@require_POST
def deliver(request, report_id):
    report = selectors.report_for(request.user, report_id)
    if not rules.can_record_report_delivery(request.user, report):
        raise PermissionDenied
    form = DeliveryForm(request.POST, signed_on=_signed_on(report))
    if not form.is_valid():
        for error in [*form.non_field_errors(), *[e for f in form for e in f.errors]]:
            messages.error(request, error)
        return redirect("reports:detail", report_id=report.public_id)
    services.report_record_delivery(
        by=request.user,
        report=report,
        read_to_person_on=form.cleaned_data.get("read_to_person_on"),
        copy_given_on=form.cleaned_data.get("copy_given_on"),
    )
    messages.success(request, "Dates de lecture et de remise enregistrées.")
    return redirect("reports:detail", report_id=report.public_id)


@require_GET
def version_detail(request, report_id, number):
    report = selectors.report_for(request.user, report_id)
    version = selectors.report_version(report, number)
    record_request_access(request, report, reason=f"Version {number}")
    return render(
        request,
        "reports/report_version.html",
        {
            "report": report,
            "case": report.case,
            "version": version,
            "sections": rendered_sections(report, version),
            "person_opinion_html": markdown_to_html(version.person_opinion),
        },
    )


def _requested_version(request, report):
    number = request.GET.get("version")
    if number and number.isdigit():
        return selectors.report_version(report, int(number))
    return report.latest_version


@never_cache
@require_GET
def pdf(request, report_id):
    report = selectors.report_for(request.user, report_id)
    version = _requested_version(request, report)
    content = report_pdf(report, version)
    record_request_access(request, report, action=AccessAction.DOWNLOAD, reason="PDF")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, file_name(report, version, "pdf")
    )
    return response


@never_cache
@require_GET
def docx(request, report_id):
    report = selectors.report_for(request.user, report_id)
    version = _requested_version(request, report)
    content = report_docx(report, version)
    record_request_access(request, report, action=AccessAction.DOWNLOAD, reason="DOCX")
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, file_name(report, version, "docx")
    )
    return response
