"""A small social file seen from the API: one person followed by alice, with everything."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from relais.cases import enums
from relais.cases.models import Action, Goal, NoteShare, SupportPlan
from tests import factories


@dataclass
class World:
    person: object
    case: object
    intervention: object
    fact_note: object
    assessment_note: object
    plan: object
    task: object
    appointment: object
    aid: object
    request: object
    partner: object = None
    referral: object = None
    consent: object = None


def casework_world(organisation, referent, *, secretary=None) -> World:
    employer = factories.EmployerFactory(organisation=organisation, name="Transports Durand")
    household = factories.HouseholdFactory(organisation=organisation)
    factories.HouseholdMemberFactory(organisation=organisation, household=household)
    person = factories.PersonFactory(
        organisation=organisation,
        last_name="Martin",
        first_name="Hélène",
        employer=employer,
        job_title="Conductrice",
        accommodation="private_tenant",
        income_sources=["salary"],
        household=household,
    )
    case = factories.CaseFactory(organisation=organisation, person=person, referent=referent)
    intervention = factories.InterventionFactory(
        organisation=organisation, case=case, author=referent, place="Bureau"
    )
    fact_note = factories.NoteFactory(
        organisation=organisation, case=case, author=referent, intervention=intervention
    )
    assessment_note = factories.NoteFactory(
        organisation=organisation,
        case=case,
        author=referent,
        kind=enums.NoteKind.ASSESSMENT,
        body="Hypothèse de travail : épuisement lié aux horaires décalés.",
    )
    plan = SupportPlan.objects.create(
        organisation=organisation, case=case, started_on=timezone.localdate()
    )
    goal = Goal.objects.create(
        organisation=organisation, plan=plan, person_words="Ne plus avoir peur des factures"
    )
    Action.objects.create(
        organisation=organisation,
        goal=goal,
        description="Constituer le dossier FSL",
        owner=enums.ActionOwner.TOGETHER,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    task = factories.TaskFactory(organisation=organisation, case=case, assignee=referent)
    appointment = factories.AppointmentFactory(
        organisation=organisation, person=person, case=case, worker=referent
    )
    aid = factories.FinancialAidFactory(organisation=organisation, case=case, created_by=referent)
    request = factories.RequestFactory(
        organisation=organisation,
        person=person,
        case=case,
        received_by=secretary or referent,
        assigned_to=referent,
    )
    partner = factories.PartnerFactory(organisation=organisation, name="CAF de la Gironde")
    factories.PartnerServiceFactory(organisation=organisation, partner=partner)
    factories.ContactFactory(organisation=organisation, partner=partner)
    referral = factories.ReferralFactory(
        organisation=organisation, case=case, partner=partner, created_by=referent
    )
    consent = factories.ConsentFactory(
        organisation=organisation, referral=referral, case=case, recorded_by=referent
    )
    return World(
        person,
        case,
        intervention,
        fact_note,
        assessment_note,
        plan,
        task,
        appointment,
        aid,
        request,
        partner,
        referral,
        consent,
    )


def share_note(note, user):
    NoteShare.objects.create(organisation=note.organisation, note=note, user=user)
