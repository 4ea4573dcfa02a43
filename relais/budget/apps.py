from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "relais.budget"
    label = "budget"
    verbose_name = "Budget et surendettement"

    def ready(self):
        from relais.cases import contents

        contents.register("budgets", "budget.Budget", by="person")
        contents.register("debts", "budget.Debt", by="person")
