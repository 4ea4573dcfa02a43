import datetime

from django.utils import timezone

from relais.cases.models import Action, CaseConcern, Goal, SupportPlan
from relais.reports import services
from relais.reports.models import ReportTemplate
from relais.reports.selectors import report_templates
from tests import factories
from tests.reports.builders import rich_case, template


def test_templates_are_seeded_once_per_organisation(organisation, other_organisation):
    first = report_templates(organisation.pk)
    again = report_templates(organisation.pk)
    assert [t.code for t in first] == [t.code for t in again]
    assert {t.code for t in first} == {
        "rapport-social",
        "evaluation-sociale",
        "note-sociale",
        "courrier",
        "information-preoccupante",
    }
    report_templates(other_organisation.pk)
    assert ReportTemplate.objects.filter(organisation=organisation).count() == 5
    assert ReportTemplate.objects.filter(organisation=other_organisation).count() == 5


def test_a_renamed_or_retired_template_stays_as_the_organisation_set_it(organisation):
    report_templates(organisation.pk)
    ReportTemplate.objects.filter(organisation=organisation, code="courrier").update(
        is_active=False
    )
    ReportTemplate.objects.filter(organisation=organisation, code="note-sociale").update(
        name="Note d'appui"
    )
    names = [t.name for t in report_templates(organisation.pk)]
    assert "Courrier" not in names
    assert "Note d'appui" in names


def test_the_social_report_has_the_sections_of_the_practice(organisation):
    titles = [s["title"] for s in template(organisation).sections]
    assert titles == [
        "Demande et contexte",
        "Composition du foyer",
        "Situation professionnelle",
        "Ressources et charges",
        "Logement",
        "Santé",
        "Parcours et accompagnement",
        "Évaluation sociale",
        "Propositions",
    ]
    assert template(organisation).person_opinion_label == "Avis de la personne"


def test_a_new_report_is_prefilled_from_the_case(alice, organisation):
    case = rich_case(alice)
    employer = factories.EmployerFactory(organisation=organisation, name="Transports Garonne")
    case.person.employer = employer
    case.person.save()
    concern = factories.ConcernFactory(organisation=organisation, label="Logement, impayés")
    CaseConcern.objects.create(organisation=organisation, case=case, concern=concern)
    factories.RequestFactory(
        person=case.person,
        case=case,
        summary="Madame demande une aide pour le loyer de janvier.",
        received_on=datetime.date(2026, 1, 12),
    )
    factories.InterventionFactory(case=case, author=alice)
    factories.InterventionFactory(case=case, author=alice, kind="home_visit")
    plan = SupportPlan.objects.create(
        organisation=organisation, case=case, started_on=datetime.date(2026, 1, 20)
    )
    goal = Goal.objects.create(
        organisation=organisation, plan=plan, person_words="Ne plus avoir peur du courrier"
    )
    Action.objects.create(
        organisation=organisation,
        goal=goal,
        description="Ouvrir les courriers ensemble",
        owner="together",
        due_on=datetime.date(2026, 2, 3),
    )
    factories.FinancialAidFactory(case=case, created_by=alice, funder="FSL", amount_requested=450)

    report = services.report_create(by=alice, case=case, template=template(organisation))
    sections = report.latest_version.sections

    assert report.title == "Rapport social — Élodie LEFÈVRE"
    assert "Madame demande une aide pour le loyer de janvier." in sections["demande"]
    assert "Demande reçue le 12/01/2026" in sections["demande"]
    assert "Logement, impayés" in sections["demande"]
    assert "Élodie LEFÈVRE" in sections["foyer"] and "parent isolé" in sections["foyer"]
    assert "Le foyer compte 2 personnes" in sections["foyer"]
    assert "Noé Lefèvre : enfant" in sections["foyer"]
    assert "Employeur : Transports Garonne." in sections["situation_professionnelle"]
    assert "Poste : Conductrice de bus." in sections["situation_professionnelle"]
    assert "Arrêt maladie depuis le 05/01/2026" in sections["situation_professionnelle"]
    assert sections["ressources"] == "Sources de revenus : Salaire, Prestations familiales."
    assert sections["logement"] == "Hébergement : Locataire du parc privé, à Bègles."
    assert "Entretien au bureau : 1" in sections["parcours"]
    assert "Visite à domicile : 1" in sections["parcours"]
    assert "FSL : 450,00\u00a0€ demandés" in sections["parcours"]
    assert "« Ne plus avoir peur du courrier »" in sections["propositions"]
    assert (
        "Ouvrir les courriers ensemble (ensemble, pour le 03/02/2026)" in sections["propositions"]
    )
    assert sections["evaluation"] == ""
    assert report.latest_version.number == 1


def test_health_holds_only_the_absence_never_the_notes(alice, organisation):
    case = rich_case(alice)
    factories.NoteFactory(case=case, author=alice, body="Diagnostic confié : dépression.")
    report = services.report_create(by=alice, case=case, template=template(organisation))
    health = report.latest_version.sections["sante"]
    assert health == "Arrêt maladie depuis le 05/01/2026."
    for text in report.latest_version.sections.values():
        assert "dépression" not in text


def test_health_is_left_empty_when_the_person_is_at_work(alice, organisation):
    case = rich_case(alice)
    case.person.work_situation = "at_work"
    case.person.save()
    report = services.report_create(by=alice, case=case, template=template(organisation))
    assert report.latest_version.sections["sante"] == ""


def test_the_information_preoccupante_goes_to_the_crip_and_names_the_children(alice, organisation):
    case = rich_case(alice)
    factories.HouseholdMemberFactory(
        household=case.person.household,
        first_name="Adulte",
        relation="child",
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 20),
    )
    ip = template(organisation, "information-preoccupante")
    report = services.report_create(by=alice, case=case, template=ip)
    sections = report.latest_version.sections
    assert report.recipient.startswith("Cellule de recueil des informations préoccupantes (CRIP)")
    assert "Noé Lefèvre, né·e le 03/04/2016" in sections["enfants"]
    assert "Adulte" not in sections["enfants"]  # an adult child is not a minor
    assert "Élodie LEFÈVRE" in sections["titulaires"]
    # What only the worker can write is left to them, with the practice in the help text.
    assert sections["danger"] == "" and sections["information_parents"] == ""
    helps = {s["key"]: s["help"] for s in ip.sections}
    assert "L226-2-1" in helps["information_parents"]
    assert "procureur de la République" in ip.description
    assert "CASF L226-4" in ip.description
    assert ip.person_opinion_label == "Position des titulaires de l'autorité parentale"


def test_values_from_the_file_cannot_inject_markup(alice, organisation):
    case = rich_case(alice)
    case.person.job_title = "<script>alert(1)</script> **chef**"
    case.person.save()
    report = services.report_create(by=alice, case=case, template=template(organisation))
    from relais.reports.rendering import markdown_to_html

    html = markdown_to_html(report.latest_version.sections["situation_professionnelle"])
    assert "<script>" not in html
    assert "<strong>" not in html
    assert "**chef**" in html
