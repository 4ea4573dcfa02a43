import datetime
import io
import statistics

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Max, Min

from relais.accounts.models import Membership, Organisation
from relais.cases.models import Case, Intervention, Note, Request
from relais.crypto import keyring
from relais.people.models import Person
from relais.scale.generator import (
    GENERATED_PASSWORD,
    LOADED_MODELS,
    Generator,
    organisation_public_id,
    worker_email,
)

TODAY = datetime.date(2026, 3, 2)


def generate(persons=300, seed=11):
    return Generator(persons=persons, seed=seed, today=TODAY).run()


@pytest.fixture
def report(db):
    return generate()


def test_it_generates_the_asked_number_of_persons_with_about_ten_interventions_each(report):
    org = report.organisation
    persons = Person.objects.filter(organisation=org).count()
    interventions = Intervention.objects.filter(organisation=org).count()
    assert persons == 300
    assert 7 <= interventions / persons <= 13
    assert report.rows["cases.Intervention"] == interventions
    assert report.rows_per_second > 0


def test_every_generated_row_belongs_to_the_generated_organisation(report):
    generator_models = Generator(persons=1, seed=99).loaded_models
    assert len(generator_models) > len(LOADED_MODELS)  # partners and reports are installed
    for model in generator_models:
        assert model.objects.exclude(organisation=report.organisation).count() == 0, model


def test_interventions_are_skewed_and_lie_inside_their_case(report):
    per_case = list(
        Case.objects.filter(organisation=report.organisation)
        .annotate(n=Count("interventions"))
        .values_list("n", flat=True)
    )
    assert min(per_case) >= 1
    # Skewed: a long tail of heavy cases above a small typical case.
    assert max(per_case) > 4 * statistics.median(per_case)
    spans = Case.objects.filter(organisation=report.organisation).annotate(
        first=Min("interventions__occurred_at"), last=Max("interventions__occurred_at")
    )
    for case in spans:
        assert case.first.date() >= case.opened_on - datetime.timedelta(days=1)
        assert case.last.date() <= (case.closed_on or TODAY) + datetime.timedelta(days=1)
        assert case.first.weekday() < 5


def test_referent_links_carry_their_case_s_state(report):
    """The copies on the links that the caseload and the home page read: open or not, and
    the opening date."""
    from django.db.models import F

    from relais.cases.models import CaseReferent

    links = CaseReferent.objects.filter(organisation=report.organisation)
    assert links.exists()
    assert not links.exclude(case_opened_on=F("case__opened_on")).exists()
    assert not links.filter(case_open=True, case__status="closed").exists()
    assert not links.filter(case_open=False).exclude(case__status="closed").exists()


def test_history_covers_five_years_and_open_cases_are_a_minority(report):
    cases = Case.objects.filter(organisation=report.organisation)
    oldest = cases.aggregate(m=Min("opened_on"))["m"]
    assert oldest < TODAY - datetime.timedelta(days=4 * 365)
    open_share = cases.filter(closed_on__isnull=True).count() / cases.count()
    assert 0.03 < open_share < 0.3


def test_names_are_french_with_accents_and_searchable(report):
    persons = list(Person.objects.filter(organisation=report.organisation))
    assert any(not p.last_name.isascii() or not p.first_name.isascii() for p in persons)
    assert all(p.search_name == p.compute_search_name() for p in persons)
    assert len({p.last_name for p in persons}) > 100


def test_cases_have_orientations_and_social_reports(report):
    from relais.partners.models import Consent, Referral
    from relais.reports.models import Report as SocialReport

    org = report.organisation
    cases = Case.objects.filter(organisation=org).count()
    referrals = Referral.objects.filter(organisation=org)
    assert 0.15 < referrals.count() / cases < 0.5
    sent = referrals.exclude(status="prepared")
    assert Consent.objects.filter(organisation=org).count() == sent.count()
    reports = SocialReport.objects.filter(organisation=org).select_related("latest_version")
    assert reports.exists()
    for social_report in reports:
        assert social_report.latest_version.report_id == social_report.pk
        assert social_report.title  # decrypted
        if social_report.status == "final":
            assert social_report.signed_version_id == social_report.latest_version_id


def test_notes_are_encrypted_at_rest(report):
    note = Note.objects.filter(organisation=report.organisation).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_note WHERE id = %s", [note.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith(keyring.PREFIX)
    assert note.body and note.body not in raw


def test_generated_history_keeps_its_dates(report):
    """created_at is the generated date, not the load time (auto_now_add bypassed)."""
    oldest = Request.objects.filter(organisation=report.organisation).aggregate(
        m=Min("created_at")
    )["m"]
    assert oldest.date() < TODAY - datetime.timedelta(days=365)
    # and the bypass did not leak: a normal save stamps the current time again
    person = Person.objects.filter(organisation=report.organisation).first()
    fresh = Person.objects.create(organisation=person.organisation, last_name="Neuve")
    assert fresh.created_at.date() >= datetime.date.today() - datetime.timedelta(days=1)


def test_workers_can_log_in_with_the_documented_password(report, client):
    email = worker_email(11, 1)
    membership = Membership.objects.get(user__email=email)
    assert membership.organisation == report.organisation
    assert membership.role == "social_worker"
    assert client.login(username=email, password=GENERATED_PASSWORD)
    assert report.organisation.require_two_factor is False


def _fingerprint(organisation):
    persons = list(
        Person.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("public_id", "last_name", "first_name", "birth_date")
    )
    interventions = list(
        Intervention.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("public_id", "kind", "occurred_at", "duration_minutes")
    )
    notes = list(
        Note.objects.filter(organisation=organisation).order_by("id").values_list("id", flat=True)
    )
    bodies = [n.body for n in Note.objects.filter(pk__in=notes).order_by("id")]
    return persons, interventions, bodies


class _Rollback(Exception):
    pass


def _generate_and_fingerprint(persons, seed):
    keyring.forget_cached_keys()
    fingerprint = None
    try:
        with transaction.atomic():
            report = Generator(persons=persons, seed=seed, today=TODAY).run()
            fingerprint = _fingerprint(report.organisation)
            raise _Rollback
    except _Rollback:
        pass
    keyring.forget_cached_keys()
    return fingerprint


def test_it_is_reproducible_from_the_seed(db):
    first = _generate_and_fingerprint(60, seed=5)
    again = _generate_and_fingerprint(60, seed=5)
    other = _generate_and_fingerprint(60, seed=6)
    assert first == again
    assert first[0] != other[0]


def test_it_refuses_to_generate_the_same_seed_twice(db):
    call_command("generate", persons=20, seed=4, today=TODAY, stdout=io.StringIO())
    with pytest.raises(CommandError, match="graine 4 existe déjà"):
        call_command("generate", persons=20, seed=4, today=TODAY, stdout=io.StringIO())
    assert Organisation.objects.filter(public_id=organisation_public_id(4)).count() == 1


def test_the_command_reports_rows_per_second(db, tmp_path):
    out = io.StringIO()
    report_file = tmp_path / "report.json"
    call_command(
        "generate", persons=30, seed=8, today=TODAY, report_json=str(report_file), stdout=out
    )
    assert "lignes/s" in out.getvalue()
    assert '"rows_per_second"' in report_file.read_text()
