"""Who may do what: the rules of professional secrecy, in one place.

Every view, API endpoint, search, export and report asks here (directly, or through the
``visible_to(user)`` queryset methods built on these rules). Rules, in plain words:

- Nothing of another organisation, ever. Lookups are scoped by organisation, so what a
  user may not see does not exist for them (404, not 403).
- A case is seen by its referents, by colleagues a referent shares it with (until an end
  date), and by someone who made a logged "break-glass" read (limited in time).
- Fact notes are seen by those who see the case; assessment notes by their author and the
  colleagues the author names.
- The secretary handles identity, contact, requests and appointments: no notes, no
  reports, no concerns in detail.
- The manager sees workload, tasks, statistics and case metadata; content only when
  shared or through a break-glass read.
- The employer viewer sees only aggregated statistics of their own company.
- The supervisor sees only what a worker shares for supervision, pseudonymised.
- The admin manages the organisation (users, reference lists), not case content.
"""

from django.utils import timezone

from relais.accounts.enums import Role

# Roles that work with persons (identity and contact) in their organisation.
PERSON_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SECRETARY, Role.MANAGER})
# Roles that may hold cases and write their content.
CASEWORK_ROLES = frozenset({Role.SOCIAL_WORKER})
# Roles that may read case content when the case is shared with them or break-glassed.
CONTENT_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER})
# Roles that may list cases' metadata (status, referent, dates) across the organisation.
WORKLOAD_ROLES = frozenset({Role.MANAGER})
# Roles whose break-glass reads are allowed (continuity when a worker is away).
BREAK_GLASS_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER})
STATISTICS_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER, Role.EMPLOYER_VIEWER})


def membership(user):
    """The user's active membership, fetched once per request and kept on the user."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_relais_membership"):
        from relais.accounts.models import Membership

        user._relais_membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, is_active=True)
            .first()
        )
    return user._relais_membership


def organisation_id(user) -> int | None:
    m = membership(user)
    return m.organisation_id if m else None


def role(user) -> str | None:
    m = membership(user)
    return m.role if m else None


def has_role(user, roles) -> bool:
    return role(user) in roles


def _same_organisation(user, obj) -> bool:
    org = organisation_id(user)
    return org is not None and obj.organisation_id == org


# --- Persons -------------------------------------------------------------------------


def can_list_persons(user) -> bool:
    return has_role(user, PERSON_ROLES)


def can_create_person(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY})


def can_edit_person_identity(user, person) -> bool:
    return _same_organisation(user, person) and can_create_person(user)


def can_see_person_situation(user, person) -> bool:
    """Household, income, work situation: only for those who see one of the person's cases."""
    from relais.cases.models import Case

    if not _same_organisation(user, person):
        return False
    return Case.objects.visible_to(user).filter(person_id=person.pk).exists()


def can_edit_person_situation(user, person) -> bool:
    from relais.cases.models import Case

    if not _same_organisation(user, person) or not has_role(user, CASEWORK_ROLES):
        return False
    return Case.objects.editable_by(user).filter(person_id=person.pk).exists()


# --- Cases ---------------------------------------------------------------------------


def can_open_case(user) -> bool:
    return has_role(user, CASEWORK_ROLES)


def can_see_case(user, case) -> bool:
    from relais.cases.models import Case

    return (
        _same_organisation(user, case) and Case.objects.visible_to(user).filter(pk=case.pk).exists()
    )


def can_edit_case(user, case) -> bool:
    """Writing in a case: its referents and the colleagues it is shared with."""
    from relais.cases.models import Case

    return (
        _same_organisation(user, case)
        and has_role(user, CASEWORK_ROLES)
        and Case.objects.editable_by(user).filter(pk=case.pk).exists()
    )


def is_referent(user, case) -> bool:
    return _same_organisation(user, case) and case.referent_links.filter(user=user).exists()


def can_share_case(user, case) -> bool:
    return is_referent(user, case) and has_role(user, CASEWORK_ROLES)


def can_break_glass(user, case) -> bool:
    return _same_organisation(user, case) and has_role(user, BREAK_GLASS_ROLES)


def can_list_workload(user) -> bool:
    return has_role(user, WORKLOAD_ROLES)


# --- Notes ---------------------------------------------------------------------------


def can_see_note(user, note) -> bool:
    from relais.cases.models import Note

    return (
        _same_organisation(user, note) and Note.objects.visible_to(user).filter(pk=note.pk).exists()
    )


def can_edit_note(user, note) -> bool:
    return _same_organisation(user, note) and note.author_id == user.pk


# --- Requests, appointments, tasks ---------------------------------------------------


def can_record_request(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY, Role.MANAGER})


def can_book_appointment(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY})


# --- Statistics and administration ---------------------------------------------------


def can_see_statistics(user) -> bool:
    return has_role(user, STATISTICS_ROLES)


def can_administer(user) -> bool:
    return has_role(user, {Role.ADMIN})


def today():
    return timezone.localdate()


# --- Intake (requests) in detail ------------------------------------------------------
# The secretary records requests and reads their summary (she wrote it), but not the
# concerns, which say what the person is going through; the manager routes requests
# (metadata) without reading them.


def can_see_request_summary(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY})


def can_see_concerns(user) -> bool:
    return has_role(user, CASEWORK_ROLES)


def can_assign_request(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY, Role.MANAGER})


def can_close_request(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY})


def can_convert_request(user) -> bool:
    return has_role(user, CASEWORK_ROLES)


def can_see_agenda(user) -> bool:
    """Agendas of the team (who is free when): workers, secretary, manager."""
    return has_role(user, PERSON_ROLES)


# --- Referential (teams, employers, concerns) -----------------------------------------


def can_read_referential(user) -> bool:
    """The organisation's own lists: for those who work with persons, and its admin."""
    return has_role(user, PERSON_ROLES | {Role.ADMIN})
