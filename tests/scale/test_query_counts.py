"""The key pages make the same number of SQL queries on a small and on a ten times larger
organisation (generated), so their cost does not grow with the data.

Each page is requested once to warm up (the first read of an organisation creates its
access-log chain head), then counted. The case page is measured on a case that has a
support plan, an aid, notes, open tasks, a planned appointment, an orientation, a social
report, a budget, a debt and a document in both organisations, so that every section of
the page has rows.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.cases.models import (
    Action,
    Appointment,
    Case,
    FinancialAid,
    Goal,
    Note,
    SupportPlan,
    Task,
)
from relais.people.models import Person
from relais.scale.generator import Generator, worker_email
from tests import factories
from tests.case_sections import fill_other_sections

SMALL, LARGE = 30, 300


def _generate(persons, seed):
    report = Generator(persons=persons, seed=seed, today=timezone.localdate()).run()
    return report.organisation, User.objects.get(email=worker_email(seed, 1))


def _complete_case(organisation, worker) -> Case:
    """The worker's busiest open case, given one row of every section it may lack."""
    case = (
        Case.objects.referent_is(worker)
        .filter(closed_on__isnull=True)
        .order_by("-last_activity_at", "pk")
        .first()
    )
    org = organisation
    today = timezone.localdate()
    plan = SupportPlan.objects.filter(case=case).order_by("-started_on", "-pk").first()
    if plan is None:
        plan = SupportPlan.objects.create(organisation=org, case=case, started_on=today)
    goal = plan.goals.first() or Goal.objects.create(
        organisation=org, plan=plan, person_words="Garder mon logement."
    )
    if not goal.actions.exists():
        Action.objects.create(
            organisation=org, goal=goal, description="Appeler le bailleur", owner="worker"
        )
    if not FinancialAid.objects.filter(case=case).exists():
        factories.FinancialAidFactory(case=case, organisation=org, created_by=worker)
    if not Note.objects.filter(case=case).exists():
        factories.NoteFactory(case=case, organisation=org, author=worker)
    if not Task.objects.filter(case=case, done_at__isnull=True).exists():
        factories.TaskFactory(case=case, organisation=org, assignee=worker)
    if not Appointment.objects.filter(case=case, status="planned").exists():
        factories.AppointmentFactory(
            case=case,
            person=case.person,
            organisation=org,
            worker=worker,
            created_by=worker,
            starts_at=timezone.now() + datetime.timedelta(days=2),
        )
    # The sections of the other apps make no query when the case has no row for them
    # (relais.cases.contents): give the case one of each, in both organisations.
    fill_other_sections(case, worker)
    return case


def _pages(organisation, worker, year):
    person = Person.objects.filter(organisation=organisation).order_by("pk").first()
    case = _complete_case(organisation, worker)
    typo = person.last_name.lower()[:-1] + "x" if len(person.last_name) > 5 else person.last_name
    return {
        "accueil": reverse("home"),
        "liste des dossiers": reverse("cases:caseload"),
        "page dossier": reverse("cases:detail", args=[case.public_id]),
        "recherche": f"{reverse('people:search')}?q={typo}",
        "statistiques d'une année": f"{reverse('stats:index')}?annee={year}",
    }


def _count(client, path) -> int:
    client.get(path)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.django_db
def test_key_pages_make_the_same_number_of_queries_at_two_sizes(client):
    year = timezone.localdate().year - 1
    counts = {}
    for label, persons, seed in (("small", SMALL, 41), ("large", LARGE, 42)):
        organisation, worker = _generate(persons, seed)
        client.force_login(worker)
        counts[label] = {
            page: _count(client, path) for page, path in _pages(organisation, worker, year).items()
        }
        client.logout()
    assert Case.objects.count() > 5 * SMALL  # the large one really is larger
    different = {
        page: (counts["small"][page], counts["large"][page])
        for page in counts["small"]
        if counts["small"][page] != counts["large"][page]
    }
    assert not different, f"queries (small, large) differ: {different}; all: {counts}"
