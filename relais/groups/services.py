"""Writes on collective actions: one function per action, keyword-only, each in one
transaction with its audit row (``record_change``).

Callers check permissions first through ``relais.policy`` (``GroupAction.objects.
editable_by(user)``, ``rules.can_link_person_to_group_action``). These functions keep the
data consistent: one organisation everywhere, first-level themes only, facilitators who
are workers of the service, possible transitions only (planned → held or cancelled).
What they refuse raises ``ActionRefused`` with a French message a view shows as it is.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from relais.accounts.models import Employer, Establishment, Membership, Team, User
from relais.audit.log import record_change, snapshot
from relais.cases.errors import ActionRefused, acting_organisation_id, check_same_organisation
from relais.cases.models import Concern
from relais.groups import enums
from relais.groups.models import (
    SUMMARY_MAX_LENGTH,
    GroupAction,
    GroupActionFacilitator,
    GroupActionPartner,
    Participation,
)
from relais.partners.models import Partner
from relais.people.models import Person
from relais.policy import rules

# Dates a worker may give an action: mistyped years (0202, 2206) are refused.
EARLIEST_YEAR = 2000
LATEST_AHEAD = datetime.timedelta(days=3 * 365)


def check_starts_at(starts_at: datetime.datetime) -> None:
    """Shared with the form: a date far in the past or the future is a typing error."""
    if starts_at.year < EARLIEST_YEAR or starts_at > timezone.now() + LATEST_AHEAD:
        raise ActionRefused("Vérifiez la date de l'action : l'année semble erronée.")


def _check_fields(
    organisation_id: int,
    *,
    theme: Concern | None,
    starts_at: datetime.datetime,
    duration_minutes: int,
    employer: Employer | None,
    establishment: Establishment | None,
    team: Team | None,
    partners: Sequence[Partner],
    summary: str,
) -> None:
    check_same_organisation(organisation_id, theme, employer, establishment, team, *partners)
    if theme is not None and theme.parent_id is not None:
        raise ActionRefused("Le thème est une problématique de premier niveau.")
    if establishment is not None and establishment.employer_id != getattr(employer, "pk", None):
        raise ActionRefused("Cet établissement n'appartient pas à l'entreprise choisie.")
    if duration_minutes <= 0:
        raise ActionRefused("La durée doit être d'au moins une minute.")
    check_starts_at(starts_at)
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ActionRefused(f"Le compte rendu est limité à {SUMMARY_MAX_LENGTH} caractères.")


def _check_facilitators(organisation_id: int, facilitators: Sequence[User]) -> list[User]:
    facilitators = list(dict.fromkeys(facilitators))
    if not facilitators:
        raise ActionRefused("Une action collective a au moins un·e animateur·rice du service.")
    ids = {user.pk for user in facilitators}
    found = set(
        Membership.objects.filter(
            organisation_id=organisation_id,
            user_id__in=ids,
            is_active=True,
            role__in=rules.GROUP_ACTION_EDIT_ROLES,
        ).values_list("user_id", flat=True)
    )
    if found != ids:
        raise ActionRefused("Les animateur·rices sont des professionnel·les du service.")
    return facilitators


def _state(group_action: GroupAction) -> dict:
    """The audit view of an action, with its facilitators and partners."""
    org = group_action.organisation_id
    return {
        **snapshot(group_action),
        "facilitators": sorted(
            GroupActionFacilitator.objects.filter(
                organisation_id=org, group_action=group_action
            ).values_list("user_id", flat=True)
        ),
        "partners": sorted(
            GroupActionPartner.objects.filter(
                organisation_id=org, group_action=group_action
            ).values_list("partner_id", flat=True)
        ),
    }


def _set_links(group_action: GroupAction, facilitators: list[User], partners: list[Partner]):
    org = group_action.organisation_id
    GroupActionFacilitator.objects.filter(organisation_id=org, group_action=group_action).exclude(
        user__in=facilitators
    ).delete()
    existing = set(
        GroupActionFacilitator.objects.filter(
            organisation_id=org, group_action=group_action
        ).values_list("user_id", flat=True)
    )
    GroupActionFacilitator.objects.bulk_create(
        GroupActionFacilitator(organisation_id=org, group_action=group_action, user=user)
        for user in facilitators
        if user.pk not in existing
    )
    GroupActionPartner.objects.filter(organisation_id=org, group_action=group_action).exclude(
        partner__in=partners
    ).delete()
    existing = set(
        GroupActionPartner.objects.filter(
            organisation_id=org, group_action=group_action
        ).values_list("partner_id", flat=True)
    )
    GroupActionPartner.objects.bulk_create(
        GroupActionPartner(organisation_id=org, group_action=group_action, partner=partner)
        for partner in partners
        if partner.pk not in existing
    )


@transaction.atomic
def group_action_create(
    *,
    by: User,
    title: str,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    facilitators: Sequence[User],
    theme: Concern | None = None,
    place: str = "",
    employer: Employer | None = None,
    establishment: Establishment | None = None,
    team: Team | None = None,
    partners: Iterable[Partner] = (),
    summary: str = "",
) -> GroupAction:
    """Plan a collective action (it is marked held, with its headcount, afterwards)."""
    organisation_id = acting_organisation_id(by)
    partners = list(dict.fromkeys(partners))
    _check_fields(
        organisation_id,
        theme=theme,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        employer=employer,
        establishment=establishment,
        team=team,
        partners=partners,
        summary=summary,
    )
    facilitators = _check_facilitators(organisation_id, facilitators)
    group_action = GroupAction.objects.create(
        organisation_id=organisation_id,
        title=title,
        kind=kind,
        theme=theme,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        employer=employer,
        establishment=establishment,
        team=team,
        summary=summary,
        created_by=by,
    )
    _set_links(group_action, facilitators, partners)
    record_change(user=by, verb="group_action_create", obj=group_action, after=_state(group_action))
    return group_action


@transaction.atomic
def group_action_update(
    *,
    by: User,
    group_action: GroupAction,
    title: str,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    facilitators: Sequence[User],
    theme: Concern | None = None,
    place: str = "",
    employer: Employer | None = None,
    establishment: Establishment | None = None,
    team: Team | None = None,
    partners: Iterable[Partner] = (),
    summary: str = "",
    headcount: int | None = None,
) -> GroupAction:
    """Change the details of a planned or held action (a held one keeps a headcount)."""
    if group_action.status == enums.GroupActionStatus.CANCELLED:
        raise ActionRefused("Cette action est annulée : elle ne se modifie plus.")
    organisation_id = group_action.organisation_id
    partners = list(dict.fromkeys(partners))
    _check_fields(
        organisation_id,
        theme=theme,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        employer=employer,
        establishment=establishment,
        team=team,
        partners=partners,
        summary=summary,
    )
    facilitators = _check_facilitators(organisation_id, facilitators)
    if group_action.status == enums.GroupActionStatus.HELD:
        _check_held(starts_at, headcount)
    else:
        headcount = group_action.headcount
    before = _state(group_action)
    group_action.title = title
    group_action.kind = kind
    group_action.theme = theme
    group_action.starts_at = starts_at
    group_action.duration_minutes = duration_minutes
    group_action.place = place
    group_action.employer = employer
    group_action.establishment = establishment
    group_action.team = team
    group_action.summary = summary
    group_action.headcount = headcount
    group_action.save()
    _set_links(group_action, facilitators, partners)
    record_change(
        user=by,
        verb="group_action_update",
        obj=group_action,
        before=before,
        after=_state(group_action),
    )
    return group_action


def _check_held(starts_at: datetime.datetime, headcount: int | None) -> None:
    if headcount is None:
        raise ActionRefused("Indiquez le nombre de participant·es.")
    if headcount < 0:
        raise ActionRefused("Le nombre de participant·es ne peut pas être négatif.")
    if starts_at > timezone.now():
        raise ActionRefused("Une action à venir ne peut pas être marquée comme réalisée.")


@transaction.atomic
def group_action_mark_held(
    *,
    by: User,
    group_action: GroupAction,
    headcount: int,
    duration_minutes: int | None = None,
    summary: str | None = None,
) -> GroupAction:
    """The action took place: its final headcount (and, if it changed, its real duration)."""
    if not group_action.is_planned:
        raise ActionRefused("Seule une action prévue peut être marquée comme réalisée.")
    _check_held(group_action.starts_at, headcount)
    if duration_minutes is not None and duration_minutes <= 0:
        raise ActionRefused("La durée doit être d'au moins une minute.")
    if summary is not None and len(summary) > SUMMARY_MAX_LENGTH:
        raise ActionRefused(f"Le compte rendu est limité à {SUMMARY_MAX_LENGTH} caractères.")
    before = snapshot(group_action)
    group_action.status = enums.GroupActionStatus.HELD
    group_action.headcount = headcount
    if duration_minutes is not None:
        group_action.duration_minutes = duration_minutes
    if summary is not None:
        group_action.summary = summary
    group_action.save()
    record_change(
        user=by,
        verb="group_action_mark_held",
        obj=group_action,
        before=before,
        after=snapshot(group_action),
    )
    return group_action


@transaction.atomic
def group_action_cancel(*, by: User, group_action: GroupAction) -> GroupAction:
    """A planned action will not take place (it stays in the list, marked cancelled)."""
    if not group_action.is_planned:
        raise ActionRefused("Seule une action prévue peut être annulée.")
    before = snapshot(group_action, ["status"])
    group_action.status = enums.GroupActionStatus.CANCELLED
    group_action.save(update_fields=["status"])
    record_change(
        user=by,
        verb="group_action_cancel",
        obj=group_action,
        before=before,
        after=snapshot(group_action, ["status"]),
    )
    return group_action


# --- Participations (followed persons the worker chooses to link) --------------------


@transaction.atomic
def participation_add(
    *, by: User, group_action: GroupAction, person: Person, attended: bool = True
) -> Participation:
    """Link a followed person to the action (listed in the copy of their file)."""
    check_same_organisation(group_action.organisation_id, person)
    if group_action.status == enums.GroupActionStatus.CANCELLED:
        raise ActionRefused("Cette action est annulée.")
    if person.anonymised_at is not None:
        raise ActionRefused("Cette personne n'a plus de dossier.")
    if Participation.objects.filter(
        organisation_id=group_action.organisation_id, group_action=group_action, person=person
    ).exists():
        raise ActionRefused("Cette personne est déjà liée à l'action.")
    participation = Participation.objects.create(
        organisation_id=group_action.organisation_id,
        group_action=group_action,
        person=person,
        attended=attended,
        added_by=by,
    )
    record_change(
        user=by, verb="participation_add", obj=participation, after=snapshot(participation)
    )
    return participation


@transaction.atomic
def participation_set_attended(
    *, by: User, participation: Participation, attended: bool
) -> Participation:
    before = snapshot(participation, ["attended"])
    participation.attended = attended
    participation.save(update_fields=["attended"])
    record_change(
        user=by,
        verb="participation_set_attended",
        obj=participation,
        before=before,
        after=snapshot(participation, ["attended"]),
    )
    return participation


@transaction.atomic
def participation_remove(*, by: User, participation: Participation) -> None:
    """Unlink a person (linked by mistake, or who asks not to appear)."""
    record_change(
        user=by, verb="participation_remove", obj=participation, before=snapshot(participation)
    )
    participation.delete()
