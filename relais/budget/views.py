"""Budget pages: thin views over the selectors, services and calculations.

Every page starts from a case the user may see (``Case.objects.visible_to``); writing needs
a case the user may write in (``editable_by``). Another organisation's case is a 404, a
role that may read but not write gets a 403.
"""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.audit.log import record_request_access
from relais.audit.models import AccessAction
from relais.budget import enums, pdf, reference, selectors, services
from relais.budget.calculations.plan import plan_for_amount, prorata_plan
from relais.budget.forms import (
    BudgetLineForm,
    BudgetNoteForm,
    CapacityForm,
    DebtForm,
    OverindebtednessForm,
    PlanForm,
    ProrataForm,
    SeizureForm,
    SettingsForm,
)
from relais.budget.models import Budget, BudgetLine, Debt
from relais.budget.templatetags.budget_tags import month_name
from relais.cases.models import Case
from relais.policy import rules


def _case(request, case_id, *, write: bool = False) -> Case:
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person", "person__household"),
        public_id=case_id,
    )
    if write and not _can_write(request, case):
        raise PermissionDenied("Vous pouvez lire ce budget mais pas le modifier.")
    return case


def _can_write(request, case) -> bool:
    if not hasattr(request, "_budget_can_write"):
        request._budget_can_write = (
            Case.objects.editable_by(request.user).filter(pk=case.pk).exists()
        )
    return request._budget_can_write


def _budget(request, case, month) -> Budget:
    return get_object_or_404(
        Budget.objects.visible_to(request.user), person_id=case.person_id, month=month
    )


def _line(request, budget, line_id) -> BudgetLine:
    line = get_object_or_404(
        BudgetLine.objects.visible_to(request.user).select_related("member", "debt"),
        budget=budget,
        public_id=line_id,
    )
    line.budget = budget
    return line


def _month_url(case, month, anchor: str = "") -> str:
    url = reverse("budget:month", args=[case.public_id, month])
    return f"{url}#{anchor}" if anchor else url


def _this_month() -> datetime.date:
    return selectors.first_of_month(timezone.localdate())


def _adjacent(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return previous, following


# --- Overview and month ---------------------------------------------------------------


def index(request, case_id):
    case = _case(request, case_id)
    months = list(selectors.budget_months(case.person, user=request.user))
    debts = selectors.person_debts(case.person, user=request.user)
    record_request_access(request, case, reason="budget")
    return render(
        request,
        "budget/index.html",
        {
            "case": case,
            "person": case.person,
            "months": months,
            "this_month": _this_month(),
            "debt_totals": selectors.debt_totals(debts),
            "can_write": _can_write(request, case),
        },
    )


def _month_context(request, case, month_view, **extra):
    previous, following = _adjacent(month_view.month)
    context = {
        "case": case,
        "person": case.person,
        "view": month_view,
        "month": month_view.month,
        "previous_month": previous,
        "next_month": following,
        "can_write": _can_write(request, case),
    }
    if month_view.budget is not None:
        context["indicators"] = month_view.indicators
        context["divisor"] = month_view.divisor
        context["divisor_kind"] = month_view.divisor_kind
    context.update(extra)
    return context


def _line_forms(month_view, debts, data=None, kind=None):
    forms = {}
    for line_kind in (enums.LineKind.RESOURCE, enums.LineKind.CHARGE):
        forms[line_kind] = BudgetLineForm(
            data if kind == line_kind else None,
            kind=line_kind,
            household=month_view.household,
            debts=debts,
            prefix=line_kind,
            initial={"holder": "household"},
        )
    return forms


def month(request, case_id, month):
    case = _case(request, case_id)
    month_view = selectors.budget_month(case.person, month, user=request.user)
    record_request_access(request, month_view.budget or case, reason="budget")
    extra = {}
    if month_view.budget is not None and _can_write(request, case):
        debts = selectors.person_debts(case.person, user=request.user, include_settled=False)
        forms = _line_forms(month_view, debts)
        extra = {
            "resource_form": forms[enums.LineKind.RESOURCE],
            "charge_form": forms[enums.LineKind.CHARGE],
            "note_form": BudgetNoteForm(initial={"note": month_view.budget.note}),
        }
    return render(request, "budget/month.html", _month_context(request, case, month_view, **extra))


@require_POST
def month_create(request, case_id, month):
    case = _case(request, case_id, write=True)
    if month > _this_month().replace(year=_this_month().year + 2):
        messages.warning(request, "Un budget se prévoit au plus deux ans à l'avance.")
        return redirect(_month_url(case, month))
    copy_from = None
    if request.POST.get("copy") == "latest":
        copy_from = (
            Budget.objects.visible_to(request.user)
            .filter(person_id=case.person_id, month__lt=month)
            .order_by("-month")
            .first()
        )
    try:
        services.budget_create(
            by=request.user, person=case.person, month=month, copy_from=copy_from
        )
    except services.BudgetError as error:
        messages.warning(request, str(error))
        return redirect(_month_url(case, month))
    if copy_from is not None:
        messages.success(
            request,
            f"Budget de {month_name(month)} commencé avec les lignes de "
            f"{month_name(copy_from.month)} : vérifiez chaque montant avec la personne.",
        )
    else:
        messages.success(request, f"Budget de {month_name(month)} commencé.")
    return redirect(_month_url(case, month))


@require_POST
def month_note(request, case_id, month):
    case = _case(request, case_id, write=True)
    budget = _budget(request, case, month)
    form = BudgetNoteForm(request.POST)
    if form.is_valid():
        services.budget_note_update(by=request.user, budget=budget, note=form.cleaned_data["note"])
        messages.success(request, "Remarques enregistrées.")
        return redirect(_month_url(case, month, "remarques"))
    month_view = selectors.budget_month(case.person, month, user=request.user)
    return render(
        request,
        "budget/note_form.html",
        _month_context(request, case, month_view, form=form),
        status=400,
    )


def line_add(request, case_id, month, kind):
    if kind not in enums.LineKind.values:
        raise Http404
    case = _case(request, case_id, write=True)
    budget = _budget(request, case, month)
    month_view = selectors.budget_month(case.person, month, user=request.user)
    debts = selectors.person_debts(case.person, user=request.user, include_settled=False)
    form = BudgetLineForm(
        request.POST or None,
        kind=kind,
        household=month_view.household,
        debts=debts,
        prefix=kind,
        initial={"holder": "household"},
    )
    if request.method == "POST" and form.is_valid():
        line = services.budget_line_add(
            by=request.user, budget=budget, kind=kind, **form.line_values()
        )
        messages.success(request, f"{line.category_label} ajouté·e : {_amount(line.amount)}.")
        return redirect(_month_url(case, month, "ressources" if kind == "resource" else "charges"))
    return render(
        request,
        "budget/line_form.html",
        _month_context(request, case, month_view, form=form, kind=kind, line=None),
        status=400 if request.method == "POST" else 200,
    )


def line_edit(request, case_id, month, line_id):
    case = _case(request, case_id, write=True)
    budget = _budget(request, case, month)
    line = _line(request, budget, line_id)
    month_view = selectors.budget_month(case.person, month, user=request.user)
    debts = selectors.person_debts(case.person, user=request.user, include_settled=False)
    form = BudgetLineForm(
        request.POST or None,
        kind=line.kind,
        household=month_view.household,
        debts=debts,
        prefix=line.kind,
        initial=BudgetLineForm.initial_for(line),
    )
    if request.method == "POST" and form.is_valid():
        services.budget_line_update(by=request.user, line=line, **form.line_values())
        messages.success(request, "Ligne modifiée.")
        return redirect(
            _month_url(case, month, "ressources" if line.kind == "resource" else "charges")
        )
    return render(
        request,
        "budget/line_form.html",
        _month_context(request, case, month_view, form=form, kind=line.kind, line=line),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def line_delete(request, case_id, month, line_id):
    case = _case(request, case_id, write=True)
    budget = _budget(request, case, month)
    line = _line(request, budget, line_id)
    label = line.category_label
    services.budget_line_delete(by=request.user, line=line)
    messages.success(request, f"Ligne « {label} » supprimée.")
    return redirect(_month_url(case, month))


def _amount(value) -> str:
    from relais.budget.templatetags.budget_tags import euros

    return euros(value)


def together(request, case_id, month):
    """The side-by-side screen, to look at with the person: large, plain words."""
    case = _case(request, case_id)
    month_view = selectors.budget_month(case.person, month, user=request.user)
    if month_view.budget is None:
        raise Http404
    record_request_access(request, month_view.budget, reason="budget côte à côte")
    return render(request, "budget/together.html", _month_context(request, case, month_view))


def month_pdf(request, case_id, month):
    case = _case(request, case_id)
    month_view = selectors.budget_month(case.person, month, user=request.user)
    if month_view.budget is None:
        raise Http404
    record_request_access(
        request, month_view.budget, action=AccessAction.PRINT, reason="budget PDF"
    )
    context = _month_context(request, case, month_view, printed_on=timezone.localdate())
    content = pdf.render_pdf(
        "budget/print/budget_pdf.html", context, stylesheet="budget.css", request=request
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="budget-{month:%Y-%m}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Debts ----------------------------------------------------------------------------


def _debt(request, case, debt_id) -> Debt:
    return get_object_or_404(
        Debt.objects.visible_to(request.user), person_id=case.person_id, public_id=debt_id
    )


def debts(request, case_id):
    case = _case(request, case_id)
    rows = selectors.person_debts(case.person, user=request.user)
    record_request_access(request, case, reason="dettes")
    return render(
        request,
        "budget/debts.html",
        {
            "case": case,
            "person": case.person,
            "debts": rows,
            "totals": selectors.debt_totals(rows),
            "can_write": _can_write(request, case),
            "form": DebtForm(initial={"status": enums.DebtStatus.REPAYING}),
        },
    )


def debt_add(request, case_id):
    case = _case(request, case_id, write=True)
    form = DebtForm(request.POST or None, initial={"status": enums.DebtStatus.REPAYING})
    if request.method == "POST" and form.is_valid():
        debt = services.debt_create(by=request.user, person=case.person, **form.debt_values())
        messages.success(request, f"Dette « {debt.creditor} » ajoutée.")
        return redirect("budget:debts", case.public_id)
    return render(
        request,
        "budget/debt_form.html",
        {"case": case, "person": case.person, "form": form, "debt": None},
        status=400 if request.method == "POST" else 200,
    )


def debt_edit(request, case_id, debt_id):
    case = _case(request, case_id, write=True)
    debt = _debt(request, case, debt_id)
    form = DebtForm(request.POST or None, initial=DebtForm.initial_for(debt))
    if request.method == "POST" and form.is_valid():
        services.debt_update(by=request.user, debt=debt, **form.debt_values())
        messages.success(request, f"Dette « {debt.creditor} » modifiée.")
        return redirect("budget:debts", case.public_id)
    return render(
        request,
        "budget/debt_form.html",
        {"case": case, "person": case.person, "form": form, "debt": debt},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def debt_delete(request, case_id, debt_id):
    case = _case(request, case_id, write=True)
    debt = _debt(request, case, debt_id)
    creditor = debt.creditor
    services.debt_delete(by=request.user, debt=debt)
    messages.success(request, f"Dette « {creditor} » supprimée.")
    return redirect("budget:debts", case.public_id)


# --- Seizable share and repayment capacity -------------------------------------------


def _reference_month(request, case) -> tuple[datetime.date, selectors.Month | None]:
    latest = selectors.latest_budget_month(case.person, user=request.user)
    if latest is None:
        return _this_month(), None
    return latest, selectors.budget_month(case.person, latest, user=request.user)


def seizable(request, case_id):
    case = _case(request, case_id)
    on, month_view = _reference_month(request, case)
    household = month_view.household if month_view else selectors.household_of(case.person, on)
    young = sum(1 for r in household.rows[1:] if r.member.dependent and r.member.is_young)
    other = sum(1 for r in household.rows[1:] if r.member.dependent and not r.member.is_young)
    seizure_initial = {
        "income": month_view.seizable_income if month_view else None,
        "dependants": household.dependants,
        "month": on,
    }
    capacity_initial = {
        "income": month_view.total_resources if month_view else None,
        "dependants": household.dependants,
        "month": on,
        "has_partner": household.has_partner,
        "young_dependants": young,
        "other_dependants": other,
        "current_expenses": month_view.current_expenses if month_view else None,
    }
    which = request.GET.get("calcul")
    seizure_form = SeizureForm(
        request.GET if which == "saisie" else None, initial=seizure_initial, prefix="saisie"
    )
    capacity_form = CapacityForm(
        request.GET if which == "capacite" else None, initial=capacity_initial, prefix="capacite"
    )
    seizure = rsa = capacity = None
    seizure_data = _bound_or_initial(seizure_form, seizure_initial)
    if seizure_data and seizure_data.get("income") is not None:
        seizure, rsa = selectors.seizure_on(
            seizure_data["income"], seizure_data["dependants"], seizure_data["month"]
        )
    capacity_data = _bound_or_initial(capacity_form, capacity_initial)
    if capacity_data and capacity_data.get("income") is not None:
        members = selectors.simulated_members(
            has_partner=capacity_data["has_partner"],
            young=capacity_data["young_dependants"],
            other=capacity_data["other_dependants"],
        )
        capacity = selectors.capacity_on(
            resources=capacity_data["income"],
            dependants=capacity_data["dependants"],
            members=members,
            on=capacity_data["month"],
            current_expenses=capacity_data.get("current_expenses"),
        )
    record_request_access(request, case, reason="quotité saisissable")
    return render(
        request,
        "budget/seizable.html",
        {
            "case": case,
            "person": case.person,
            "reference_month": on,
            "month_view": month_view,
            "seizure_form": seizure_form,
            "capacity_form": capacity_form,
            "seizure": seizure,
            "rsa": rsa,
            "capacity": capacity,
            "capacity_on": capacity_data["month"] if capacity_data else on,
        },
    )


def _bound_or_initial(form, initial: dict) -> dict | None:
    """The form's clean data when it was submitted and valid; the prefilled values when it
    was not submitted; nothing when it was submitted with errors (they are shown)."""
    if form.is_bound:
        return form.cleaned_data if form.is_valid() else None
    try:
        reference.seizure_scale_on(initial["month"])
        reference.rsa_on(initial["month"])
    except reference.NoReferenceFigure:
        return None
    return initial


def plan(request, case_id):
    case = _case(request, case_id)
    rows = selectors.person_debts(case.person, user=request.user, include_settled=False)
    on, month_view = _reference_month(request, case)
    balance = month_view.indicators.balance if month_view and month_view.budget else None
    which = request.GET.get("calcul")
    single_initial = {}
    if request.GET.get("dette"):
        chosen = next((d for d in rows if str(d.public_id) == request.GET["dette"]), None)
        if chosen is not None:
            single_initial = {"amount": chosen.arrears or chosen.amount_owed}
    plan_form = PlanForm(
        request.GET if which == "plan" else None, initial=single_initial, prefix="plan"
    )
    prorata_form = ProrataForm(request.GET if which == "prorata" else None, prefix="prorata")
    single = prorata = None
    if plan_form.is_bound and plan_form.is_valid():
        single = plan_for_amount(
            amount=plan_form.cleaned_data["amount"],
            monthly_payment=plan_form.cleaned_data.get("monthly_payment"),
            months=plan_form.cleaned_data.get("months"),
        )
    if prorata_form.is_bound and prorata_form.is_valid():
        prorata = prorata_plan(
            [(str(d.public_id), d.creditor, d.amount_owed) for d in rows],
            prorata_form.cleaned_data["monthly_amount"],
        )
    record_request_access(request, case, reason="plan d'apurement")
    return render(
        request,
        "budget/plan.html",
        {
            "case": case,
            "person": case.person,
            "debts": rows,
            "plan_form": plan_form,
            "prorata_form": prorata_form,
            "single": single,
            "prorata": prorata,
            "balance": balance,
            "reference_month": on if month_view else None,
            "exceeds_balance": single is not None
            and balance is not None
            and single.monthly_payment > max(balance, Decimal("0")),
        },
    )


# --- Over-indebtedness file ----------------------------------------------------------


def _file_context(request, case):
    on, month_view = _reference_month(request, case)
    household = month_view.household if month_view else selectors.household_of(case.person, on)
    debts = selectors.person_debts(case.person, user=request.user)
    file = selectors.overindebtedness_file(case.person, user=request.user)
    documents = selectors.document_checklist(case.person, file, month_view, debts, household)
    capacity = None
    if month_view is not None and month_view.budget is not None:
        try:
            capacity = selectors.capacity_on(
                resources=month_view.total_resources,
                dependants=household.dependants,
                members=household.members,
                on=on,
                current_expenses=month_view.current_expenses,
            )
        except reference.NoReferenceFigure:
            capacity = None
    active = [d for d in debts if d.status != enums.DebtStatus.SETTLED]
    debt_groups = [
        ("Dettes bancaires et crédits", [d for d in active if d.kind in enums.BANK_DEBTS]),
        (
            "Dettes de charges courantes (loyer, énergie, eau, impôts…)",
            [d for d in active if d.kind in enums.CURRENT_CHARGE_DEBTS],
        ),
        (
            "Autres dettes",
            [
                d
                for d in active
                if d.kind not in enums.BANK_DEBTS and d.kind not in enums.CURRENT_CHARGE_DEBTS
            ],
        ),
    ]
    return {
        "case": case,
        "person": case.person,
        "reference_month": on if month_view else None,
        "month_view": month_view,
        "household": household,
        "debts": active,
        "debt_groups": [(label, rows) for label, rows in debt_groups if rows],
        "missing_debt_documents": [d for d in active if not d.has_document],
        "missing_count": sum(1 for d in documents if d.is_missing)
        + sum(1 for d in active if not d.has_document),
        "debt_totals": selectors.debt_totals(debts),
        "file": file,
        "documents": documents,
        "missing": [d for d in documents if d.is_missing],
        "capacity": capacity,
    }


def overindebtedness(request, case_id):
    case = _case(request, case_id)
    context = _file_context(request, case)
    file = context["file"]
    initial = {}
    if file is not None:
        initial = {
            name: getattr(file, name)
            for name in (
                "joint_filing",
                "savings",
                "real_estate",
                "vehicles",
                "other_assets",
                "causes",
                "sent_on",
            )
        }
    if request.method == "POST":
        _case(request, case_id, write=True)
        form = OverindebtednessForm(request.POST, documents=context["documents"], initial=initial)
        if form.is_valid():
            services.overindebtedness_file_save(
                by=request.user,
                person=case.person,
                **form.file_values(file.documents if file else {}),
            )
            messages.success(request, "Dossier de surendettement enregistré.")
            return redirect("budget:overindebtedness", case.public_id)
        status = 400
    else:
        form = OverindebtednessForm(documents=context["documents"], initial=initial)
        status = 200
        record_request_access(request, file or case, reason="dossier de surendettement")
    context.update({"form": form, "can_write": _can_write(request, case)})
    return render(request, "budget/overindebtedness.html", context, status=status)


def overindebtedness_summary(request, case_id):
    case = _case(request, case_id)
    context = _file_context(request, case)
    record_request_access(
        request,
        context["file"] or case,
        action=AccessAction.PRINT,
        reason="synthèse surendettement",
    )
    context["printed_on"] = timezone.localdate()
    return render(request, "budget/overindebtedness_summary.html", context)


# --- Organisation settings -----------------------------------------------------------


def settings_view(request):
    if not (rules.can_administer(request.user) or rules.has_role(request.user, {"manager"})):
        raise PermissionDenied("Réservé à l'administration du service.")
    organisation_id = rules.organisation_id(request.user)
    form = SettingsForm(
        request.POST or None, initial={"divisor": selectors.divisor_of(organisation_id)}
    )
    if request.method == "POST" and form.is_valid():
        services.budget_settings_update(
            by=request.user, organisation_id=organisation_id, divisor=form.cleaned_data["divisor"]
        )
        messages.success(request, "Réglage enregistré.")
        return redirect("budget:settings")
    return render(
        request,
        "budget/settings.html",
        {"form": form},
        status=400 if request.method == "POST" and form.errors else 200,
    )
