import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from relais.audit.models import AccessEvent, ChangeEvent
from relais.budget.models import Budget, BudgetLine
from tests import factories
from tests.budget.conftest import JUNE_2026, month_url


def text_of(response) -> str:
    """The page's text with no-break spaces made plain, for readable assertions."""
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.content.decode()))


def test_it_shows_the_month_side_by_side_with_its_indicators(client, alice, case, budget):
    client.force_login(alice)
    response = client.get(month_url(case))
    assert response.status_code == 200
    page = text_of(response)
    assert "Budget de juin 2026" in page
    assert "2 400,00 €" in page  # resources
    assert "1 590,00 €" in page  # all charges
    # Reste à vivre: 2400 − 1090 = 1310 ; 2.3 UC (1 + 0.5 Marc + 0.5 Léa, 16 + 0.3 Tom, 10)
    # → 569.57 per month → 18.99 per day.
    assert "1 310,00 €" in page
    assert "569,57 € par mois" in page
    assert "18,99 € par jour" in page
    assert "6,3 %" in page  # 150 / 2400
    assert "25 %" in page  # (750 − 200) / 2200
    assert AccessEvent.objects.filter(user=alice, object_type="budget.budget").exists()


def test_a_month_without_budget_offers_to_start_or_copy(client, alice, case, budget):
    client.force_login(alice)
    response = client.get(month_url(case, datetime.date(2026, 7, 1)))
    assert response.status_code == 200
    assert "Reprendre le budget de juin 2026" in response.text
    assert "Commencer un budget vide" in response.text


def test_it_copies_last_month(client, alice, case, budget):
    client.force_login(alice)
    july = datetime.date(2026, 7, 1)
    response = client.post(month_url(case, july) + "creer/", {"copy": "latest"})
    assert response.status_code == 302
    copy = Budget.objects.get(person=case.person, month=july)
    assert copy.lines.count() == 9
    assert sorted(copy.lines.values_list("amount", flat=True)) == sorted(
        budget.lines.values_list("amount", flat=True)
    )
    assert ChangeEvent.objects.filter(verb="budget_create", user=alice).exists()


def test_it_starts_an_empty_month(client, alice, case):
    client.force_login(alice)
    response = client.post(month_url(case) + "creer/", {"copy": "none"}, follow=True)
    assert response.status_code == 200
    assert "Aucune ressource saisie." in response.text
    assert Budget.objects.filter(person=case.person, month=JUNE_2026).exists()


def test_it_adds_a_line_typed_the_french_way(client, alice, case, budget):
    client.force_login(alice)
    response = client.post(
        month_url(case) + "ajouter/resource/",
        {
            "resource-category": "alimony_received",
            "resource-amount": "1 234,50 €",
            "resource-holder": "person",
            "resource-label": "versée par le père",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(budget=budget, category="alimony_received")
    assert line.amount == Decimal("1234.50")
    assert line.label == "versée par le père"
    assert ChangeEvent.objects.filter(verb="budget_line_add").exists()


def test_a_line_can_belong_to_a_household_member(client, alice, case, budget, household):
    client.force_login(alice)
    marc = household.members.get(first_name="Marc")
    response = client.post(
        month_url(case) + "ajouter/resource/",
        {
            "resource-category": "salary",
            "resource-amount": "900",
            "resource-holder": f"member:{marc.public_id}",
        },
    )
    assert response.status_code == 302
    assert BudgetLine.objects.get(budget=budget, member=marc).amount == Decimal("900")


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-50", "ne peut pas être négatif"),
        ("120000", "s'agit-il d'un montant annuel"),
        ("douze", "Saisissez un montant en euros"),
        ("12,345", "Deux chiffres après la virgule"),
        ("", "Ce champ est obligatoire"),
    ],
)
def test_bad_amounts_get_a_clear_french_message_and_nothing_is_lost(
    client, alice, case, budget, amount, message
):
    client.force_login(alice)
    before = BudgetLine.objects.count()
    response = client.post(
        month_url(case) + "ajouter/charge/",
        {
            "charge-category": "water",
            "charge-amount": amount,
            "charge-holder": "household",
            "charge-label": "Facture <b>Suez</b>",
        },
    )
    assert response.status_code == 400
    assert message in text_of(response)
    # What was typed is shown again (escaped), nothing is saved.
    assert "Facture &lt;b&gt;Suez&lt;/b&gt;" in response.text
    assert BudgetLine.objects.count() == before


def test_it_refuses_an_unknown_category(client, alice, case, budget):
    client.force_login(alice)
    response = client.post(
        month_url(case) + "ajouter/charge/",
        {"charge-category": "salary", "charge-amount": "10", "charge-holder": "household"},
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.text


def test_it_edits_and_deletes_a_line(client, alice, case, budget):
    client.force_login(alice)
    rent = budget.lines.get(category="rent")
    url = month_url(case) + f"lignes/{rent.public_id}/"
    page = client.get(url)
    assert 'value="750,00"' in page.text
    response = client.post(
        url,
        {"charge-category": "rent", "charge-amount": "780", "charge-holder": "household"},
    )
    assert response.status_code == 302
    rent.refresh_from_db()
    assert rent.amount == Decimal("780")
    response = client.post(url + "supprimer/")
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=rent.pk).exists()
    assert ChangeEvent.objects.filter(verb="budget_line_delete").exists()


def test_deleting_needs_post(client, alice, case, budget):
    client.force_login(alice)
    rent = budget.lines.get(category="rent")
    response = client.get(month_url(case) + f"lignes/{rent.public_id}/supprimer/")
    assert response.status_code == 405


def test_notes_are_saved_encrypted(client, alice, case, budget):
    client.force_login(alice)
    response = client.post(month_url(case) + "remarques/", {"note": "Madame veut épargner."})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.note == "Madame veut épargner."
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM budget_budget WHERE id = %s", [budget.pk])
        assert "épargner" not in cursor.fetchone()[0]


def test_the_together_screen_speaks_plainly(client, alice, case, budget):
    client.force_login(alice)
    response = client.get(month_url(case) + "ensemble/")
    page = text_of(response)
    assert response.status_code == 200
    assert "Ce qui rentre chaque mois" in page
    assert "Il reste pour vivre" in page
    assert "1 310 € par mois" in page
    assert "18,99 € par jour" in page
    assert "unité de consommation" not in page  # no jargon on the person's screen


def test_the_divisor_follows_the_organisation_setting(client, alice, admin_user, case, budget):
    client.force_login(admin_user)
    response = client.post(reverse("budget:settings"), {"divisor": "persons"})
    assert response.status_code == 302
    client.force_login(alice)
    page = text_of(client.get(month_url(case)))
    # 1310 / 4 persons = 327.50 per month, / 30 = 10.9166 → 10.92 per day.
    assert "327,50 € par mois" in page
    assert "10,92 €" in page
    assert "par jour et par personne" in page


def test_only_the_service_administration_changes_settings(client, alice, charlie):
    client.force_login(alice)
    assert client.get(reverse("budget:settings")).status_code == 403
    assert client.post(reverse("budget:settings"), {"divisor": "parts"}).status_code == 403


def test_an_impossible_month_is_a_404(client, alice, case):
    client.force_login(alice)
    assert client.get(f"/dossiers/{case.public_id}/budget/2026-13/").status_code == 404
    assert client.get(f"/dossiers/{case.public_id}/budget/1985-01/").status_code == 404


def test_a_budget_is_planned_at_most_two_years_ahead(client, alice, case):
    client.force_login(alice)
    response = client.post(month_url(case, datetime.date(2099, 1, 1)) + "creer/", {"copy": "none"})
    assert response.status_code == 302
    assert not Budget.objects.exists()


def test_the_pdf_reads_like_the_budget(client, alice, case, budget):
    import io

    from pypdf import PdfReader

    client.force_login(alice)
    response = client.get(month_url(case) + "budget.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    assert "Mon budget de juin 2026" in text
    assert "Nadia BENALI" in text
    assert "2 400,00 €" in text
    assert "1 310,00 € par mois" in text
    assert "18,99 € par jour" in text
    assert AccessEvent.objects.filter(action="print", user=alice).exists()


def test_the_month_page_query_count_does_not_grow_with_lines(
    client, alice, case, budget, django_assert_num_queries
):
    # session, user with membership, case, budget, lines, members, other persons, settings,
    # access log (savepoint, chain head, insert, update, release), edit check, debts (the
    # session is written at most once a minute: not here).
    client.force_login(alice)
    client.get(month_url(case))  # the first read also creates the access log's chain head
    with django_assert_num_queries(15):
        client.get(month_url(case))
    for _ in range(20):
        factories.BudgetLineFactory(budget=budget, charge=True, category="other_charge", amount=5)
    debt = factories.DebtFactory(person=case.person)
    factories.BudgetLineFactory(budget=budget, charge=True, category="credit", debt=debt)
    factories.HouseholdMemberFactory(household=case.person.household, relation="child")
    with django_assert_num_queries(15):
        client.get(month_url(case))
