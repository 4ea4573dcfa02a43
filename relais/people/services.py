"""Writes on persons and households: one function per action, each in one transaction with
its audit row.

Callers (views, API, commands) check permissions through ``relais.policy`` first; these
functions keep the data consistent (organisation, dates, field groups) and refuse what
cannot be, with a French message (``ActionRefused``).
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from relais.accounts.models import User
from relais.audit.log import record_change, snapshot
from relais.cases.errors import ActionRefused, acting_organisation_id
from relais.people.models import (
    HOUSEHOLD_MEMBER_FIELDS,
    IDENTITY_FIELDS,
    SITUATION_FIELDS,
    Household,
    HouseholdMember,
    Person,
)


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Champs non modifiables ici : {', '.join(sorted(unknown))}")


def _check_person_values(organisation_id: int, fields: dict[str, Any]) -> None:
    today = timezone.localdate()
    birth_date = fields.get("birth_date")
    if birth_date and birth_date > today:
        raise ActionRefused("La date de naissance ne peut pas être dans le futur.")
    if "last_name" in fields and not (fields["last_name"] or "").strip():
        raise ActionRefused("Le nom est obligatoire.")
    for name in ("employer", "establishment"):
        value = fields.get(name)
        if value is not None and value.organisation_id != organisation_id:
            raise ActionRefused("Cet employeur n'appartient pas à votre service.")
    employer, establishment = fields.get("employer"), fields.get("establishment")
    if employer and establishment and establishment.employer_id != employer.pk:
        raise ActionRefused("Cet établissement n'appartient pas à l'employeur choisi.")
    for name in ("hired_on", "work_situation_since"):
        value = fields.get(name)
        if value and value > today + datetime.timedelta(days=366):
            raise ActionRefused("Cette date est trop loin dans le futur.")


@transaction.atomic
def person_create(*, by: User, last_name: str, **fields: Any) -> Person:
    """A new person: only the last name is required."""
    _check_fields(fields, IDENTITY_FIELDS + SITUATION_FIELDS)
    organisation_id = acting_organisation_id(by)
    fields["last_name"] = last_name.strip()
    _check_person_values(organisation_id, fields)
    person = Person.objects.create(organisation_id=organisation_id, **fields)
    record_change(user=by, verb="person_create", obj=person, after=snapshot(person))
    return person


def _person_update(by: User, person: Person, verb: str, fields: dict[str, Any]) -> Person:
    _check_person_values(person.organisation_id, fields)
    before = snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.save()
    record_change(user=by, verb=verb, obj=person, before=before, after=snapshot(person))
    return person


@transaction.atomic
def person_update_identity(*, by: User, person: Person, **fields: Any) -> Person:
    """Identity, contact and employer: what the secretary may also keep up to date."""
    _check_fields(fields, IDENTITY_FIELDS)
    return _person_update(by, person, "person_update_identity", fields)


@transaction.atomic
def person_update_situation(*, by: User, person: Person, **fields: Any) -> Person:
    """Work, housing, family, income, protection: only for those who hold a case.

    Starting a sick leave creates the usual follow-up tasks on the person's open cases.
    """
    from relais.cases import followup

    _check_fields(fields, SITUATION_FIELDS)
    previous_situation = person.work_situation
    person = _person_update(by, person, "person_update_situation", fields)
    if (
        person.work_situation in followup.SICK_LEAVE_SITUATIONS
        and previous_situation not in followup.SICK_LEAVE_SITUATIONS
    ):
        followup.apply_sick_leave_rules(by=by, person=person)
    return person


def _household_of(by: User, person: Person) -> Household:
    if person.household_id:
        return person.household
    household = Household.objects.create(organisation_id=person.organisation_id)
    record_change(user=by, verb="household_create", obj=household, after=snapshot(household))
    before = snapshot(person, ["household"])
    person.household = household
    person.save(update_fields=["household"])
    record_change(
        user=by,
        verb="person_update_situation",
        obj=person,
        before=before,
        after=snapshot(person, ["household"]),
    )
    return household


def _check_member_values(fields: dict[str, Any]) -> None:
    birth_date = fields.get("birth_date")
    if birth_date and birth_date > timezone.localdate():
        raise ActionRefused("La date de naissance ne peut pas être dans le futur.")


@transaction.atomic
def household_member_add(
    *, by: User, person: Person, relation: str, **fields: Any
) -> HouseholdMember:
    """Someone living with the person (the household is created on the first one)."""
    _check_fields(fields, HOUSEHOLD_MEMBER_FIELDS)
    _check_member_values(fields)
    household = _household_of(by, person)
    member = HouseholdMember.objects.create(
        organisation_id=person.organisation_id, household=household, relation=relation, **fields
    )
    record_change(user=by, verb="household_member_add", obj=member, after=snapshot(member))
    return member


@transaction.atomic
def household_member_update(*, by: User, member: HouseholdMember, **fields: Any) -> HouseholdMember:
    _check_fields(fields, HOUSEHOLD_MEMBER_FIELDS)
    _check_member_values(fields)
    before = snapshot(member)
    for name, value in fields.items():
        setattr(member, name, value)
    member.save()
    record_change(
        user=by, verb="household_member_update", obj=member, before=before, after=snapshot(member)
    )
    return member


@transaction.atomic
def household_member_remove(*, by: User, member: HouseholdMember) -> None:
    """Someone who no longer lives with the person (the change log keeps who it was)."""
    before = snapshot(member)
    record_change(user=by, verb="household_member_remove", obj=member, before=before, after=None)
    member.delete()


def person_touch_contact(person: Person, at: datetime.datetime) -> None:
    """Move the person's last contact forward (start of the 2-year retention delay).

    Not audited on its own: it follows from the audited write that calls it.
    """
    Person.objects.filter(pk=person.pk).filter(
        Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=at)
    ).update(last_contact_at=at)
    if person.last_contact_at is None or person.last_contact_at < at:
        person.last_contact_at = at
