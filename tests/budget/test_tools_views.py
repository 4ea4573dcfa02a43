"""Debts, seizure and repayment capacity, plan simulator, over-indebtedness file."""

import html
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from relais.audit.models import ChangeEvent
from relais.budget.models import Debt, OverindebtednessFile
from tests import factories
from tests.budget.conftest import JUNE_2026


def text_of(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.content.decode()))


def base(case) -> str:
    return f"/dossiers/{case.public_id}/budget/"


# --- Debts ----------------------------------------------------------------------------

DEBT = {
    "creditor": "Cofidis",
    "kind": "consumer_credit",
    "amount_owed": "4 500",
    "monthly_payment": "150,00",
    "arrears": "300",
    "status": "unpaid",
    "court_action": "payment_order",
    "court_action_on": "2026-05-12",
    "has_document": "on",
    "notes": "Relance reçue en mai.",
}


def test_it_records_a_debt_with_its_court_action(client, alice, case):
    client.force_login(alice)
    response = client.post(base(case) + "dettes/ajouter/", DEBT)
    assert response.status_code == 302
    debt = Debt.objects.get(person=case.person)
    assert (debt.amount_owed, debt.monthly_payment, debt.arrears) == (
        Decimal("4500"),
        Decimal("150"),
        Decimal("300"),
    )
    assert debt.court_action == "payment_order"
    assert debt.notes == "Relance reçue en mai."
    page = text_of(client.get(base(case) + "dettes/"))
    assert "Cofidis" in page
    assert "Injonction de payer" in page
    assert "4 500,00 €" in page
    assert ChangeEvent.objects.filter(verb="debt_create").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"amount_owed": "-10"}, "ne peut pas être négatif"),
        ({"arrears": "5000"}, "Les impayés font partie du montant restant dû"),
        ({"monthly_payment": "6000"}, "La mensualité dépasse le montant restant dû"),
        ({"amount_owed": "99999999"}, "Plus de 5 millions"),
        ({"creditor": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_debts_are_refused_in_french(client, alice, case, change, message):
    client.force_login(alice)
    response = client.post(base(case) + "dettes/ajouter/", {**DEBT, **change})
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="Relance' not in response.text  # textarea, kept as content
    assert "Relance reçue en mai." in text_of(response)
    assert not Debt.objects.exists()


def test_it_edits_then_deletes_a_debt(client, alice, case):
    debt = factories.DebtFactory(person=case.person, creditor="EDF", kind="energy")
    client.force_login(alice)
    url = base(case) + f"dettes/{debt.public_id}/"
    response = client.post(url, {**DEBT, "creditor": "EDF", "kind": "energy", "status": "plan"})
    assert response.status_code == 302
    debt.refresh_from_db()
    assert debt.status == "plan"
    assert client.post(url + "supprimer/").status_code == 302
    assert not Debt.objects.filter(pk=debt.pk).exists()


# --- Seizure and repayment capacity ---------------------------------------------------


def test_the_seizure_page_shows_each_band_from_the_budget(client, alice, case, budget):
    client.force_login(alice)
    response = client.get(base(case) + "saisie-et-capacite/")
    page = text_of(response)
    assert response.status_code == 200
    # Prefilled from June 2026: the person's salary 1800 €, 2 dependants (Léa and Tom).
    # 2026 bands + 2 × 1740: 663.33 ; 1017.50 ; 1373.33 ; 1725.83 ; 2079.17.
    # 33.17 + 35.42 + 71.17 + 88.13 + (1800 − 1725.83) = 74.17/3 = 24.72 → 252.61.
    assert "Décret n° 2025-1299" in page
    assert "252,61 €" in page
    assert "montant à confirmer" in page  # the April 2026 RSA is flagged


def test_the_seizure_simulator_applies_the_rsa_floor(client, alice, case):
    client.force_login(alice)
    response = client.get(
        base(case) + "saisie-et-capacite/",
        {
            "calcul": "saisie",
            "saisie-income": "680",
            "saisie-dependants": "0",
            "saisie-month": "2026-06",
        },
    )
    page = text_of(response)
    # Scale: 18.67 + 30.67 = 49.34 ; but 680 − 651.69 = 28.31 may be seized at most.
    assert "49,34 €" in page
    assert "28,31 €" in page
    assert "la saisie est limitée à 28,31 €" in page


def test_the_capacity_simulator_caps_at_the_household_rsa(client, alice, case):
    client.force_login(alice)
    response = client.get(
        base(case) + "saisie-et-capacite/",
        {
            "calcul": "capacite",
            "capacite-income": "1800",
            "capacite-dependants": "3",
            "capacite-month": "2026-06",
            "capacite-has_partner": "on",
            "capacite-young_dependants": "3",
            "capacite-other_dependants": "0",
        },
    )
    page = text_of(response)
    # Scale 217.43 ; household RSA 1629.24 ; 1800 − 1629.24 = 170.76 (see test_calculations).
    assert "217,43 €" in page
    assert "1 629,24 €" in page
    assert "la capacité est limitée à 170,76 €" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"saisie-income": "-5"}, "ne peut pas être négatif"),
        ({"saisie-dependants": "-1"}, "ne peut pas être négatif"),
        ({"saisie-dependants": "40"}, "vérifiez la saisie"),
        ({"saisie-month": "2019-01"}, "Les barèmes connus commencent en 01/2024"),
        ({"saisie-month": "2026-13"}, "Ce mois n'existe pas"),
    ],
)
def test_the_simulators_refuse_absurd_input(client, alice, case, params, message):
    client.force_login(alice)
    query = {
        "calcul": "saisie",
        "saisie-income": "1500",
        "saisie-dependants": "0",
        "saisie-month": "2026-06",
        **params,
    }
    response = client.get(base(case) + "saisie-et-capacite/", query)
    assert response.status_code == 200
    assert message in text_of(response)


# --- Plan simulator -------------------------------------------------------------------


def test_the_plan_simulator_for_one_debt(client, alice, case, budget):
    client.force_login(alice)
    response = client.get(
        base(case) + "plan-apurement/",
        {"calcul": "plan", "plan-amount": "1000", "plan-monthly_payment": "150"},
    )
    page = text_of(response)
    assert "6 mensualités de 150,00 €, puis une dernière de 100,00 €" in page
    assert "Soit 7 mois" in page
    assert "Solde du budget de juin 2026 : 810,00 €" in page


def test_the_plan_simulator_warns_when_the_budget_cannot_follow(client, alice, case, budget):
    client.force_login(alice)
    response = client.get(
        base(case) + "plan-apurement/",
        {"calcul": "plan", "plan-amount": "5000", "plan-months": "4"},
    )
    # 5000 / 4 = 1250 > 810 left at the end of the month.
    assert "le plan risque de ne pas tenir" in text_of(response)


def test_the_plan_simulator_asks_for_one_of_payment_or_duration(client, alice, case):
    client.force_login(alice)
    response = client.get(base(case) + "plan-apurement/", {"calcul": "plan", "plan-amount": "1000"})
    assert "Indiquez une mensualité ou une durée." in text_of(response)


def test_the_prorata_plan_shares_between_creditors(client, alice, case):
    factories.DebtFactory(person=case.person, creditor="Banque", amount_owed=6000)
    factories.DebtFactory(person=case.person, creditor="Bailleur", amount_owed=3000)
    factories.DebtFactory(person=case.person, creditor="EDF", amount_owed=1000)
    client.force_login(alice)
    response = client.get(
        base(case) + "plan-apurement/", {"calcul": "prorata", "prorata-monthly_amount": "100"}
    )
    page = text_of(response)
    assert "60,00 €" in page and "30,00 €" in page and "10,00 €" in page
    assert "100 mois" in page
    assert "le remboursement dépasse 7 ans" in page


# --- Over-indebtedness file -----------------------------------------------------------


def test_the_checklist_lists_what_applies_and_what_is_missing(client, alice, case, budget):
    factories.DebtFactory(
        person=case.person, creditor="Cofidis", court_action="payment_order", has_document=False
    )
    client.force_login(alice)
    page = text_of(client.get(base(case) + "surendettement/"))
    assert "Pièce d'identité en cours de validité" in page
    assert "Trois derniers bulletins de salaire" in page  # a salary in the budget
    assert "Livret de famille" in page  # children in the household
    assert "Décisions de justice" in page  # a court action
    assert "Cofidis : dernier courrier ou relevé" in page
    assert "Titre de propriété" not in page  # not an owner, no real estate


def test_it_saves_the_file_and_the_summary_shows_it(client, alice, case, budget):
    factories.DebtFactory(person=case.person, creditor="Cofidis", has_document=True)
    client.force_login(alice)
    response = client.post(
        base(case) + "surendettement/",
        {
            "doc_identity": "received",
            "doc_tax_notice": "received",
            "doc_bank_statements": "missing",
            "doc_charge_bills": "not_applicable",
            "doc_family_record": "received",
            "doc_payslips": "missing",
            "doc_benefit_statements": "missing",
            "doc_housing_proof": "missing",
            "doc_credit_contracts": "missing",
            "doc_creditor_letters": "received",
            "savings": "250",
            "causes": "Séparation en 2025, puis arrêt maladie.",
        },
    )
    assert response.status_code == 302
    file = OverindebtednessFile.objects.get(person=case.person)
    assert file.documents["identity"] == "received"
    assert file.savings == Decimal("250")
    summary = text_of(client.get(base(case) + "surendettement/synthese/"))
    for section in (
        "1. Identité et situation familiale",
        "2. Personnes à charge et foyer",
        "3. Ressources mensuelles",
        "4. Patrimoine",
        "5. Charges mensuelles",
        "6. Dettes et créanciers",
    ):
        assert section in summary
    assert "Séparation en 2025, puis arrêt maladie." in summary
    assert "250,00 €" in summary
    assert "Dettes bancaires et crédits" in summary
    assert "Relevés de tous les comptes bancaires" in summary  # still missing
    assert "Pièce d'identité en cours de validité" not in summary.split("encore à réunir")[1]


def test_the_file_refuses_bad_savings(client, alice, case, budget):
    client.force_login(alice)
    response = client.post(base(case) + "surendettement/", {"savings": "-3", "causes": "Texte"})
    assert response.status_code == 400
    assert "ne peut pas être négatif" in text_of(response)
    assert "Texte" in response.text
    assert not OverindebtednessFile.objects.exists()


# --- The case-page include ------------------------------------------------------------


def test_the_case_page_include_summarises_the_budget(
    alice, case, budget, django_assert_num_queries
):
    factories.DebtFactory(person=case.person, amount_owed=1200, court_action="judgment")
    request = RequestFactory().get("/")
    request.user = alice
    template = Template('{% include "budget/includes/case_budget.html" %}')
    from relais.cases.selectors import case_for_page
    from relais.policy.cache import decision_cache

    with decision_cache():
        # The case page has already loaded the membership and the case, with the user's
        # access to it.
        case = case_for_page(user=alice, public_id=case.public_id)
        with django_assert_num_queries(2):
            out = template.render(Context({"case": case, "request": request}))
    out = re.sub(r"[\u00a0\u202f]", " ", html.unescape(out))
    assert "juin 2026" in out
    assert "solde 810,00 €" in out
    assert "1 dette en cours : 1 200,00 €, dont 1 avec une procédure" in out
    assert JUNE_2026.strftime("%Y-%m") in out


def test_the_case_page_include_shows_nothing_of_a_case_the_user_may_not_see(
    alice, bob, case, budget
):
    factories.DebtFactory(person=case.person, amount_owed=1200)
    request = RequestFactory().get("/")
    request.user = bob
    template = Template('{% include "budget/includes/case_budget.html" %}')
    out = template.render(Context({"case": case, "request": request}))
    assert "Pas encore de budget" in out
    assert "solde" not in out and "en cours" not in out


def test_the_debts_page_query_count_does_not_grow_with_debts(
    client, alice, case, django_assert_num_queries
):
    factories.DebtFactory(person=case.person)
    client.force_login(alice)
    client.get(base(case) + "dettes/")
    with django_assert_num_queries(10):
        client.get(base(case) + "dettes/")
    for _ in range(15):
        factories.DebtFactory(person=case.person, court_action="judgment")
    with django_assert_num_queries(10):
        client.get(base(case) + "dettes/")


def test_the_summary_query_count_does_not_grow_with_data(
    client, alice, case, budget, django_assert_num_queries
):
    factories.DebtFactory(person=case.person)
    client.force_login(alice)
    client.get(base(case) + "surendettement/synthese/")
    with django_assert_num_queries(16) as captured:
        client.get(base(case) + "surendettement/synthese/")
    for _ in range(10):
        factories.DebtFactory(person=case.person)
        factories.BudgetLineFactory(budget=budget, charge=True, category="water", amount=3)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(base(case) + "surendettement/synthese/")


def test_the_case_page_shows_the_budget_section(client, alice, case, budget):
    client.force_login(alice)
    response = client.get(f"/dossiers/{case.public_id}/")
    assert response.status_code == 200
    page = text_of(response)
    assert 'id="budget-section"' in page
    assert "solde 810,00 €" in page
