"""Turn the ids a client sends into rows, through the policy, or refuse the field.

The target of a request (the case in /cases/{id}/notes) is fetched with a 404 when the
caller may not see or write it; the other ids of the body (concerns, colleagues, an
employer…) are refused as invalid fields with 422, which tells no more than a 404 would.
"""

import uuid
from collections.abc import Sequence

from django.db.models import Model, QuerySet

from relais.accounts.models import Employer, Establishment, User
from relais.api.errors import Invalid, NotFound
from relais.cases.models import Concern
from relais.policy import rules

UNKNOWN = "Introuvable dans votre service."


def target(queryset: QuerySet, public_id: uuid.UUID | None) -> Model:
    """The object a request acts on: 404 unless the queryset (the policy) holds it."""
    row = queryset.filter(public_id=public_id).first() if public_id else None
    if row is None:
        raise NotFound()
    return row


def one(queryset: QuerySet, public_id: uuid.UUID | None, field: str) -> Model | None:
    if public_id is None:
        return None
    row = queryset.filter(public_id=public_id).first()
    if row is None:
        raise Invalid(fields={field: [UNKNOWN]})
    return row


def many(queryset: QuerySet, public_ids: Sequence[uuid.UUID], field: str) -> list[Model]:
    """Rows in the order given (the first referent is the primary one)."""
    wanted = list(dict.fromkeys(public_ids))
    rows = {row.public_id: row for row in queryset.filter(public_id__in=wanted)}
    missing = [str(pid) for pid in wanted if pid not in rows]
    if missing:
        raise Invalid(fields={field: [f"{UNKNOWN} ({', '.join(missing)})"]})
    return [rows[pid] for pid in wanted]


def colleagues(user) -> QuerySet:
    """Active accounts of the user's organisation (the roles are the services' business)."""
    return User.objects.filter(
        is_active=True,
        membership__organisation_id=rules.organisation_id(user),
        membership__is_active=True,
    )


def concerns(user, public_ids: Sequence[uuid.UUID] | None, field: str = "concern_ids"):
    if public_ids is None:
        return None
    if public_ids and not rules.can_see_concerns(user):
        raise Invalid(
            fields={field: ["Votre rôle ne permet pas de renseigner les problématiques."]}
        )
    queryset = Concern.objects.filter(organisation_id=rules.organisation_id(user), is_active=True)
    return many(queryset, public_ids, field)


def employer(user, public_id: uuid.UUID | None, field: str = "employer_id"):
    queryset = Employer.objects.filter(organisation_id=rules.organisation_id(user))
    return one(queryset, public_id, field)


def establishment(user, public_id: uuid.UUID | None, field: str = "establishment_id"):
    queryset = Establishment.objects.filter(organisation_id=rules.organisation_id(user))
    return one(queryset, public_id, field)
