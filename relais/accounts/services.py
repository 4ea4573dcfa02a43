"""Writes on organisations and accounts. Each is one transaction with its audit row."""

from django.db import transaction

from relais.accounts.models import Membership, Organisation, User
from relais.audit.log import record_change, snapshot
from relais.cases.reference import reference_seed
from relais.crypto import keyring
from relais.partners.services import national_partners_seed


@transaction.atomic
def organisation_create(*, name: str, kind: str, city: str = "", public_id=None) -> Organisation:
    fields = {"name": name, "kind": kind, "city": city}
    if public_id is not None:
        fields["public_id"] = public_id
    organisation = Organisation.objects.create(**fields)
    keyring.create_data_key(organisation.pk)
    # Reference lists shipped as data: concerns, follow-up rules, the national partners.
    reference_seed(organisation)
    national_partners_seed(organisation=organisation)
    return organisation


@transaction.atomic
def user_create(
    *,
    organisation: Organisation,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    role: str,
    team=None,
    employer=None,
    by: User | None = None,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    membership = Membership.objects.create(
        organisation=organisation, user=user, role=role, team=team, employer=employer
    )
    record_change(user=by, verb="user_create", obj=membership, after=snapshot(membership))
    return user
