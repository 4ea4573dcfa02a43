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
import uuid
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


# The API checks the token before anything else: any well-formed id will do.
TOKEN_ONLY = (401,) * len(COLUMNS)
NO_GET_OR_POST = (405,) * len(COLUMNS)


def API(*names):
    return lambda w: dict.fromkeys(names, uuid.UUID(int=1))


def TOKEN(w):
    """An API token of alice (the referent), made once for the whole table."""
    if "token" not in w.extra:
        from relais.api.services import api_token_create

        w.extra["token"], _ = api_token_create(by=w.users["ref"], name="Matrice")
    return {"token_id": w.extra["token"].public_id}


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
    # Statistics: aggregates only; another organisation's user sees their own (200)
    "stats:index":                    row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:export":                   row(lambda w: {"table": "personnes-sexe", "fmt": "csv"},
                                                       200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:report":                   row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:report_pdf":               row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:settings":                 row(NONE,        403, 403, 403, 200, 403, 403, 200, 403, 302),
    # API (/api/v1/): a personal token in the Authorization header, never the session, so
    # every logged-in browser gets 401 too. What each role may do with a token is tested
    # endpoint by endpoint in tests/api/test_authorization_matrix.py and
    # tests/api/test_write_matrix.py. PATCH-only URLs answer 405 to GET and POST.
    "api_root":                       row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 302),
    "api_docs":                       row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api_not_found":                  row(NONE,        404, 404, 404, 404, 404, 404, 404, 404, 404),
    "profile":                        row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "api_token_revoke":               row(TOKEN,       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          post=True),
    "api-v1:add_action":              row(API("plan_id", "goal_id"), *TOKEN_ONLY, post=True),
    "api-v1:add_goal":                row(API("plan_id"), *TOKEN_ONLY, post=True),
    "api-v1:add_household_member":    row(API("person_id"), *TOKEN_ONLY, post=True),
    "api-v1:add_note":                row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:api-root":                row(NONE, *([302] * 9)),
    "api-v1:assign_request":          row(API("request_id"), *TOKEN_ONLY, post=True),
    "api-v1:book_appointment":        row(NONE, *TOKEN_ONLY),
    "api-v1:cancel_appointment":      row(API("appointment_id"), *TOKEN_ONLY, post=True),
    "api-v1:close_case":              row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:close_request":           row(API("request_id"), *TOKEN_ONLY, post=True),
    "api-v1:complete_task":           row(API("task_id"), *TOKEN_ONLY, post=True),
    "api-v1:convert_request":         row(API("request_id"), *TOKEN_ONLY, post=True),
    "api-v1:create_person":           row(NONE, *TOKEN_ONLY),
    "api-v1:create_plan":             row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:create_referral":         row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:create_task":             row(NONE, *TOKEN_ONLY),
    "api-v1:decide_aid":              row(API("aid_id"), *TOKEN_ONLY, post=True),
    "api-v1:get_aid":                 row(API("aid_id"), *TOKEN_ONLY),
    "api-v1:get_appointment":         row(API("appointment_id"), *TOKEN_ONLY),
    "api-v1:get_case":                row(API("case_id"), *TOKEN_ONLY),
    "api-v1:get_employer":            row(API("employer_id"), *TOKEN_ONLY),
    "api-v1:get_household":           row(API("person_id"), *TOKEN_ONLY),
    "api-v1:get_intervention":        row(API("intervention_id"), *TOKEN_ONLY),
    "api-v1:get_note":                row(API("note_id"), *TOKEN_ONLY),
    "api-v1:get_partner":             row(API("partner_id"), *TOKEN_ONLY),
    "api-v1:get_person":              row(API("person_id"), *TOKEN_ONLY),
    "api-v1:get_plan":                row(API("plan_id"), *TOKEN_ONLY),
    "api-v1:get_referral":            row(API("referral_id"), *TOKEN_ONLY),
    "api-v1:get_request":             row(API("request_id"), *TOKEN_ONLY),
    "api-v1:get_task":                row(API("task_id"), *TOKEN_ONLY),
    "api-v1:list_aids":               row(NONE, *TOKEN_ONLY),
    "api-v1:list_appointments":       row(NONE, *TOKEN_ONLY),
    "api-v1:list_cases":              row(NONE, *TOKEN_ONLY),
    "api-v1:list_concerns":           row(NONE, *TOKEN_ONLY),
    "api-v1:list_employers":          row(NONE, *TOKEN_ONLY),
    "api-v1:list_establishments":     row(NONE, *TOKEN_ONLY),
    "api-v1:list_interventions":      row(NONE, *TOKEN_ONLY),
    "api-v1:list_notes":              row(NONE, *TOKEN_ONLY),
    "api-v1:list_partners":           row(NONE, *TOKEN_ONLY),
    "api-v1:list_persons":            row(NONE, *TOKEN_ONLY),
    "api-v1:list_plans":              row(NONE, *TOKEN_ONLY),
    "api-v1:list_referrals":          row(NONE, *TOKEN_ONLY),
    "api-v1:list_requests":           row(NONE, *TOKEN_ONLY),
    "api-v1:list_tasks":              row(NONE, *TOKEN_ONLY),
    "api-v1:list_teams":              row(NONE, *TOKEN_ONLY),
    "api-v1:mark_appointment":        row(API("appointment_id"), *TOKEN_ONLY, post=True),
    "api-v1:me":                      row(NONE, *TOKEN_ONLY),
    "api-v1:open_case":               row(API("person_id"), *TOKEN_ONLY, post=True),
    "api-v1:openapi-json":            row(NONE, *([200] * 9)),
    "api-v1:record_consent":          row(API("referral_id"), *TOKEN_ONLY, post=True),
    "api-v1:record_intervention":     row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:record_request":          row(API("person_id"), *TOKEN_ONLY, post=True),
    "api-v1:reopen_case":             row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:request_aid":             row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:review_plan":             row(API("plan_id"), *TOKEN_ONLY, post=True),
    "api-v1:revoke_share":            row(API("case_id", "share_id"), *TOKEN_ONLY, post=True),
    "api-v1:send_referral":           row(API("referral_id"), *TOKEN_ONLY, post=True),
    "api-v1:set_referral_status":     row(API("referral_id"), *TOKEN_ONLY, post=True),
    "api-v1:share_case":              row(API("case_id"), *TOKEN_ONLY, post=True),
    "api-v1:statistics":              row(NONE, *TOKEN_ONLY),
    "api-v1:update_action":           row(API("plan_id", "action_id"), *NO_GET_OR_POST),
    "api-v1:update_aid_status":       row(API("aid_id"), *TOKEN_ONLY, post=True),
    "api-v1:update_case":             row(API("case_id"), *TOKEN_ONLY),
    "api-v1:update_goal":             row(API("plan_id", "goal_id"), *NO_GET_OR_POST),
    "api-v1:update_note":             row(API("note_id"), *TOKEN_ONLY),
    "api-v1:update_person_identity":  row(API("person_id"), *TOKEN_ONLY),
    "api-v1:update_person_situation": row(API("person_id"), *NO_GET_OR_POST),
    "api-v1:withdraw_consent":        row(API("consent_id"), *TOKEN_ONLY, post=True),
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
    return World(
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
    # 401 is the API's "authenticate first" (its login redirect); 404 shows nothing.
    refused = {302, 401, 404, 405}
    public = {name for name, spec in MATRIX.items() if spec.expected["anon"] not in refused}
    # The API's documentation and schema describe no data: public on purpose.
    assert public == {"login", "health", "api_docs", "api-v1:openapi-json"}
