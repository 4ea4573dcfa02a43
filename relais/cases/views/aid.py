"""Financial aid requests: kind, amounts, funder, committee, decision."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from relais.cases import services
from relais.cases.errors import ActionRefused
from relais.cases.forms import AidDecisionForm, AidForm, AidStatusForm
from relais.cases.models import FinancialAid
from relais.cases.services import AID_DECIDED
from relais.cases.views.common import editable_case, form_page, posted


def aid_create(request, public_id):
    case = editable_case(request, public_id)
    form = AidForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.aid_request(by=request.user, case=case, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Demande d'aide enregistrée.")
            return redirect(reverse("cases:detail", args=[public_id]) + "#aides")
    return form_page(
        request,
        form,
        title="Demande d'aide financière",
        back_url=reverse("cases:detail", args=[public_id]),
        submit="Enregistrer la demande",
    )


def aid_edit(request, public_id, aid_id):
    """Follow a request: its progress, then the funder's decision."""
    case = editable_case(request, public_id)
    aid = get_object_or_404(
        FinancialAid.objects.filter(organisation_id=case.organisation_id, case=case),
        public_id=aid_id,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    status_form = AidStatusForm(
        request.POST if action == "status" else None,
        initial={"status": aid.status, "committee_on": aid.committee_on},
        prefix="suivi",
    )
    decision_form = AidDecisionForm(
        request.POST if action == "decision" else None, aid=aid, prefix="decision"
    )
    back = reverse("cases:detail", args=[public_id]) + "#aides"
    try:
        if action == "status" and status_form.is_valid():
            services.aid_update_status(by=request.user, aid=aid, **status_form.cleaned_data)
            messages.success(request, "Demande d'aide mise à jour.")
            return redirect(back)
        if action == "decision" and decision_form.is_valid():
            data = decision_form.cleaned_data
            services.aid_decide(
                by=request.user,
                aid=aid,
                granted=data["decision"] == "granted",
                amount_granted=data["amount_granted"],
                decided_on=data["decided_on"],
            )
            messages.success(request, "Décision enregistrée.")
            return redirect(back)
    except ActionRefused as refusal:
        (status_form if action == "status" else decision_form).add_error(None, str(refusal))
    return render(
        request,
        "cases/aid_edit.html",
        {
            "case": case,
            "aid": aid,
            "status_form": status_form,
            "decision_form": decision_form,
            "decided": aid.status in AID_DECIDED,
            "back_url": back,
        },
    )
