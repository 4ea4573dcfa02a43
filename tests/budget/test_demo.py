from django.core.management import call_command

from relais.audit.models import ChangeEvent
from relais.budget.models import Budget, Debt, OverindebtednessFile


def test_the_demo_has_budgets_and_seeding_twice_duplicates_nothing(db):
    call_command("seed_demo", verbosity=0)
    assert Budget.objects.count() >= 2
    assert Budget.objects.filter(lines__isnull=False).distinct().count() >= 2
    assert Debt.objects.filter(court_action="payment_order").exists()
    assert OverindebtednessFile.objects.exists()
    assert ChangeEvent.objects.filter(verb="budget_line_add").exists()
    budgets = Budget.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Budget.objects.count() == budgets
