"""Document pages: list and upload on a case or a person, download, removal.

Every lookup goes through the policy querysets (another organisation: 404); every
download is logged; the file leaves the server only through ``download``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from relais.audit.log import record_request_access
from relais.audit.models import AccessAction
from relais.cases.models import Case
from relais.documents import selectors, services
from relais.documents.forms import DocumentUploadForm
from relais.documents.storage import read_decrypted
from relais.people.models import Person
from relais.policy import rules


def _upload(request, *, person, case, form):
    data = form.cleaned_data
    try:
        document = services.document_upload(
            by=request.user,
            person=person,
            case=case,
            file=data["file"],
            kind=data["kind"],
            title=data["title"],
            document_date=data.get("document_date"),
            tags=data["tags"],
        )
    except services.DuplicateDocument as duplicate:
        existing = duplicate.existing
        if rules.can_see_document(request.user, existing):
            form.add_error(
                "file",
                f"Ce fichier est déjà dans le dossier : « {existing.title} », déposé le "
                f"{existing.created_at:%d/%m/%Y}.",
            )
        else:
            form.add_error("file", "Ce fichier a déjà été déposé pour cette personne.")
        return None
    messages.success(request, f"Document « {document.title} » déposé et chiffré.")
    return document


@require_http_methods(["GET", "POST"])
def case_documents(request, case_id):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person"), public_id=case_id
    )
    can_upload = rules.can_file_document(request.user, case.person, case)
    form = DocumentUploadForm()
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid() and _upload(request, person=case.person, case=case, form=form):
            return redirect("documents:case", case_id=case.public_id)
    record_request_access(request, case, reason="Documents du dossier")
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "person": case.person,
            "documents": selectors.documents_of_case(request.user, case),
            "form": form,
            "can_upload": can_upload,
        },
    )


@require_http_methods(["GET", "POST"])
def person_documents(request, person_id):
    person = get_object_or_404(
        Person.objects.with_case_visible_to(request.user), public_id=person_id
    )
    can_upload = rules.can_file_document(request.user, person)
    form = DocumentUploadForm()
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid() and _upload(request, person=person, case=None, form=form):
            return redirect("documents:person", person_id=person.public_id)
    record_request_access(request, person, reason="Documents de la personne")
    return render(
        request,
        "documents/person_documents.html",
        {
            "person": person,
            "documents": selectors.documents_of_person(request.user, person),
            "form": form,
            "can_upload": can_upload,
        },
    )


@never_cache
@require_GET
def download(request, document_id):
    document = selectors.document_for(request.user, document_id)
    content = read_decrypted(document.storage_name)
    record_request_access(request, document, action=AccessAction.DOWNLOAD)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        request.GET.get("voir") != "1", document.download_name
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
def delete(request, document_id):
    document = selectors.document_for(request.user, document_id)
    if not rules.can_file_document(request.user, document.person, document.case):
        raise PermissionDenied
    back_url = (
        reverse("documents:case", args=[document.case.public_id])
        if document.case_id
        else reverse("documents:person", args=[document.person.public_id])
    )
    if request.method == "POST":
        title = document.title
        services.document_delete(by=request.user, document=document)
        messages.success(request, f"Document « {title} » supprimé.")
        return redirect(back_url)
    return render(
        request,
        "documents/document_confirm_delete.html",
        {"document": document, "back_url": back_url},
    )
