"""The authorization matrix: every URL of the project, every role, one table.

For each URL pattern (pages and API endpoints alike), every kind of user opens it and the
answer must be the one written in MATRIX below. A URL without a row fails the test (the
failure message proposes a row with the codes observed: check them against the rules
before pasting it).

Columns: who is asking, about objects of one organisation where alice holds the case.
  ref   alice, social worker, referent of the case
  col   bob, social worker of the same service, neither referent nor shared with
  sec   the secretary          man   the manager (no share, no break-glass read)
  emp   an employer viewer     sup   a supervisor the case is shared with for supervision
  adm   the service's admin    oth   a social worker of another organisation
  anon  nobody logged in

Codes: 200 page shown; 302 redirect (after a form, or to the login page for anon);
403 refused (the user knows the thing exists: same organisation, wrong role);
404 not found (another organisation, or nothing the user may know of); 405 wrong method.

GET is tried for every row. A row marked ``post=True`` is an action that only accepts
POST: it is tried with an empty POST instead. For every row, a user refused on GET (403 or
404) must be refused on POST too. Each request runs in a transaction rolled back after it,
so a POST by one user changes nothing for the next.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from relais.accounts.enums import Role
from tests import factories

COLUMNS = ("ref", "col", "sec", "man", "emp", "sup", "adm", "oth", "anon")


@dataclass
class World:
    """The objects the URLs point at. Add what a new URL needs here."""

    users: dict
    employer: object
    person: object
    member: object
    case: object
    share: object
    supervision: object
    intervention: object
    note: object
    plan: object
    goal: object
    action: object
    aid: object
    task: object
    appointment: object
    intake: object
    extra: dict = field(default_factory=dict)


@dataclass
class Row:
    kwargs: Callable[[World], dict]
    expected: dict
    post: bool = False
    query: Callable[[World], str] | None = None


def row(kwargs, *codes, post=False, query=None) -> Row:
    assert len(codes) == len(COLUMNS), "one code per column: " + " ".join(COLUMNS)
    return Row(kwargs, dict(zip(COLUMNS, codes, strict=True)), post, query)


NONE = None  # URL without parameters


def CASE(w):
    return {"public_id": w.case.public_id}


def PERSON(w):
    return {"public_id": w.person.public_id}


def INTAKE(w):
    return {"request_id": w.intake.public_id}


def APPOINTMENT(w):
    return {"appointment_id": w.appointment.public_id}


def case_and(name, attr):
    return lambda w: {"public_id": w.case.public_id, name: getattr(w, attr).public_id}


def _partners(w) -> dict:
    """The partner directory's objects, made once per world: a local partner of the
    organisation with a service and a contact, an import, and a referral of the case with
    its consent."""
    if "referral" not in w.extra:
        from relais.partners import services as partner_services

        alice = w.users["ref"]
        partner = factories.PartnerFactory(organisation=w.case.organisation)
        consent = factories.ConsentFactory(
            referral=factories.ReferralFactory(case=w.case, partner=partner, created_by=alice)
        )
        w.extra.update(
            partner=partner,
            partner_service=factories.PartnerServiceFactory(partner=partner),
            contact=factories.ContactFactory(partner=partner),
            directory_import=partner_services.directory_import_create(
                by=w.users["adm"],
                organisation=w.case.organisation,
                format="json",
                structures=("structures.json", b"[]"),
                services=None,
            ),
            referral=consent.referral,
            consent=consent,
        )
    return w.extra


def partners_obj(key, kwarg="public_id"):
    return lambda w: {kwarg: _partners(w)[key].public_id}


def CASE_REFERRAL(w):
    return {"case_id": w.case.public_id}


def REPORT_CASE(w):
    return {"case_id": w.case.public_id}


def REPORT(w):
    """A finalised (signed) report of the case."""
    return {"report_id": w.extra["report"].public_id}


def DRAFT(w):
    return {"report_id": w.extra["draft"].public_id}


def COPY_PERSON(w):
    return {"person_id": w.person.public_id}


def COPY(w):
    """A copy of the person's file under review, with one redaction."""
    return {"copy_id": w.extra["copy"].public_id}


def REDACTION(w):
    return {**COPY(w), "redaction_id": w.extra["redaction"].public_id}


def DOCUMENT(w):
    return {"document_id": w.extra["document"].public_id}


# fmt: off
MATRIX: dict[str, Row] = {
    #                                                  ref  col  sec  man  emp  sup  adm  oth  anon
    # Login, account, errors
    "login":                          row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 200),
    "logout":                         row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 302,
                                          post=True),
    "password_change":                row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "password_change_done":           row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "health":                         row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 200),
    "home":                           row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "security:two_factor_verify":     row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 302),
    "security:two_factor_setup":      row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "security:account":               row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "security:backup_codes_renew":    row(NONE,        403, 403, 403, 403, 403, 403, 403, 403, 302,
                                          post=True),
    # Secrecy: break-glass, supervision, access log
    "security:break_glass":           row(CASE,        302, 200, 403, 200, 403, 403, 403, 404, 302),
    "security:supervision_share":     row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "security:supervision_revoke":    row(lambda w: {"public_id": w.supervision.public_id},
                                                       302, 404, 404, 404, 404, 403, 404, 404, 302,
                                          post=True),
    "security:supervision_list":      row(NONE,        403, 403, 403, 403, 403, 200, 403, 403, 302),
    "security:supervision_case":      row(lambda w: {"public_id": w.supervision.public_id},
                                                       403, 403, 403, 403, 403, 200, 403, 403, 302),
    "audit:access_log":               row(NONE,        403, 403, 403, 403, 403, 403, 200, 403, 302),
    # Persons
    "people:search":                  row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "people:create":                  row(NONE,        200, 200, 200, 403, 403, 403, 403, 200, 302),
    "people:detail":                  row(PERSON,      200, 200, 200, 200, 403, 403, 403, 404, 302),
    "people:edit_identity":           row(PERSON,      200, 200, 200, 403, 403, 403, 403, 404, 302),
    "people:edit_situation":          row(PERSON,      200, 403, 403, 403, 403, 403, 403, 404, 302),
    "people:member_add":              row(PERSON,      200, 403, 403, 403, 403, 403, 403, 404, 302),
    "people:member_edit":             row(lambda w: {"public_id": w.person.public_id,
                                                     "member_id": w.member.public_id},
                                                       200, 403, 403, 403, 403, 403, 403, 404, 302),
    "people:member_remove":           row(lambda w: {"public_id": w.person.public_id,
                                                     "member_id": w.member.public_id},
                                                       302, 403, 403, 403, 403, 403, 403, 404, 302,
                                          post=True),
    # Intake
    "cases:requests":                 row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:request_create":           row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:request_detail":           row(INTAKE,      200, 404, 200, 200, 404, 404, 404, 404, 302),
    "cases:request_assign":           row(INTAKE,      302, 404, 302, 302, 403, 403, 403, 404, 302,
                                          post=True),
    "cases:request_close":            row(INTAKE,      200, 404, 200, 403, 403, 403, 403, 404, 302),
    "cases:request_convert":          row(INTAKE,      200, 404, 403, 403, 403, 403, 403, 404, 302),
    # Cases
    "cases:caseload":                 row(NONE,        200, 200, 403, 403, 403, 403, 403, 200, 302),
    "cases:open":                     row(NONE,        200, 200, 403, 403, 403, 403, 403, 404, 302,
                                          query=lambda w: f"?personne={w.person.public_id}"),
    "cases:detail":                   row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:edit":                     row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:close":                    row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:reopen":                   row(CASE,        302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "cases:share":                    row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:share_revoke":             row(case_and("share_id", "share"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "cases:intervention_create":      row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:note_create":              row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:note_edit":                row(case_and("note_id", "note"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:plan_create":              row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:plan_detail":              row(case_and("plan_id", "plan"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:goal_add":                 row(case_and("plan_id", "plan"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:plan_review":              row(case_and("plan_id", "plan"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:goal_edit":                row(case_and("goal_id", "goal"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:action_add":               row(case_and("goal_id", "goal"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:action_edit":              row(case_and("action_id", "action"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:aid_create":               row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:aid_edit":                 row(case_and("aid_id", "aid"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    # Tasks, agenda, appointments
    "cases:case_task_create":         row(CASE,        200, 404, 404, 404, 403, 403, 403, 404, 302),
    "cases:tasks":                    row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:task_create":              row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:task_complete":            row(lambda w: {"task_id": w.task.public_id},
                                                       302, 404, 404, 403, 404, 404, 404, 404, 302,
                                          post=True),
    "cases:agenda":                   row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:appointment_create":       row(NONE,        200, 200, 200, 403, 403, 403, 403, 200, 302),
    "cases:appointment_cancel":       row(APPOINTMENT, 302, 404, 302, 403, 404, 404, 404, 404, 302,
                                          post=True),
    "cases:appointment_mark":         row(APPOINTMENT, 302, 404, 302, 403, 404, 404, 404, 404, 302,
                                          post=True),
    # Reports, documents, the person's copy of their file
    "reports:case":                   row(REPORT_CASE, 200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:create":                 row(REPORT_CASE, 400, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:detail":                 row(REPORT,      200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:edit":                   row(REPORT,      302, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:finalise":               row(DRAFT,       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:amend":                  row(REPORT,      302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:deliver":                row(REPORT,      302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:version":                row(lambda w: {**REPORT(w), "number": 1},
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:pdf":                    row(REPORT,      200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:docx":                   row(REPORT,      200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:person_copies":          row(COPY_PERSON, 200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:copy_start":             row(COPY_PERSON, 302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:copy_review":            row(COPY,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:copy_unredact":          row(REDACTION,
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:copy_produce":           row(COPY,        302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:copy_cancel":            row(COPY,        302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "reports:copy_download":          row(lambda w: {"copy_id": w.extra["produced_copy"].public_id,
                                                     "fmt": "pdf"},
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "documents:case":                 row(REPORT_CASE, 200, 404, 404, 404, 404, 404, 404, 404, 302),
    "documents:person":               row(COPY_PERSON, 200, 404, 404, 404, 404, 404, 404, 404, 302),
    "documents:download":             row(DOCUMENT,    200, 404, 404, 404, 404, 404, 404, 404, 302),
    "documents:delete":               row(DOCUMENT,    200, 404, 404, 404, 404, 404, 404, 404, 302),
    # Statistics: aggregates only; another organisation's user sees their own (200)
    "stats:index":                    row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:export":                   row(lambda w: {"table": "personnes-sexe", "fmt": "csv"},
                                                       200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:report":                   row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:report_pdf":               row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:settings":                 row(NONE,        403, 403, 403, 200, 403, 403, 200, 403, 302),
    # Partner directory and referrals (orientations)
    "partners:directory":             row(NONE,        200, 200, 200, 200, 403, 403, 200, 200, 302),
    "partners:partner_create":        row(NONE,        200, 200, 403, 200, 403, 403, 200, 200, 302),
    "partners:partner_detail":        row(partners_obj("partner"),
                                                       200, 200, 200, 200, 403, 403, 200, 404, 302),
    "partners:partner_edit":          row(partners_obj("partner"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:service_create":        row(partners_obj("partner"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:service_edit":          row(partners_obj("partner_service"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:contact_create":        row(partners_obj("partner"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:contact_edit":          row(partners_obj("contact"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:import":                row(NONE,        403, 403, 403, 200, 403, 403, 200, 403, 302),
    "partners:import_detail":         row(partners_obj("directory_import"),
                                                       403, 403, 403, 200, 403, 403, 200, 403, 302),
    "partners:referrals":             row(NONE,        200, 200, 403, 302, 403, 403, 403, 200, 302),
    "partners:outcomes":              row(NONE,        403, 403, 403, 200, 403, 403, 403, 403, 302),
    "partners:case_referrals":        row(CASE_REFERRAL,
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_new":          row(CASE_REFERRAL,
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_detail":       row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_edit":         row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:consent_new":           row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:consent_withdraw":      row(partners_obj("consent"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "partners:referral_send":         row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_answer":       row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:letter_edit":           row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:letter_print":          row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:letter_pdf":            row(partners_obj("referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
}
# fmt: on


# --- The world ---------------------------------------------------------------------------


@pytest.fixture
def world(db) -> World:
    organisation = factories.OrganisationFactory()
    other = factories.OrganisationFactory(name="Autre service")
    employer = factories.EmployerFactory(organisation=organisation)

    def user(role, org=organisation, **extra):
        return factories.UserFactory(organisation=org, role=role, **extra)

    users = {
        "ref": user(Role.SOCIAL_WORKER),
        "col": user(Role.SOCIAL_WORKER),
        "sec": user(Role.SECRETARY),
        "man": user(Role.MANAGER),
        "emp": user(Role.EMPLOYER_VIEWER, employer=employer),
        "sup": user(Role.SUPERVISOR),
        "adm": user(Role.ADMIN),
        "oth": user(Role.SOCIAL_WORKER, org=other),
        "anon": None,
    }
    alice = users["ref"]
    household = factories.HouseholdFactory(organisation=organisation)
    person = factories.PersonFactory(
        organisation=organisation, employer=employer, household=household
    )
    member = factories.HouseholdMemberFactory(household=household)
    case = factories.CaseFactory(person=person, referent=alice)
    # Shared with a third colleague (not a column), so that ``col`` stays without access.
    share = factories.CaseShareFactory(
        case=case, shared_by=alice, shared_with=factories.UserFactory(organisation=organisation)
    )
    supervision = factories.SupervisionShareFactory(
        case=case, shared_by=alice, supervisor=users["sup"]
    )
    intervention = factories.InterventionFactory(case=case, author=alice)
    note = factories.NoteFactory(case=case, author=alice, intervention=intervention)
    goal = factories.GoalFactory(plan__case=case)
    world = World(
        users=users,
        employer=employer,
        person=person,
        member=member,
        case=case,
        share=share,
        supervision=supervision,
        intervention=intervention,
        note=note,
        plan=goal.plan,
        goal=goal,
        action=factories.ActionFactory(goal=goal),
        aid=factories.FinancialAidFactory(case=case, created_by=alice),
        task=factories.TaskFactory(case=case, assignee=alice),
        appointment=factories.AppointmentFactory(
            person=person,
            case=case,
            worker=alice,
            starts_at=timezone.now() + datetime.timedelta(days=1),
        ),
        intake=factories.RequestFactory(person=person, received_by=users["sec"], assigned_to=alice),
    )
    world.extra.update(_reports_and_documents(world))
    return world


def _reports_and_documents(w: World) -> dict:
    from relais.documents import services as document_services
    from relais.documents.validation import InspectedFile
    from relais.reports import services as report_services
    from relais.reports.selectors import report_templates
    from tests.documents.files import pdf_bytes

    alice = w.users["ref"]
    template = report_templates(w.case.organisation_id)[0]
    report = report_services.report_create(by=alice, case=w.case, template=template)
    report_services.report_finalise(by=alice, report=report)
    draft = report_services.report_create(by=alice, case=w.case, template=template)
    person_copy = report_services.person_copy_start(by=alice, person=w.person)
    redaction = report_services.person_copy_redact(
        by=alice,
        person_copy=person_copy,
        item_key=f"note:{w.note.public_id}:body",
        item_label="Note",
        excerpt="",
        reason="confided",
        justification="Propos d'un voisin",
    )
    produced = report_services.person_copy_start(by=alice, person=w.person)
    report_services.person_copy_produce(by=alice, person_copy=produced)
    document = document_services.document_upload(
        by=alice,
        person=w.person,
        case=w.case,
        file=InspectedFile(pdf_bytes(), "application/pdf", "pdf", "bulletin.pdf"),
        kind="payslip",
        title="Bulletin",
    )
    return {
        "report": report,
        "draft": draft,
        "copy": person_copy,
        "redaction": redaction,
        "produced_copy": produced,
        "document": document,
    }


# --- Every URL of the project ----------------------------------------------------------


def url_names() -> dict[str, URLPattern]:
    found = {}

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                inner = f"{namespace}:{ns}" if namespace and ns else ns or namespace
                walk(pattern.url_patterns, inner)
            else:
                name = pattern.name or f"<sans nom : {pattern.pattern}>"
                found[f"{namespace}:{name}" if namespace else name] = pattern

    walk(get_resolver().url_patterns)
    return found


def _request(world: World, name: str, spec: Row, who: str, method: str) -> int:
    client = Client()
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    kwargs = spec.kwargs(world) if spec.kwargs else {}
    url = reverse(name, kwargs=kwargs) + (spec.query(world) if spec.query else "")
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response.status_code


def _suggested_row(world: World, name: str) -> str:
    spec = Row(None, {})
    try:
        codes = [str(_request(world, name, spec, who, "GET")) for who in COLUMNS]
    except Exception as error:  # a URL with parameters: the row needs its kwargs
        return f'    "{name}": row(<kwargs>, ...),  # {type(error).__name__}'
    return f'    "{name}": row(NONE, {", ".join(codes)}),  # observed: check before pasting'


def test_every_url_has_a_row_in_the_matrix(world):
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, (
        "URL sans ligne dans la matrice d'autorisation (tests/test_authorization_matrix.py) :\n"
        + "\n".join(_suggested_row(world, name) for name in missing)
    )


def test_the_matrix_has_no_stale_rows():
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"Lignes de la matrice pour des URL qui n'existent plus : {stale}"


def test_every_role_gets_what_the_matrix_says(world):
    names = url_names()
    mismatches = []
    for name, spec in sorted(MATRIX.items()):
        if name not in names:
            continue
        method = "POST" if spec.post else "GET"
        for who in COLUMNS:
            got = _request(world, name, spec, who, method)
            if got != spec.expected[who]:
                expected = spec.expected[who]
                mismatches.append(f"{name:34} {method:4} {who:5} attendu {expected}, obtenu {got}")
    assert not mismatches, "\n" + "\n".join(mismatches)


REFUSED = {403, 404}


def test_a_user_refused_on_get_is_refused_on_post(world):
    names = url_names()
    leaks = []
    for name, spec in sorted(MATRIX.items()):
        if name not in names or spec.post:
            continue
        for who in COLUMNS:
            if spec.expected[who] in REFUSED:
                got = _request(world, name, spec, who, "POST")
                if got not in REFUSED | {405}:
                    leaks.append(f"{name:34} POST {who:5} refusé en GET, obtenu {got} en POST")
    assert not leaks, "\n" + "\n".join(leaks)


def test_anonymous_visitors_only_reach_the_public_pages(world):
    public = {name for name, spec in MATRIX.items() if spec.expected["anon"] not in {302, 405}}
    assert public == {"login", "health"}
