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

Each row is tried with its method (GET unless ``method=`` says otherwise: an action that
only accepts POST, or an API write) and an empty body. For every GET row, a user refused
(403 or 404) must be refused on POST too. Pages are opened with a session; API endpoints
(``api-v1:…``) with the user's bearer token (anonymous: no token). Each request runs in a
transaction rolled back after it, so a write by one user changes nothing for the next.
"""

import datetime
import re
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
    """The objects the URLs point at (built by ``build_world``). Add what a new URL needs."""

    users: dict
    tokens: dict
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

    def __getattr__(self, name):
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Row:
    kwargs: Callable[[World], dict] | None
    expected: dict
    method: str = "GET"
    query: Callable[[World], str] | None = None


def row(kwargs, *codes, method="GET", query=None) -> Row:
    assert len(codes) == len(COLUMNS), "one code per column: " + " ".join(COLUMNS)
    return Row(kwargs, dict(zip(COLUMNS, codes, strict=True)), method, query)


NONE = None  # URL without parameters


def CASE(w):
    return {"public_id": w.case.public_id}


def PERSON(w):
    return {"public_id": w.person.public_id}


def K(**names):
    """URL kwargs from the world's objects: ``K(case_id="case")`` gives the case's public id;
    a function gives its own value: ``K(number=text(1))``."""

    def build(w):
        return {
            key: value(w) if callable(value) else getattr(w, value).public_id
            for key, value in names.items()
        }

    return build


def text(value):
    return lambda w: value


def MONTH(w):
    return w.budget.month


CASE_ID = K(case_id="case")
PERSON_ID = K(person_id="person")
BUDGET_LINE = K(case_id="case", month=MONTH, line_id="budget_line")
BUDGET_NEW_LINE = K(case_id="case", month=MONTH, kind=text("resource"))
STATS_TABLE = K(table=text("demandes-origine"), fmt=text("csv"))


GROUP = K(public_id="group_action")


def INTAKE(w):
    return {"request_id": w.intake.public_id}


def APPOINTMENT(w):
    return {"appointment_id": w.appointment.public_id}


def case_and(name, attr):
    return lambda w: {"public_id": w.case.public_id, name: getattr(w, attr).public_id}


# fmt: off
MATRIX: dict[str, Row] = {
    #                                                  ref  col  sec  man  emp  sup  adm  oth  anon
    # Login, account, errors
    "login":                          row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 200),
    "logout":                         row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 302,
                                          method="POST"),
    "password_change":                row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "password_change_done":           row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "health":                         row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 200),
    "home":                           row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    # Each user's own drafts only: nothing of anyone else can be asked for.
    "drafts:drafts":                  row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "security:two_factor_verify":     row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 302),
    "security:two_factor_setup":      row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "security:account":               row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    "security:backup_codes_renew":    row(NONE,        403, 403, 403, 403, 403, 403, 403, 403, 302,
                                          method="POST"),
    # Secrecy: break-glass, supervision, access log
    "security:break_glass":           row(CASE,        302, 200, 403, 200, 403, 403, 403, 404, 302),
    "security:supervision_share":     row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "security:supervision_revoke":    row(lambda w: {"public_id": w.supervision.public_id},
                                                       302, 404, 404, 404, 404, 403, 404, 404, 302,
                                          method="POST"),
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
                                          method="POST"),
    # Intake
    "cases:requests":                 row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:request_create":           row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:request_detail":           row(INTAKE,      200, 404, 200, 200, 404, 404, 404, 404, 302),
    "cases:request_assign":           row(INTAKE,      302, 404, 302, 302, 403, 403, 403, 404, 302,
                                          method="POST"),
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
                                          method="POST"),
    "cases:share":                    row(CASE,        200, 404, 404, 404, 404, 404, 404, 404, 302),
    "cases:share_revoke":             row(case_and("share_id", "share"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
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
                                          method="POST"),
    "cases:agenda":                   row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "cases:appointment_create":       row(NONE,        200, 200, 200, 403, 403, 403, 403, 200, 302),
    "cases:appointment_cancel":       row(APPOINTMENT, 302, 404, 302, 403, 404, 404, 404, 404, 302,
                                          method="POST"),
    "cases:appointment_mark":         row(APPOINTMENT, 302, 404, 302, 403, 404, 404, 404, 404, 302,
                                          method="POST"),
    # API: bearer token. With an empty JSON body, writes answer 422 before any lookup;
    # their authorization is tested with real bodies in tests/api/test_write_matrix.py.
    "api_root":                       row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 302),
    "api_docs":                       row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-v1:openapi-json":            row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-v1:me":                      row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 401),
    "api-v1:list_teams":              row(NONE,        200, 200, 200, 200, 403, 403, 200, 200, 401),
    "api-v1:list_employers":          row(NONE,        200, 200, 200, 200, 403, 403, 200, 200, 401),
    "api-v1:get_employer":            row(K(employer_id="employer"),
                                                       200, 200, 200, 200, 403, 403, 200, 404, 401),
    "api-v1:list_establishments":     row(NONE,        200, 200, 200, 200, 403, 403, 200, 200, 401),
    "api-v1:list_concerns":           row(NONE,        200, 200, 200, 200, 403, 403, 200, 200, 401),
    "api-v1:list_persons":            row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 401),
    "api-v1:create_person":           row(NONE,        422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:get_person":              row(PERSON_ID,   200, 200, 200, 200, 403, 403, 403, 404, 401),
    "api-v1:update_person_identity":  row(PERSON_ID,   200, 200, 200, 403, 403, 403, 403, 404, 401,
                                          method="PATCH"),
    "api-v1:get_household":           row(PERSON_ID,   200, 404, 404, 404, 403, 403, 403, 404, 401),
    "api-v1:update_person_situation": row(PERSON_ID,   200, 403, 403, 403, 403, 403, 403, 404, 401,
                                          method="PATCH"),
    "api-v1:add_household_member":    row(PERSON_ID,   422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:list_requests":           row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 401),
    "api-v1:get_request":             row(K(request_id="intake"),
                                                       200, 404, 200, 200, 403, 403, 403, 404, 401),
    "api-v1:record_request":          row(PERSON_ID,   422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:assign_request":          row(K(request_id="intake"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:close_request":           row(K(request_id="intake"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:convert_request":         row(K(request_id="intake"),
                                                       200, 404, 403, 403, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:list_cases":              row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 401),
    "api-v1:get_case":                row(CASE_ID,     200, 404, 403, 404, 403, 403, 403, 404, 401),
    "api-v1:update_case":             row(CASE_ID,     200, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="PATCH"),
    "api-v1:open_case":               row(PERSON_ID,   201, 201, 403, 403, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:close_case":              row(CASE_ID,     422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:reopen_case":             row(CASE_ID,     409, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:share_case":              row(CASE_ID,     422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:revoke_share":            row(K(case_id="case", share_id="share"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:list_interventions":      row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 401),
    "api-v1:get_intervention":        row(K(intervention_id="intervention"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401),
    "api-v1:list_notes":              row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 401),
    "api-v1:get_note":                row(K(note_id="note"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401),
    "api-v1:update_note":             row(K(note_id="note"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="PATCH"),
    "api-v1:record_intervention":     row(CASE_ID,     422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:add_note":                row(CASE_ID,     422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:list_plans":              row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 401),
    "api-v1:get_plan":                row(K(plan_id="plan"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401),
    "api-v1:create_plan":             row(CASE_ID,     201, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:add_goal":                row(K(plan_id="plan"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:update_goal":             row(K(plan_id="plan", goal_id="goal"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="PATCH"),
    "api-v1:add_action":              row(K(plan_id="plan", goal_id="goal"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:update_action":           row(K(plan_id="plan", action_id="action"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="PATCH"),
    "api-v1:review_plan":             row(K(plan_id="plan"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:list_tasks":              row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 401),
    "api-v1:create_task":             row(NONE,        422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:get_task":                row(K(task_id="task"),
                                                       200, 404, 403, 200, 403, 403, 403, 404, 401),
    "api-v1:list_appointments":       row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 401),
    "api-v1:book_appointment":        row(NONE,        422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:get_appointment":         row(K(appointment_id="appointment"),
                                                       200, 404, 200, 200, 403, 403, 403, 404, 401),
    "api-v1:complete_task":           row(K(task_id="task"),
                                                       200, 404, 403, 403, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:cancel_appointment":      row(K(appointment_id="appointment"),
                                                       200, 404, 200, 403, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:mark_appointment":        row(K(appointment_id="appointment"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:list_aids":               row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 401),
    "api-v1:get_aid":                 row(K(aid_id="aid"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401),
    "api-v1:request_aid":             row(CASE_ID,     422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:update_aid_status":       row(K(aid_id="aid"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:decide_aid":              row(K(aid_id="aid"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    # API: partners, referrals, consents, statistics


    "api-v1:list_partners":           row(NONE,        200, 200, 200, 200, 403, 403, 200, 200, 401),
    "api-v1:get_partner":             row(K(partner_id="partner"),
                                                       200, 200, 200, 200, 403, 403, 200, 404, 401),
    "api-v1:list_referrals":          row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 401),
    "api-v1:get_referral":            row(K(referral_id="referral"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401),
    "api-v1:create_referral":         row(CASE_ID,     422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:record_consent":          row(K(referral_id="referral"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:send_referral":           row(K(referral_id="referral"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:set_referral_status":     row(K(referral_id="referral"),
                                                       422, 422, 422, 422, 422, 422, 422, 422, 401,
                                          method="POST"),
    "api-v1:withdraw_consent":        row(K(consent_id="consent"),
                                                       200, 404, 403, 404, 403, 403, 403, 404, 401,
                                          method="POST"),
    "api-v1:statistics":              row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 401),
    "api-v1:api-root":                row(NONE,        302, 302, 302, 302, 302, 302, 302, 302, 302),
    "api_not_found":                  row(NONE,        404, 404, 404, 404, 404, 404, 404, 404, 404),
    # Account and API tokens
    "profile":                        row(NONE,        200, 200, 200, 200, 200, 200, 200, 200, 302),
    # API: bearer token. With an empty JSON body, writes answer 422 before any lookup;
    # their authorization is tested with real bodies in tests/api/test_write_matrix.py.
    "api_token_revoke":               row(K(token_id="alice_token"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    # Reports and the person's copy
    "reports:case":                   row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:create":                 row(CASE_ID,     400, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:detail":                 row(K(report_id="report"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:edit":                   row(K(report_id="report"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:finalise":               row(K(report_id="report"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:amend":                  row(K(report_id="report"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:deliver":                row(K(report_id="report"),
                                                       403, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:version":                row(K(report_id="report", number=text(1)),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:pdf":                    row(K(report_id="report"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:docx":                   row(K(report_id="report"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:person_copies":          row(PERSON_ID,   200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:copy_start":             row(PERSON_ID,   302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:copy_review":            row(K(copy_id="person_copy"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "reports:copy_unredact":          row(K(copy_id="person_copy", redaction_id="redaction"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:copy_produce":           row(K(copy_id="person_copy"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:copy_cancel":            row(K(copy_id="person_copy"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "reports:copy_download":          row(K(copy_id="produced_copy", fmt=text("pdf")),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    # Documents
    "documents:case":                 row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "documents:person":               row(PERSON_ID,   200, 404, 404, 404, 404, 404, 404, 404, 302),
    "documents:download":             row(K(document_id="document"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "documents:delete":               row(K(document_id="document"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    # Partners, referrals, consents
    "partners:directory":             row(NONE,        200, 200, 200, 200, 403, 403, 200, 200, 302),
    "partners:partner_create":        row(NONE,        200, 200, 403, 200, 403, 403, 200, 200, 302),
    "partners:import":                row(NONE,        403, 403, 403, 200, 403, 403, 200, 403, 302),
    "partners:import_detail":         row(K(public_id="directory_import"),
                                                       403, 403, 403, 200, 403, 403, 200, 403, 302),
    "partners:partner_detail":        row(K(public_id="partner"),
                                                       200, 200, 200, 200, 403, 403, 200, 404, 302),
    "partners:partner_edit":          row(K(public_id="partner"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:service_create":        row(K(public_id="partner"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:service_edit":          row(K(public_id="partner_service"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:contact_create":        row(K(public_id="partner"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:contact_edit":          row(K(public_id="contact"),
                                                       200, 200, 403, 200, 403, 403, 200, 404, 302),
    "partners:referrals":             row(NONE,        200, 200, 403, 302, 403, 403, 403, 200, 302),
    "partners:outcomes":              row(NONE,        403, 403, 403, 200, 403, 403, 403, 403, 302),
    "partners:case_referrals":        row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_new":          row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_detail":       row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_edit":         row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:consent_new":           row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:consent_withdraw":      row(K(public_id="consent"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "partners:referral_send":         row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:referral_answer":       row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:letter_edit":           row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:letter_print":          row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "partners:letter_pdf":            row(K(public_id="referral"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    # Budget
    "budget:index":                   row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:debts":                   row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:debt_add":                row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:debt_edit":               row(K(case_id="case", debt_id="debt"),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:debt_delete":             row(K(case_id="case", debt_id="debt"),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "budget:seizable":                row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:plan":                    row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:overindebtedness":        row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:overindebtedness_summary":row(CASE_ID,     200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:month":                   row(K(case_id="case", month=MONTH),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:month_create":            row(K(case_id="case", month=MONTH),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "budget:month_note":              row(K(case_id="case", month=MONTH),
                                                       302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "budget:line_add":                row(BUDGET_NEW_LINE,
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:line_edit":               row(BUDGET_LINE, 200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:line_delete":             row(BUDGET_LINE, 302, 404, 404, 404, 404, 404, 404, 404, 302,
                                          method="POST"),
    "budget:together":                row(K(case_id="case", month=MONTH),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:pdf":                     row(K(case_id="case", month=MONTH),
                                                       200, 404, 404, 404, 404, 404, 404, 404, 302),
    "budget:settings":                row(NONE,        403, 403, 403, 200, 403, 403, 200, 403, 302),
    # Statistics
    "stats:index":                    row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:export":                   row(STATS_TABLE, 200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:report":                   row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:report_pdf":               row(NONE,        200, 200, 403, 200, 200, 403, 403, 200, 302),
    "stats:settings":                 row(NONE,        403, 403, 403, 200, 403, 403, 200, 403, 302),
    # Collective actions: alice runs the action; the person she follows is linked to it.
    "groups:list":                    row(NONE,        200, 200, 200, 200, 403, 403, 403, 200, 302),
    "groups:create":                  row(NONE,        200, 200, 403, 200, 403, 403, 403, 200, 302),
    "groups:detail":                  row(GROUP,       200, 200, 200, 200, 403, 403, 403, 404, 302),
    "groups:edit":                    row(GROUP,       200, 403, 403, 200, 403, 403, 403, 404, 302),
    "groups:mark_held":               row(GROUP,       200, 403, 403, 200, 403, 403, 403, 404, 302),
    "groups:cancel":                  row(GROUP,       200, 403, 403, 200, 403, 403, 403, 404, 302),
    "groups:participation_add":       row(GROUP,       200, 403, 403, 403, 403, 403, 403, 404, 302),
    "groups:participation_edit":      row(K(public_id="group_action",
                                            participation_id="participation"),
                                                       302, 403, 403, 403, 403, 403, 403, 404, 302,
                                          method="POST"),
}
# fmt: on


# --- The world ---------------------------------------------------------------------------


def build_world() -> World:
    from relais.api.services import api_token_create
    from relais.documents import services as document_services
    from relais.documents.validation import InspectedFile
    from relais.partners.models import DirectoryImport
    from relais.reports import services as report_services
    from relais.reports.person_file import PersonFileBuilder
    from tests.documents.files import pdf_bytes
    from tests.groups.factories import GroupActionFactory, ParticipationFactory
    from tests.reports.builders import template

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
    tokens, token_rows = {}, {}
    for who, someone in users.items():
        if someone is not None:
            token_rows[who], tokens[who] = api_token_create(by=someone, name="Matrice")
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

    report = report_services.report_create(by=alice, case=case, template=template(organisation))
    produced_copy = report_services.person_copy_start(by=alice, person=person)
    report_services.person_copy_produce(by=alice, person_copy=produced_copy)
    person_copy = report_services.person_copy_start(by=alice, person=person)
    item = PersonFileBuilder(user=alice, person=person).build().items[0]
    redaction = report_services.person_copy_redact(
        by=alice,
        person_copy=person_copy,
        item_key=item.key,
        item_label=item.label,
        excerpt="",
        reason="other_person",
        justification="Tiers",
    )
    document = document_services.document_upload(
        by=alice,
        person=person,
        case=case,
        file=InspectedFile(pdf_bytes(), "application/pdf", "pdf", "bulletin.pdf"),
        kind="payslip",
        title="Bulletin",
    )
    partner = factories.PartnerFactory(organisation=organisation)
    referral = factories.ReferralFactory(case=case, partner=partner, created_by=alice)
    budget = factories.BudgetFactory(person=person, created_by=alice)
    group_action = GroupActionFactory(
        organisation=organisation, created_by=alice, facilitator=alice
    )
    extra = {
        "alice_token": token_rows["ref"],
        "report": report,
        "person_copy": person_copy,
        "produced_copy": produced_copy,
        "redaction": redaction,
        "document": document,
        "partner": partner,
        "partner_service": factories.PartnerServiceFactory(partner=partner),
        "contact": factories.ContactFactory(partner=partner),
        "referral": referral,
        "consent": factories.ConsentFactory(referral=referral, recorded_by=alice),
        "directory_import": DirectoryImport.objects.create(
            organisation=organisation, created_by=users["adm"], format="csv"
        ),
        "budget": budget,
        "budget_line": factories.BudgetLineFactory(budget=budget),
        "debt": factories.DebtFactory(person=person, created_by=alice),
        "group_action": group_action,
        "participation": ParticipationFactory(
            group_action=group_action, person=person, added_by=alice
        ),
    }
    return World(
        users=users,
        tokens=tokens,
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
        extra=extra,
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


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
                found.setdefault(f"{namespace}:{name}" if namespace else name, pattern)

    walk(get_resolver().url_patterns)
    return found


def _request(world: World, name: str, spec: Row, who: str, method: str) -> int:
    client = Client()
    user = world.users[who]
    headers = {}
    if name.startswith("api-v1:"):
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[who]}"
    elif user is not None:
        client.force_login(user)
    kwargs = spec.kwargs(world) if spec.kwargs else {}
    url = reverse(name, kwargs=kwargs) + (spec.query(world) if spec.query else "")
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, **headers)
        elif name.startswith("api-v1:"):
            response = client.generic(method, url, "{}", "application/json", **headers)
        else:
            response = client.post(url, {}, **headers)
        transaction.set_rollback(True)
    return response.status_code


def _guess_method(name: str) -> str:
    operation = name.split(":")[-1]
    if not name.startswith("api-v1:") or operation.startswith(("list_", "get_")):
        return "GET"
    return "PATCH" if operation.startswith("update_") else "POST"


def _suggested_row(world: World, name: str, pattern: URLPattern) -> str:
    """A row to review: kwargs guessed from their names (``referral_id`` → ``w.referral``),
    the codes observed for each column."""
    keys = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
    guess = {key: key.removesuffix("_id") for key in keys}
    kwargs = "NONE" if not keys else "K(" + ", ".join(f'{k}="{v}"' for k, v in guess.items()) + ")"
    method = _guess_method(name)
    spec = Row(K(**guess) if keys else None, {}, method)
    try:
        codes = [str(_request(world, name, spec, who, method)) for who in COLUMNS]
    except Exception as error:
        return f'    "{name}": row({kwargs}, ...),  # {type(error).__name__}: give its kwargs'
    extra = "" if method == "GET" else f', method="{method}"'
    return f'    "{name}": row({kwargs}, {", ".join(codes)}{extra}),  # observed: check them'


def test_every_url_has_a_row_in_the_matrix(world):
    names = url_names()
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, (
        "URL sans ligne dans la matrice d'autorisation (tests/test_authorization_matrix.py) :\n"
        + "\n".join(_suggested_row(world, name, names[name]) for name in missing)
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
        for who in COLUMNS:
            got = _request(world, name, spec, who, spec.method)
            if got != spec.expected[who]:
                expected = spec.expected[who]
                mismatches.append(
                    f"{name:34} {spec.method:5} {who:5} attendu {expected}, obtenu {got}"
                )
    assert not mismatches, "\n" + "\n".join(mismatches)


REFUSED = {401, 403, 404}


def test_a_user_refused_on_get_is_refused_on_post(world):
    names = url_names()
    leaks = []
    for name, spec in sorted(MATRIX.items()):
        # An API path serves several operations (GET lists, POST creates): its writes are
        # rows of their own.
        if name not in names or spec.method != "GET" or name.startswith("api-v1:"):
            continue
        for who in COLUMNS:
            if spec.expected[who] in REFUSED:
                got = _request(world, name, spec, who, "POST")
                if got not in REFUSED | {405}:
                    leaks.append(f"{name:34} POST {who:5} refusé en GET, obtenu {got} en POST")
    assert not leaks, "\n" + "\n".join(leaks)


def test_anonymous_visitors_only_reach_the_public_pages(world):
    public = {name for name, spec in MATRIX.items() if spec.expected["anon"] not in {302, 401, 405}}
    assert public == PUBLIC


# What a visitor who is not logged in may open.
PUBLIC = {"login", "health", "api_docs", "api-v1:openapi-json", "api_not_found"}
