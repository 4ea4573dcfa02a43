"""The policy applied to budget rows: they belong to a person, and are seen with that
person's cases (``Case.objects.visible_to`` / ``editable_by``), never otherwise."""

from django.apps import apps
from django.db.models import Exists, OuterRef

from relais.policy.querysets import TenantQuerySet


def _cases():
    return apps.get_model("cases.Case").objects


class PersonScopedQuerySet(TenantQuerySet):
    """Rows hanging on a person (budgets, debts, over-indebtedness file)."""

    person_field = "person_id"

    def visible_to(self, user):
        cases = _cases().visible_to(user).filter(person_id=OuterRef(self.person_field))
        return self.of_organisation(user).filter(Exists(cases))

    def editable_by(self, user):
        cases = _cases().editable_by(user).filter(person_id=OuterRef(self.person_field))
        return self.of_organisation(user).filter(Exists(cases))


class BudgetLineQuerySet(PersonScopedQuerySet):
    person_field = "budget__person_id"
