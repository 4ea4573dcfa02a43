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
- The admin manages the organisation (users, reference lists) and reads the access log,
  not case content.

Each question is one function named ``can_<verb>_<thing>(user, obj)``: list, see, edit,
export, delete. Within a request, answers are remembered (``relais.policy.cache``), so a
page may ask the same question as often as it needs.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from relais.accounts.enums import Role
from relais.policy.cache import cached
from relais.scale.prepared import prepared

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
# Roles that read what a case holds (in full, pseudonymised, or in the access log): when
# the organisation requires it, they log in with a second factor.
TWO_FACTOR_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
# A note may be withdrawn by its author for this long; after that it is corrected by
# another note (the person may already have read it).
NOTE_WITHDRAWAL_DELAY = datetime.timedelta(hours=24)


@prepared
def _active_membership(p):
    from relais.accounts.models import Membership

    return (
        Membership.objects.select_related("organisation")
        .filter(user_id=p.user, is_active=True)
        .order_by("pk")[:1]
    )


def membership(user):
    """The user's active membership, fetched once per request and kept on the user (every
    request asks: the query is prepared, ``relais.scale.prepared``)."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_relais_membership"):
        found = _active_membership(user=user.pk)
        user._relais_membership = found[0] if found else None
    return user._relais_membership


def remember_membership(user) -> None:
    """For a user read with ``select_related("membership")``: keep the active membership
    as ``membership()`` would find it (a user has at most one), without a query."""
    try:
        found = user.membership
    except ObjectDoesNotExist:
        found = None
    user._relais_membership = found if found is not None and found.is_active else None


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


# --- How a user reaches a case (one query, remembered for the request) ----------------


@dataclass(frozen=True)
class CaseAccess:
    """The ways a user reaches one case. Every case question is answered from this."""

    referent: bool = False
    shared: bool = False
    break_glass: bool = False
    supervision: bool = False


NO_ACCESS = CaseAccess()


def case_access(user, case) -> CaseAccess:
    if not _same_organisation(user, case):
        return NO_ACCESS

    def compute() -> CaseAccess:
        from relais.policy.querysets import case_access_flags

        referent, shared, break_glass, supervision = case_access_flags(
            user, case.organisation_id, case.pk
        )
        return CaseAccess(
            referent=referent, shared=shared, break_glass=break_glass, supervision=supervision
        )

    return cached(("case_access", user.pk, case.pk), compute)


def remember_case_access(user, case) -> None:
    """A case fetched ``Case.objects.with_access_flags_of(user)`` (or ``with_access_of``)
    carries the answer to every case question: remember it for the request, so the page's
    sections do not ask again."""
    if not _same_organisation(user, case):
        return
    access = CaseAccess(
        referent=case.is_referent,
        shared=case.is_shared,
        break_glass=case.is_break_glass,
        supervision=case.is_supervised,
    )
    cached(("case_access", user.pk, case.pk), lambda: access)


# --- Persons -------------------------------------------------------------------------


def can_list_persons(user) -> bool:
    return has_role(user, PERSON_ROLES)


def can_see_person(user, person) -> bool:
    """Identity and contact (not the social situation)."""
    return (
        _same_organisation(user, person)
        and has_role(user, PERSON_ROLES)
        and person.anonymised_at is None
    )


def can_create_person(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY})


def can_edit_person_identity(user, person) -> bool:
    return _same_organisation(user, person) and can_create_person(user)


def can_see_person_situation(user, person) -> bool:
    """Household, income, work situation: only for those who see one of the person's cases."""
    from relais.cases.models import Case

    if not _same_organisation(user, person):
        return False
    return cached(
        ("person_situation", user.pk, person.pk),
        lambda: Case.objects.visible_to(user).filter(person_id=person.pk).exists(),
    )


def can_edit_person_situation(user, person) -> bool:
    from relais.cases.models import Case

    if not _same_organisation(user, person) or not has_role(user, CASEWORK_ROLES):
        return False
    return cached(
        ("person_situation_edit", user.pk, person.pk),
        lambda: Case.objects.editable_by(user).filter(person_id=person.pk).exists(),
    )


def can_export_person(user, person) -> bool:
    """Everything held about the person, for them (right of access): those who work on
    one of their cases."""
    return can_edit_person_situation(user, person)


# --- Cases ---------------------------------------------------------------------------


def can_list_cases(user) -> bool:
    """A list of cases: one's caseload, or the organisation's metadata for routing."""
    return has_role(user, CONTENT_ROLES | {Role.SECRETARY})


def can_open_case(user) -> bool:
    return has_role(user, CASEWORK_ROLES)


def can_see_case_metadata(user, case) -> bool:
    """Status, referent, dates (no content): managers and secretaries route the work."""
    if not _same_organisation(user, case):
        return False
    return has_role(user, {Role.MANAGER, Role.SECRETARY}) or can_see_case(user, case)


def can_see_case(user, case) -> bool:
    if not has_role(user, CONTENT_ROLES):
        return False
    access = case_access(user, case)
    return access.referent or access.shared or access.break_glass


def can_edit_case(user, case) -> bool:
    """Writing in a case: its referents and the colleagues it is shared with."""
    if not has_role(user, CASEWORK_ROLES):
        return False
    access = case_access(user, case)
    return access.referent or access.shared


def can_export_case(user, case) -> bool:
    """Printing or exporting the file: those who work on it (not a break-glass reader)."""
    return can_edit_case(user, case)


def can_delete_case(user, case) -> bool:
    """Nobody: a case is closed with a reason, and anonymised by the retention job."""
    return False


def is_referent(user, case) -> bool:
    # A page that already loaded the referents (prefetch_related("referent_links")) has
    # the answer in hand: no query.
    links = getattr(case, "_prefetched_objects_cache", {}).get("referent_links")
    if links is not None:
        return _same_organisation(user, case) and any(link.user_id == user.pk for link in links)
    return case_access(user, case).referent


def can_share_case(user, case) -> bool:
    return has_role(user, CASEWORK_ROLES) and is_referent(user, case)


def can_break_glass(user, case) -> bool:
    return _same_organisation(user, case) and has_role(user, BREAK_GLASS_ROLES)


def needs_break_glass(user, case) -> bool:
    """The user may read the case only through a break-glass read (with a reason)."""
    return can_break_glass(user, case) and not can_see_case(user, case)


def can_list_workload(user) -> bool:
    return has_role(user, WORKLOAD_ROLES)


# --- Supervision ---------------------------------------------------------------------


def can_share_for_supervision(user, case) -> bool:
    return can_share_case(user, case)


def can_supervise_case(user, case) -> bool:
    """The pseudonymised view of a case a worker shared with this supervisor."""
    return has_role(user, {Role.SUPERVISOR}) and case_access(user, case).supervision


def can_list_supervised_cases(user) -> bool:
    return has_role(user, {Role.SUPERVISOR})


# --- Notes ---------------------------------------------------------------------------


def can_see_note(user, note) -> bool:
    from relais.cases.models import Note

    if not _same_organisation(user, note):
        return False
    return cached(
        ("note", user.pk, note.pk),
        lambda: Note.objects.visible_to(user).filter(pk=note.pk).exists(),
    )


def can_edit_note(user, note) -> bool:
    return _same_organisation(user, note) and note.author_id == user.pk


def can_delete_note(user, note) -> bool:
    """Its author, within a day; afterwards a note is corrected by another note."""
    return (
        can_edit_note(user, note)
        and note.created_at is not None
        and timezone.now() - note.created_at < NOTE_WITHDRAWAL_DELAY
    )


# --- Requests, appointments, tasks ---------------------------------------------------


def can_record_request(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY, Role.MANAGER})


def can_book_appointment(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.SECRETARY})


def can_see_request(user, request_obj) -> bool:
    from relais.cases.models import Request

    if not _same_organisation(user, request_obj):
        return False
    return cached(
        ("request", user.pk, request_obj.pk),
        lambda: Request.objects.visible_to(user).filter(pk=request_obj.pk).exists(),
    )


def can_see_appointment(user, appointment) -> bool:
    from relais.cases.models import Appointment

    if not _same_organisation(user, appointment):
        return False
    return cached(
        ("appointment", user.pk, appointment.pk),
        lambda: Appointment.objects.visible_to(user).filter(pk=appointment.pk).exists(),
    )


def can_see_task(user, task) -> bool:
    from relais.cases.models import Task

    if not _same_organisation(user, task):
        return False
    return cached(
        ("task", user.pk, task.pk),
        lambda: Task.objects.visible_to(user).filter(pk=task.pk).exists(),
    )


# --- Access log ----------------------------------------------------------------------


def can_see_access_log_of_case(user, case) -> bool:
    """ "Who consulted this file": shown to the case's referents."""
    return has_role(user, CASEWORK_ROLES) and is_referent(user, case)


def can_see_access_log_of_person(user, person) -> bool:
    """Shown to the referents of one of the person's cases."""
    from relais.cases.models import CaseReferent

    if not _same_organisation(user, person) or not has_role(user, CASEWORK_ROLES):
        return False
    return cached(
        ("person_referent", user.pk, person.pk),
        lambda: CaseReferent.objects.filter(
            organisation_id=person.organisation_id, user_id=user.pk, case__person_id=person.pk
        ).exists(),
    )


def can_filter_access_log(user) -> bool:
    """The organisation's whole access log, with filters: its admin role."""
    return has_role(user, {Role.ADMIN})


# --- Statistics and administration ---------------------------------------------------


def can_see_statistics(user) -> bool:
    return has_role(user, STATISTICS_ROLES)


def can_see_employer_statistics(user, employer) -> bool:
    """Aggregates for one employer: the service's staff, or that employer's own viewer."""
    if not _same_organisation(user, employer) or not can_see_statistics(user):
        return False
    if has_role(user, {Role.EMPLOYER_VIEWER}):
        return membership(user).employer_id == employer.pk
    return True


def can_administer(user) -> bool:
    return has_role(user, {Role.ADMIN})


# --- Reports, documents, the person's copy of their file ---------------------------


def can_see_report(user, report) -> bool:
    from relais.reports.models import Report

    return (
        _same_organisation(user, report)
        and Report.objects.visible_to(user).filter(pk=report.pk).exists()
    )


def can_write_report(user, case) -> bool:
    """Starting a report, saving a version, amending: those who may write in the case."""
    return can_edit_case(user, case)


def can_edit_report(user, report) -> bool:
    return not report.is_locked and can_edit_case(user, report.case)


def can_finalise_report(user, report) -> bool:
    """The signature is the author's: they alone finalise what they wrote."""
    return report.author_id == user.pk and can_edit_report(user, report)


def can_record_report_delivery(user, report) -> bool:
    """ "Lu à la personne", "copie remise": on a signed version, by those who write in the case."""
    return report.signed_version_id is not None and can_edit_case(user, report.case)


def can_export_person_file(user, person) -> bool:
    """Producing the person's copy of their file: a worker who writes in one of their cases."""
    from relais.cases.models import Case

    return (
        _same_organisation(user, person)
        and has_role(user, CASEWORK_ROLES)
        and Case.objects.editable_by(user).filter(person_id=person.pk).exists()
    )


def can_see_document(user, document) -> bool:
    from relais.documents.models import Document

    return (
        _same_organisation(user, document)
        and Document.objects.visible_to(user).filter(pk=document.pk).exists()
    )


def can_file_document(user, person, case=None) -> bool:
    """Uploading (or removing) a document: in a case one writes in, or on the person's file."""
    if case is not None:
        return case.person_id == person.pk and can_edit_case(user, case)
    return can_edit_person_situation(user, person)


def needs_two_factor(user) -> bool:
    """The organisation requires a second factor and the role reads case content."""
    m = membership(user)
    return m is not None and m.role in TWO_FACTOR_ROLES and m.organisation.require_two_factor


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


# --- Partners directory and referrals ------------------------------------------------

# The directory holds no personal data about the persons supported: the staff who orient
# people read it, and the admin keeps it up to date as a reference list.
DIRECTORY_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SECRETARY, Role.MANAGER, Role.ADMIN})
DIRECTORY_EDIT_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER, Role.ADMIN})
DIRECTORY_IMPORT_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def can_see_directory(user) -> bool:
    return has_role(user, DIRECTORY_ROLES)


def can_edit_directory(user) -> bool:
    return has_role(user, DIRECTORY_EDIT_ROLES)


def can_import_directory(user) -> bool:
    return has_role(user, DIRECTORY_IMPORT_ROLES)


def can_follow_referrals(user) -> bool:
    """The worker's own follow-up of referrals (waiting, overdue)."""
    return has_role(user, CASEWORK_ROLES)


def can_see_referral_outcomes(user) -> bool:
    """Outcomes by partner, aggregated, without any name: the manager's view."""
    return has_role(user, WORKLOAD_ROLES)


# --- Statistics in detail (issue 6) ----------------------------------------------------
# Statistics describe the service, never a worker: no per-worker indicator, no ranking.
# Staff see the service's and teams' aggregates (small cells masked); a social worker also
# sees the figures of their own cases; the manager sees each worker's active caseload size,
# for assignment only; the employer viewer sees only their own company's aggregates.


def can_see_service_statistics(user) -> bool:
    return has_role(user, {Role.SOCIAL_WORKER, Role.MANAGER})


def can_see_own_statistics(user) -> bool:
    return has_role(user, CASEWORK_ROLES)


def can_see_caseload_sizes(user) -> bool:
    return can_list_workload(user)


def statistics_employer_id(user) -> int | None:
    """The only company whose figures an employer viewer may see (None for staff)."""
    m = membership(user)
    if m is None or m.role != Role.EMPLOYER_VIEWER:
        return None
    return m.employer_id


def can_configure_statistics(user) -> bool:
    return has_role(user, {Role.MANAGER, Role.ADMIN})


# --- Referential (teams, employers, concerns) -----------------------------------------


def can_read_referential(user) -> bool:
    """The organisation's own lists: for those who work with persons, and its admin."""
    return has_role(user, PERSON_ROLES | {Role.ADMIN})


# --- Collective actions (actions collectives) ------------------------------------------
# An action itself holds no personal data (a title, a date, a place, a headcount, a factual
# summary): the staff who work with persons see the organisation's actions, the secretary
# too (rooms, dates). Its facilitators and the managers change it. Which followed persons
# took part is personal data, and telling: being seen at a budget meeting says something of
# one's situation. So a participation belongs to the person's social file: it is seen by
# those who see one of the person's cases (never the secretary, the employer viewer or the
# supervisor; the manager only through a share or a break-glass read), and linked by a
# facilitator who writes in one of the person's cases.

GROUP_ACTION_ROLES = PERSON_ROLES
GROUP_ACTION_EDIT_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER})


def can_list_group_actions(user) -> bool:
    return has_role(user, GROUP_ACTION_ROLES)


def can_see_group_action(user, group_action) -> bool:
    return _same_organisation(user, group_action) and can_list_group_actions(user)


def can_create_group_action(user) -> bool:
    return has_role(user, GROUP_ACTION_EDIT_ROLES)


def is_facilitator(user, group_action) -> bool:
    # A page that prefetched the facilitators has the answer in hand: no query.
    links = getattr(group_action, "_prefetched_objects_cache", {}).get("facilitator_links")
    if links is not None:
        return any(link.user_id == user.pk for link in links)
    from relais.groups.models import GroupActionFacilitator

    return cached(
        ("group_action_facilitator", user.pk, group_action.pk),
        lambda: GroupActionFacilitator.objects.filter(
            organisation_id=group_action.organisation_id,
            group_action_id=group_action.pk,
            user_id=user.pk,
        ).exists(),
    )


def can_edit_group_action(user, group_action) -> bool:
    """Details, final headcount, cancellation: its facilitators, and the managers."""
    if not _same_organisation(user, group_action):
        return False
    if has_role(user, {Role.MANAGER}):
        return True
    return has_role(user, CASEWORK_ROLES) and is_facilitator(user, group_action)


def can_link_participants(user, group_action) -> bool:
    """Linking followed persons: a facilitator who is a social worker (the persons offered
    are those whose file they write in)."""
    return has_role(user, CASEWORK_ROLES) and can_edit_group_action(user, group_action)


def can_see_participation(user, participation) -> bool:
    """Those who see one of the person's cases; nobody else, whatever their role."""
    from relais.cases.models import Case

    if not _same_organisation(user, participation):
        return False
    return cached(
        ("person_situation", user.pk, participation.person_id),
        lambda: Case.objects.visible_to(user).filter(person_id=participation.person_id).exists(),
    )


def can_link_person_to_group_action(user, group_action, person) -> bool:
    return (
        _same_organisation(user, person)
        and can_link_participants(user, group_action)
        and can_edit_person_situation(user, person)
    )


def can_edit_participation(user, participation, group_action) -> bool:
    """Marking present or absent, removing the link: a facilitator who writes in one of
    the person's cases."""
    from relais.cases.models import Case

    if participation.group_action_id != group_action.pk or not can_link_participants(
        user, group_action
    ):
        return False
    return cached(
        ("person_situation_edit", user.pk, participation.person_id),
        lambda: Case.objects.editable_by(user).filter(person_id=participation.person_id).exists(),
    )
