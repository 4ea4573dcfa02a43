"""A complete social file, built with factories, where every item carries a token."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from relais.audit.log import record_access
from relais.audit.models import AccessAction
from relais.budget.models import OverindebtednessFile
from relais.cases.models import Action, CaseConcern, Goal, SupportPlan
from relais.documents import services as document_services
from relais.documents.validation import InspectedFile
from relais.reports import services as report_services
from relais.reports.selectors import report_templates
from tests import factories
from tests.documents.files import pdf_bytes


@dataclass
class FullFile:
    person: object
    case: object
    other_case: object
    report: object
    tokens: dict[str, str] = field(default_factory=dict)


def template(organisation, code="rapport-social"):
    return next(t for t in report_templates(organisation.pk) if t.code == code)


def rich_case(alice, **person_fields):
    organisation = alice.membership.organisation
    household = factories.HouseholdFactory(organisation=organisation)
    person = factories.PersonFactory(
        organisation=organisation,
        civility="mme",
        first_name="Élodie",
        last_name="Lefèvre",
        sex="f",
        birth_date=datetime.date(1985, 6, 2),
        job_title="Conductrice de bus",
        contract_kind="cdi",
        working_time="full_time",
        hired_on=datetime.date(2012, 9, 1),
        work_situation="sick_leave",
        work_situation_since=datetime.date(2026, 1, 5),
        accommodation="private_tenant",
        family_situation="single_parent",
        income_sources=["salary", "family_benefits"],
        household=household,
        city="Bègles",
        **person_fields,
    )
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Noé",
        last_name="Lefèvre",
        relation="child",
        birth_date=datetime.date(2016, 4, 3),
    )
    case = factories.CaseFactory(person=person, referent=alice)
    return case


def full_file(alice, bob) -> FullFile:
    """Every kind of item the person's copy must contain, each with a distinctive token."""
    organisation = alice.membership.organisation
    tokens = {
        "person": "Quenouille",
        "member": "Ysaline",
        "request": "Azimut",
        "loose_request": "Borealis",
        "participants": "Cormoran",
        "fact_note": "Dromadaire",
        "assessment_note": "Esperluette",
        "colleague_assessment": "Farandole",
        "plan_review": "Galopin",
        "goal": "Hibiscus",
        "action": "Ibis",
        "aid": "Jonquille",
        "task": "Kiosque",
        "report_section": "Lampadaire",
        "report_opinion": "Mandoline",
        "document": "Nenuphar",
        "loose_document": "Origami",
        "appointment_place": "Pergola",
        "concern": "Quetsche",
        "referral_request": "Rhododendron",
        "referral_outcome": "Saxophone",
        "consent_note": "Tamarin",
        "budget_line": "Ukulele",
        "debt": "Vermicelle",
        "overindebtedness": "Wapiti",
    }
    household = factories.HouseholdFactory(organisation=organisation)
    person = factories.PersonFactory(
        organisation=organisation,
        last_name=tokens["person"],
        first_name="Inès",
        phone="0601020304",
        household=household,
        income_sources=["salary"],
        accommodation="social_tenant",
    )
    factories.HouseholdMemberFactory(
        household=household, first_name=tokens["member"], relation="spouse"
    )
    case = factories.CaseFactory(person=person, referent=alice)
    concern = factories.ConcernFactory(organisation=organisation, label=tokens["concern"])
    CaseConcern.objects.create(organisation=organisation, case=case, concern=concern)
    factories.RequestFactory(
        person=person, case=case, summary=f"Demande {tokens['request']} au sujet du loyer."
    )
    factories.RequestFactory(person=person, summary=f"Appel {tokens['loose_request']}.")
    intervention = factories.InterventionFactory(
        case=case, author=alice, participants=f"sœur {tokens['participants']}"
    )
    factories.NoteFactory(
        case=case, author=alice, intervention=intervention, body=f"Fait {tokens['fact_note']}."
    )
    factories.NoteFactory(
        case=case, author=alice, kind="assessment", body=f"Analyse {tokens['assessment_note']}."
    )
    # An assessment note by a colleague who is not named on it: the person still reads it.
    factories.NoteFactory(
        case=case,
        author=bob,
        kind="assessment",
        body=f"Analyse de Bob {tokens['colleague_assessment']}.",
    )
    plan = SupportPlan.objects.create(
        organisation=organisation,
        case=case,
        started_on=timezone.localdate(),
        review=f"Bilan {tokens['plan_review']}.",
    )
    goal = Goal.objects.create(
        organisation=organisation, plan=plan, person_words=f"Garder {tokens['goal']} chez moi"
    )
    Action.objects.create(
        organisation=organisation,
        goal=goal,
        description=f"Appeler {tokens['action']}",
        owner="person",
    )
    factories.FinancialAidFactory(case=case, created_by=alice, purpose=f"Loyer {tokens['aid']}")
    factories.TaskFactory(case=case, assignee=alice, title=f"Relancer {tokens['task']}")
    factories.AppointmentFactory(
        person=person, case=case, worker=alice, place=f"Salle {tokens['appointment_place']}"
    )
    referral = factories.ReferralFactory(
        case=case,
        created_by=alice,
        partner=factories.PartnerFactory(organisation=organisation, name="CAF de la Gironde"),
        request=f"Ouverture des droits {tokens['referral_request']}",
        outcome=f"Droits ouverts {tokens['referral_outcome']}",
        shared_items=["identity", "address"],
    )
    factories.ConsentFactory(referral=referral, note=f"Accord {tokens['consent_note']}")
    budget = factories.BudgetFactory(person=person, created_by=alice)
    factories.BudgetLineFactory(budget=budget, label=f"Salaire {tokens['budget_line']}")
    factories.DebtFactory(
        person=person, created_by=alice, creditor=f"Banque {tokens['debt']}", notes="Relance"
    )
    OverindebtednessFile.objects.create(
        organisation=organisation,
        person=person,
        created_by=alice,
        causes=f"Séparation {tokens['overindebtedness']}",
    )
    report = report_services.report_create(
        by=alice, case=case, template=template(organisation), title="Rapport pour le FSL"
    )
    sections = report.latest_version.sections
    sections["evaluation"] = f"Évaluation {tokens['report_section']}."
    report_services.report_save(
        by=alice,
        report=report,
        title=report.title,
        recipient="Commission FSL",
        sections=sections,
        person_opinion=f"Je suis d'accord {tokens['report_opinion']}.",
        base_version=1,
    )
    report_services.report_finalise(by=alice, report=report)
    for title, on_case in [(tokens["document"], case), (tokens["loose_document"], None)]:
        document_services.document_upload(
            by=alice,
            person=person,
            case=on_case,
            file=InspectedFile(pdf_bytes(title), "application/pdf", "pdf", f"{title}.pdf"),
            kind="payslip",
            title=f"Bulletin {title}",
        )
    record_access(user=bob, organisation_id=organisation.pk, obj=case, action=AccessAction.VIEW)
    # A case of the same person held by a colleague who did not share it.
    other_case = factories.CaseFactory(person=person, referent=bob)
    factories.NoteFactory(case=other_case, author=bob, body="Secret de Bob Zeppelin.")
    report.refresh_from_db()
    return FullFile(person=person, case=case, other_case=other_case, report=report, tokens=tokens)
