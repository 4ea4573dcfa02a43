from faker import Faker

from relais.audit.models import ChangeEvent
from relais.budget.models import Budget, Debt, OverindebtednessFile
from relais.demo.budget import create_demo_budgets
from relais.demo.organisation import create_demo_organisation


def test_the_demo_has_budgets_and_running_it_twice_duplicates_nothing(db):
    # seed_demo calls create_demo_budgets after the organisation (and the other demos).
    demo = create_demo_organisation(Faker("fr_FR"))
    assert create_demo_budgets(demo.organisation) >= 2
    assert Budget.objects.filter(lines__isnull=False).distinct().count() >= 2
    assert Debt.objects.filter(court_action="payment_order").exists()
    assert OverindebtednessFile.objects.exists()
    assert ChangeEvent.objects.filter(verb="budget_line_add").exists()
    budgets = Budget.objects.count()
    assert create_demo_budgets(demo.organisation) == 0
    assert Budget.objects.count() == budgets
