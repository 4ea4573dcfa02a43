"""Who may see and change a budget: the case's policy, and nothing else."""

import datetime

import pytest
from django.utils import timezone

from relais.budget.models import Budget, BudgetLine, Debt
from relais.cases.models import CaseShare
from tests import factories
from tests.budget.conftest import month_url


def read_urls(case, budget, debt):
    base = f"/dossiers/{case.public_id}/budget/"
    month = month_url(case)
    line = budget.lines.first()
    return [
        base,
        month,
        month + "ensemble/",
        month + "budget.pdf",
        month + "ajouter/resource/",
        month + f"lignes/{line.public_id}/",
        base + "dettes/",
        base + "dettes/ajouter/",
        base + f"dettes/{debt.public_id}/",
        base + "saisie-et-capacite/",
        base + "plan-apurement/",
        base + "surendettement/",
        base + "surendettement/synthese/",
    ]


def write_posts(case, budget, debt):
    base = f"/dossiers/{case.public_id}/budget/"
    month = month_url(case)
    line = budget.lines.first()
    july = month_url(case, datetime.date(2026, 7, 1))
    return [
        (july + "creer/", {"copy": "none"}),
        (month + "remarques/", {"note": "x"}),
        (
            month + "ajouter/charge/",
            {"charge-category": "water", "charge-amount": "9", "charge-holder": "household"},
        ),
        (
            month + f"lignes/{line.public_id}/",
            {"resource-category": "salary", "resource-amount": "1", "resource-holder": "household"},
        ),
        (month + f"lignes/{line.public_id}/supprimer/", {}),
        (
            base + "dettes/ajouter/",
            {
                "creditor": "X",
                "kind": "other",
                "amount_owed": "10",
                "status": "unpaid",
                "court_action": "none",
            },
        ),
        (
            base + f"dettes/{debt.public_id}/",
            {
                "creditor": "X",
                "kind": "other",
                "amount_owed": "10",
                "status": "unpaid",
                "court_action": "none",
            },
        ),
        (base + f"dettes/{debt.public_id}/supprimer/", {}),
        (base + "surendettement/", {"savings": "10"}),
    ]


@pytest.fixture
def debt(case):
    return factories.DebtFactory(person=case.person, creditor="Banque Durand")


def _nothing_changed(budget, debt, lines_before):
    assert BudgetLine.objects.filter(budget=budget).count() == lines_before
    assert Debt.objects.filter(pk=debt.pk).exists()
    assert Budget.objects.count() == 1


def test_the_referent_reaches_every_page(client, alice, case, budget, debt):
    client.force_login(alice)
    for url in read_urls(case, budget, debt):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "who", ["charlie", "bob", "secretary", "employer_viewer", "supervisor", "admin_user"]
)
def test_others_get_a_404_everywhere(request, client, case, budget, debt, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    lines_before = budget.lines.count()
    for url in read_urls(case, budget, debt):
        assert client.get(url).status_code == 404, (who, url)
    for url, data in write_posts(case, budget, debt):
        assert client.post(url, data).status_code == 404, (who, url)
    _nothing_changed(budget, debt, lines_before)


def test_a_manager_the_case_is_shared_with_reads_but_cannot_write(
    client, alice, manager, case, budget, debt
):
    today = timezone.localdate()
    CaseShare.objects.create(
        organisation=case.organisation,
        case=case,
        shared_with=manager,
        shared_by=alice,
        reason="Absence",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )
    client.force_login(manager)
    lines_before = budget.lines.count()
    response = client.get(month_url(case))
    assert response.status_code == 200
    assert "Ajouter la ressource" not in response.text
    for url, data in write_posts(case, budget, debt):
        assert client.post(url, data).status_code == 403, url
    _nothing_changed(budget, debt, lines_before)


def test_a_colleague_the_case_is_shared_with_can_write(client, alice, bob, case, budget):
    today = timezone.localdate()
    CaseShare.objects.create(
        organisation=case.organisation,
        case=case,
        shared_with=bob,
        shared_by=alice,
        reason="Congés",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )
    client.force_login(bob)
    response = client.post(
        month_url(case) + "ajouter/charge/",
        {"charge-category": "water", "charge-amount": "35", "charge-holder": "household"},
    )
    assert response.status_code == 302


def test_a_line_of_another_budget_is_not_reachable_through_this_one(client, alice, case, budget):
    other_case = factories.CaseFactory(person__organisation=case.organisation, referent=alice)
    other_budget = factories.BudgetFactory(person=other_case.person, month=budget.month)
    other_line = factories.BudgetLineFactory(budget=other_budget)
    client.force_login(alice)
    url = month_url(case) + f"lignes/{other_line.public_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "supprimer/").status_code == 404
    assert BudgetLine.objects.filter(pk=other_line.pk).exists()


def test_anonymous_users_are_sent_to_the_login_page(client, case, budget):
    response = client.get(month_url(case))
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]
