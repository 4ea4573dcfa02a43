"""The policy applied to budget rows: they belong to a person, and are seen with that
person's cases (``Case.objects.visible_to`` / ``editable_by``), never otherwise."""

from django.apps import apps
from django.db.models import Exists, OuterRef

from relais.policy import rules
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

    def in_case_visible_to(self, user, case):
        """The rows of the case's person, for a user who sees this case: the case question is
        asked once (remembered for the request) instead of being probed for every row."""
        if not rules.can_see_case(user, case):
            return self.none()
        return self.filter(
            organisation_id=case.organisation_id, **{self.person_field: case.person_id}
        )


class BudgetLineQuerySet(PersonScopedQuerySet):
    person_field = "budget__person_id"
