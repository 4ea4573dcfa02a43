"""The person's copy of their file: start, review (redact third-party passages), produce,
download. Only a worker who writes in one of the person's cases produces it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.audit.log import client_ip, record_request_access
from relais.audit.models import AccessAction
from relais.documents.storage import read_decrypted
from relais.people.models import Person
from relais.policy import rules
from relais.reports import enums, services
from relais.reports.forms import RedactionForm
from relais.reports.models import PersonFileCopy
from relais.reports.person_file import PersonFileBuilder

FORMATS = {"pdf": ("application/pdf", "pdf_file"), "json": ("application/json", "json_file")}


def _person(request, person_id) -> Person:
    person = get_object_or_404(
        Person.objects.with_case_visible_to(request.user), public_id=person_id
    )
    if not rules.can_export_person_file(request.user, person):
        raise PermissionDenied
    return person


def _copy(request, copy_id) -> PersonFileCopy:
    return get_object_or_404(
        PersonFileCopy.objects.visible_to(request.user).select_related("person", "requested_by"),
        public_id=copy_id,
    )


@require_GET
def person_copies(request, person_id):
    person = _person(request, person_id)
    copies = list(
        PersonFileCopy.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("requested_by")
        .order_by("-created_at")
    )
    return render(request, "reports/person_copies.html", {"person": person, "copies": copies})


@require_POST
def start(request, person_id):
    person = _person(request, person_id)
    person_copy = services.person_copy_start(by=request.user, person=person)
    return redirect("reports:copy_review", copy_id=person_copy.public_id)


@require_http_methods(["GET", "POST"])
def review(request, copy_id):
    person_copy = _copy(request, copy_id)
    if person_copy.status != enums.CopyStatus.REVIEW:
        return redirect("reports:person_copies", person_id=person_copy.person.public_id)
    redactions = list(person_copy.redactions.select_related("created_by").order_by("number"))
    person_file = PersonFileBuilder(
        user=request.user, person=person_copy.person, redactions=redactions
    ).build()
    items = person_file.items
    status = 200
    if request.method == "POST":
        form = RedactionForm(request.POST, items=items)
        if form.is_valid():
            item = form.cleaned_data["item"]
            redaction = services.person_copy_redact(
                by=request.user,
                person_copy=person_copy,
                item_key=item.key,
                item_label=item.label,
                excerpt=form.cleaned_data["excerpt"],
                reason=form.cleaned_data["reason"],
                justification=form.cleaned_data["justification"],
            )
            messages.success(request, f"Passage n°{redaction.number} retiré de la copie.")
            return redirect("reports:copy_review", copy_id=person_copy.public_id)
        status = 400
    else:
        form = RedactionForm(items=items, initial={"item_key": request.GET.get("element", "")})
        record_request_access(
            request, person_copy, reason="Relecture de la copie du dossier pour la personne"
        )
    selected = next((i for i in items if i.key == form["item_key"].value()), None)
    redacted_keys = {r.item_key for r in redactions}
    data = person_file.data
    return render(
        request,
        "reports/person_copy_review.html",
        {
            "person_copy": person_copy,
            "person": person_copy.person,
            "items": items,
            "redactions": redactions,
            "redacted_keys": redacted_keys,
            "form": form,
            "selected": selected,
            "data": data,
            "counts": {
                "accompagnements": len(data["accompagnements"]),
                "notes": sum(len(c["notes"]) for c in data["accompagnements"]),
                "rapports": sum(len(c["rapports"]) for c in data["accompagnements"]),
                "documents": sum(len(c["documents"]) for c in data["accompagnements"])
                + len(data["documents_hors_accompagnement"]),
                "consultations": len(data["journal_des_acces"]),
            },
        },
        status=status,
    )


@require_POST
def unredact(request, copy_id, redaction_id):
    person_copy = _copy(request, copy_id)
    redaction = get_object_or_404(person_copy.redactions, public_id=redaction_id)
    try:
        services.person_copy_unredact(by=request.user, redaction=redaction)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Le passage n°{redaction.number} figurera dans la copie.")
    return redirect("reports:copy_review", copy_id=person_copy.public_id)


@require_POST
def produce(request, copy_id):
    person_copy = _copy(request, copy_id)
    try:
        services.person_copy_produce(
            by=request.user, person_copy=person_copy, ip=client_ip(request)
        )
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect("reports:copy_review", copy_id=person_copy.public_id)
    messages.success(
        request, "Copie produite : téléchargez le PDF et le fichier JSON pour les remettre."
    )
    return redirect("reports:person_copies", person_id=person_copy.person.public_id)


@require_POST
def cancel(request, copy_id):
    person_copy = _copy(request, copy_id)
    try:
        services.person_copy_cancel(by=request.user, person_copy=person_copy)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, "Copie abandonnée.")
    return redirect("reports:person_copies", person_id=person_copy.person.public_id)


@never_cache
@require_GET
def download(request, copy_id, fmt):
    person_copy = _copy(request, copy_id)
    if fmt not in FORMATS or person_copy.status != enums.CopyStatus.PRODUCED:
        raise Http404
    content_type, field = FORMATS[fmt]
    content = read_decrypted(getattr(person_copy, field))
    record_request_access(request, person_copy, action=AccessAction.DOWNLOAD, reason=fmt.upper())
    response = HttpResponse(content, content_type=content_type)
    person = person_copy.person
    name = f"copie-dossier-{person.last_name}-{person_copy.produced_at:%Y%m%d}.{fmt}"
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in name)
    response["Content-Disposition"] = content_disposition_header(True, safe)
    return response
