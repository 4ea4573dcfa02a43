from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "relais.budget"
    label = "budget"
    verbose_name = "Budget et surendettement"
