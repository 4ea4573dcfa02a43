"""Pages of the partner directory (/partenaires/) and of referrals (/orientations/).

Thin views: they fetch through the policy querysets, validate with a form, call one
service, and log reads of personal data.
"""

import datetime
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.audit.log import record_request_access
from relais.audit.models import AccessAction
from relais.cases.errors import ActionRefused
from relais.cases.models import Case
from relais.partners import enums, forms, letters, selectors, services, vocabulary
from relais.partners.models import Consent, Contact, DirectoryImport, Partner, PartnerService
from relais.policy import rules

PAGE_SIZE = 30
LETTER_PDF_CSS = Path(__file__).parent / "static" / "partners" / "letter_pdf.css"


def _organisation(request):
    return rules.membership(request.user).organisation


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Directory -------------------------------------------------------------------------


def directory(request):
    _require(rules.can_see_directory(request.user))
    services.directory_ensure_seeded(rules.organisation_id(request.user))
    form = forms.DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    partners = selectors.directory_search(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "thematique_labels": vocabulary.thematique_labels(),
            "can_edit": rules.can_edit_directory(request.user),
            "can_import": rules.can_import_directory(request.user),
            "searched": bool(filters and any(filters.values())),
        },
    )


def _partner(request, public_id) -> Partner:
    _require(rules.can_see_directory(request.user))
    return get_object_or_404(Partner.objects.visible_to(request.user), public_id=public_id)


def partner_detail(request, public_id):
    partner = _partner(request, public_id)
    partner_services = list(selectors.partner_services(partner))
    for service in partner_services:
        service.thematique_display = vocabulary.display("thematiques", service.thematiques)
        service.publics_display = vocabulary.display("publics", service.publics)
        service.modes_display = vocabulary.display("modes_accueil", service.modes_accueil)
        service.type_display = vocabulary.labels("types_de_services").get(service.service_type, "")
    contacts = Contact.objects.filter(
        organisation_id=partner.organisation_id, partner=partner
    ).order_by("-is_active", "name")
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "services": partner_services,
            "contacts": contacts,
            "reseaux": vocabulary.display("reseaux_porteurs", partner.reseaux_porteurs),
            "typologie": vocabulary.labels("typologies_de_structures").get(partner.typologie, ""),
            "can_edit": rules.can_edit_directory(request.user),
        },
    )


def partner_create(request):
    _require(rules.can_edit_directory(request.user))
    form = forms.PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = services.partner_create(
            by=request.user, organisation=_organisation(request), **form.cleaned_data
        )
        messages.success(request, "Le partenaire est ajouté à l'annuaire.")
        return redirect("partners:partner_detail", public_id=partner.public_id)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


def partner_edit(request, public_id):
    _require(rules.can_edit_directory(request.user))
    partner = _partner(request, public_id)
    form = forms.PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        services.partner_update(
            by=request.user, partner=Partner.objects.get(pk=partner.pk), **form.cleaned_data
        )
        messages.success(request, "Le partenaire est mis à jour.")
        return redirect("partners:partner_detail", public_id=partner.public_id)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


def service_create(request, public_id):
    _require(rules.can_edit_directory(request.user))
    partner = _partner(request, public_id)
    form = forms.PartnerServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.partner_service_create(by=request.user, partner=partner, **form.cleaned_data)
        messages.success(request, "Le service est ajouté.")
        return redirect("partners:partner_detail", public_id=partner.public_id)
    return render(
        request, "partners/service_form.html", {"form": form, "partner": partner, "service": None}
    )


def service_edit(request, public_id):
    _require(rules.can_edit_directory(request.user))
    service = get_object_or_404(
        PartnerService.objects.visible_to(request.user).select_related("partner"),
        public_id=public_id,
    )
    form = forms.PartnerServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        services.partner_service_update(
            by=request.user,
            service=PartnerService.objects.get(pk=service.pk),
            **form.cleaned_data,
        )
        messages.success(request, "Le service est mis à jour.")
        return redirect("partners:partner_detail", public_id=service.partner.public_id)
    return render(
        request,
        "partners/service_form.html",
        {"form": form, "partner": service.partner, "service": service},
    )


def contact_create(request, public_id):
    _require(rules.can_edit_directory(request.user))
    partner = _partner(request, public_id)
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(by=request.user, partner=partner, **form.cleaned_data)
        messages.success(request, "Le contact est ajouté.")
        return redirect("partners:partner_detail", public_id=partner.public_id)
    return render(
        request, "partners/contact_form.html", {"form": form, "partner": partner, "contact": None}
    )


def contact_edit(request, public_id):
    _require(rules.can_edit_directory(request.user))
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("partner"), public_id=public_id
    )
    form = forms.ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_update(
            by=request.user, contact=Contact.objects.get(pk=contact.pk), **form.cleaned_data
        )
        messages.success(request, "Le contact est mis à jour.")
        return redirect("partners:partner_detail", public_id=contact.partner.public_id)
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "partner": contact.partner, "contact": contact},
    )


# --- Import ----------------------------------------------------------------------------


def import_new(request):
    _require(rules.can_import_directory(request.user))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = {
            name: (upload.name, upload.read()) if upload else None
            for name in ("structures", "services")
            for upload in [form.cleaned_data.get(name)]
        }
        directory_import = services.directory_import_create(
            by=request.user,
            organisation=_organisation(request),
            format=form.cleaned_data["format"],
            **files,
        )
        services.directory_import_start(directory_import)
        return redirect("partners:import_detail", public_id=directory_import.public_id)
    recent = DirectoryImport.objects.visible_to(request.user).defer(
        "structures_payload", "services_payload", "rejections"
    )[:10]
    return render(request, "partners/import_form.html", {"form": form, "recent": recent})


def import_detail(request, public_id):
    _require(rules.can_import_directory(request.user))
    directory_import = get_object_or_404(
        DirectoryImport.objects.visible_to(request.user).defer(
            "structures_payload", "services_payload"
        ),
        public_id=public_id,
    )
    context = {
        "import": directory_import,
        "resource_labels": {"structures": "Structure", "services": "Service"},
    }
    if request.htmx:
        return render(request, "partners/includes/import_progress.html", context)
    return render(request, "partners/import_detail.html", context)


# --- Referrals: follow-up --------------------------------------------------------------


def referrals(request):
    if rules.can_see_referral_outcomes(request.user) and not rules.can_follow_referrals(
        request.user
    ):
        return redirect("partners:outcomes")
    _require(rules.can_follow_referrals(request.user))
    today = timezone.localdate()
    follow_up = selectors.my_referrals(request.user, today)
    return render(request, "partners/referrals.html", {"follow_up": follow_up, "today": today})


def outcomes(request):
    _require(rules.can_see_referral_outcomes(request.user))
    today = timezone.localdate()
    form = forms.OutcomesForm(
        request.GET or None, initial={"start": datetime.date(today.year, 1, 1), "end": today}
    )
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = datetime.date(today.year, 1, 1), today
    rows = selectors.outcomes_by_partner(request.user, start=start, end=end)
    return render(
        request,
        "partners/outcomes.html",
        {"form": form, "rows": rows, "start": start, "end": end},
    )


# --- Referrals: from a case ------------------------------------------------------------


def case_referrals(request, case_id):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person"), public_id=case_id
    )
    record_request_access(request, case)
    return render(
        request,
        "partners/case_referrals.html",
        {
            "case": case,
            "can_edit": rules.can_edit_case(request.user, case),
        },
    )


def referral_new(request, case_id):
    case = get_object_or_404(
        Case.objects.editable_by(request.user).select_related("person"), public_id=case_id
    )
    services.directory_ensure_seeded(case.organisation_id)
    partner_id = request.GET.get("partenaire") or request.POST.get("partenaire")
    if not partner_id:
        return _choose_partner(request, case)
    try:
        partner = Partner.objects.visible_to(request.user).get(public_id=partner_id, is_active=True)
    except (Partner.DoesNotExist, ValidationError) as error:
        raise Http404 from error
    form = forms.ReferralForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                by=request.user,
                case=case,
                partner=partner,
                service=data.get("service"),
                contact=data.get("contact"),
                request=data["request"],
                shared_items=data["shared_items"],
                expected_answer_on=data["expected_answer_on"],
            )
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "L'orientation est préparée. Recueillez le consentement de la personne avant "
                "de l'envoyer.",
            )
            return redirect("partners:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "partners/referral_form.html",
        {"form": form, "case": case, "partner": partner, "referral": None},
    )


def _choose_partner(request, case):
    form = forms.DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v}
    results = None
    if filters:
        results = Paginator(selectors.directory_search(request.user, **filters), PAGE_SIZE)
        results = results.get_page(request.GET.get("page"))
    return render(
        request,
        "partners/referral_choose_partner.html",
        {
            "case": case,
            "form": form,
            "results": results,
            "suggested": selectors.suggested_partners(request.user, case),
            "national": Partner.objects.visible_to(request.user)
            .filter(origin=enums.PartnerOrigin.NATIONAL, is_active=True)
            .order_by("name"),
        },
    )


def _referral(request, public_id, *, editable=False):
    referral = selectors.referral_for_user(request.user, public_id, editable=editable)
    if referral is None:
        raise Http404
    return referral


def referral_detail(request, public_id):
    referral = _referral(request, public_id)
    record_request_access(request, referral)
    today = timezone.localdate()
    consents = list(
        Consent.objects.filter(organisation_id=referral.organisation_id, referral=referral)
    )
    valid = next((c for c in consents if c.covers(referral.shared_items, today)), None)
    return render(
        request,
        "partners/referral_detail.html",
        {
            "referral": referral,
            "case": referral.case,
            "consents": consents,
            "valid_consent": valid,
            "shared_labels": [enums.SharedItem(code).label for code in referral.shared_items],
            "can_edit": rules.can_edit_case(request.user, referral.case),
            "today": today,
            "is_overdue": referral.is_overdue(today),
            "answer_statuses": referral.allowed_next_statuses() - {enums.ReferralStatus.SENT},
        },
    )


def referral_edit(request, public_id):
    referral = _referral(request, public_id, editable=True)
    if referral.status == enums.ReferralStatus.CLOSED:
        messages.error(request, "Cette orientation est close.")
        return redirect("partners:referral_detail", public_id=referral.public_id)
    initial = {
        "service": referral.service,
        "contact": referral.contact,
        "request": referral.request,
        "shared_items": referral.shared_items,
        "expected_answer_on": referral.expected_answer_on,
    }
    form = forms.ReferralForm(request.POST or None, partner=referral.partner, initial=initial)
    if referral.status != enums.ReferralStatus.PREPARED:
        form.fields["shared_items"].disabled = True
        form.fields[
            "shared_items"
        ].help_text = "L'orientation est envoyée : ce qui a été transmis ne change plus."
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_update(
                by=request.user,
                referral=referral,
                request=data["request"],
                shared_items=data["shared_items"],
                service=data.get("service"),
                contact=data.get("contact"),
                expected_answer_on=data["expected_answer_on"],
            )
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "L'orientation est mise à jour.")
            return redirect("partners:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "partners/referral_form.html",
        {"form": form, "case": referral.case, "partner": referral.partner, "referral": referral},
    )


def consent_new(request, public_id):
    referral = _referral(request, public_id, editable=True)
    form = forms.ConsentForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.consent_record(
            by=request.user,
            referral=referral,
            given_by=data["given_by"],
            representative_name=data["representative_name"].strip(),
            items=data["items"],
            given_on=data["given_on"],
            valid_until=data["valid_until"],
            form=data["form"],
            note=data["note"],
        )
        messages.success(request, "Le consentement de la personne est enregistré.")
        return redirect("partners:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "partners/consent_form.html",
        {"form": form, "referral": referral, "case": referral.case},
    )


@require_POST
def consent_withdraw(request, public_id):
    consent = get_object_or_404(
        Consent.objects.visible_to(request.user).select_related("referral"), public_id=public_id
    )
    referral = _referral(request, consent.referral.public_id, editable=True)
    services.consent_withdraw(by=request.user, consent=consent, on=timezone.localdate())
    messages.success(request, "Le retrait du consentement est enregistré.")
    return redirect("partners:referral_detail", public_id=referral.public_id)


def referral_send(request, public_id):
    referral = _referral(request, public_id, editable=True)
    if enums.ReferralStatus.SENT not in referral.allowed_next_statuses():
        messages.error(request, "Cette orientation a déjà été envoyée.")
        return redirect("partners:referral_detail", public_id=referral.public_id)
    today = timezone.localdate()
    has_consent = services.valid_consent(referral, today) is not None
    form = forms.SendForm(request.POST or None, referral=referral, has_consent=has_consent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_send(
                by=request.user,
                referral=referral,
                sent_on=data["sent_on"],
                expected_answer_on=data["expected_answer_on"],
                emergency_reason=data.get("emergency_reason", ""),
            )
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "L'orientation est marquée comme envoyée.")
            return redirect("partners:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "partners/referral_send.html",
        {"form": form, "referral": referral, "case": referral.case, "has_consent": has_consent},
    )


def referral_answer(request, public_id):
    referral = _referral(request, public_id, editable=True)
    form = forms.AnswerForm(request.POST or None, referral=referral)
    if not form.fields["status"].choices:
        messages.error(request, "Cette orientation est close.")
        return redirect("partners:referral_detail", public_id=referral.public_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_set_status(
                by=request.user,
                referral=referral,
                status=data["status"],
                on=data["on"],
                outcome=data["outcome"],
            )
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "La suite de l'orientation est enregistrée.")
            return redirect("partners:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "partners/referral_answer.html",
        {"form": form, "referral": referral, "case": referral.case},
    )


# --- Referral letter -------------------------------------------------------------------


def letter_edit(request, public_id):
    referral = _referral(request, public_id, editable=True)
    if request.method == "POST" and "reset" in request.POST:
        services.referral_letter_save(by=request.user, referral=referral, text="")
        messages.success(request, "Le courrier est réécrit à partir du dossier.")
        return redirect("partners:letter_edit", public_id=referral.public_id)
    draft = referral.letter_text or letters.letter_draft(referral, author=request.user)
    form = forms.LetterForm(request.POST or None, initial={"text": draft})
    if request.method == "POST" and form.is_valid():
        services.referral_letter_save(
            by=request.user, referral=referral, text=form.cleaned_data["text"]
        )
        messages.success(request, "Le courrier est enregistré.")
        return redirect("partners:letter_print", public_id=referral.public_id)
    record_request_access(request, referral)
    return render(
        request,
        "partners/letter_edit.html",
        {
            "form": form,
            "referral": referral,
            "case": referral.case,
            "shared_labels": [enums.SharedItem(code).label for code in referral.shared_items],
        },
    )


def letter_print(request, public_id):
    referral = _referral(request, public_id)
    record_request_access(request, referral, action=AccessAction.PRINT)
    context = letters.letter_context(
        referral, author=request.user, organisation=_organisation(request)
    )
    return render(request, "partners/letter_print.html", context)


def letter_pdf(request, public_id):
    from weasyprint import CSS, HTML

    referral = _referral(request, public_id)
    record_request_access(request, referral, action=AccessAction.DOWNLOAD)
    context = letters.letter_context(
        referral, author=request.user, organisation=_organisation(request)
    )
    html = render_to_string("partners/letter_pdf.html", context, request=request)
    # No base_url: the letter fetches nothing; its style is read from the app's files.
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(LETTER_PDF_CSS))])
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"orientation-{referral.prepared_on:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def case_referrals_section_context(
    request, case, can_edit: bool | None = None, *, any_rows: bool = True
) -> dict:
    """Context of the section included in the case page (see the template tag);
    ``any_rows=False``: the page knows the case has no referral (no query)."""
    if can_edit is None:
        can_edit = rules.can_edit_case(request.user, case)
    return {
        "case": case,
        "referrals": list(selectors.case_referrals(request.user, case)) if any_rows else [],
        "can_refer": can_edit,
        "new_url": reverse("partners:referral_new", kwargs={"case_id": case.public_id}),
    }
