import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessAction, AccessEvent, ChangeEvent
from relais.cases.models import CaseConcern
from relais.crypto import keyring
from relais.people.models import Household
from relais.security import selectors, services
from relais.security.models import SupervisionShare
from tests import factories

QUESTION = "Je m'interroge sur la place à laisser au conjoint dans les démarches."


@pytest.fixture
def employer(organisation):
    return factories.EmployerFactory(organisation=organisation, name="Transports Garonne")


@pytest.fixture
def case(alice, organisation, employer):
    household = Household.objects.create(organisation=organisation)
    person = factories.PersonFactory(
        organisation=organisation,
        first_name="Nadia",
        last_name="Benali",
        birth_date=datetime.date(1985, 6, 1),
        phone="06 12 34 56 78",
        email="nadia.benali@example.org",
        address="12 rue des Lilas",
        city="Bègles",
        employer=employer,
        job_title="Conductrice de bus",
        family_situation="married",
        accommodation="private_tenant",
        household=household,
    )
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Yanis",
        relation="child",
        birth_date=datetime.date(2015, 1, 1),
    )
    case = factories.CaseFactory(person=person, referent=alice)
    concern = factories.ConcernFactory(organisation=organisation, label="Logement / hébergement")
    CaseConcern.objects.create(organisation=organisation, case=case, concern=concern)
    factories.InterventionFactory(case=case, author=alice, place="Bureau de Bègles")
    factories.NoteFactory(case=case, author=alice, body="Madame BENALI évoque des dettes.")
    factories.FinancialAidFactory(case=case, created_by=alice)
    return case


@pytest.fixture
def share(alice, supervisor, case):
    return services.supervision_share_create(
        by=alice,
        case=case,
        supervisor=supervisor,
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        question=QUESTION,
    )


def test_the_referent_shares_a_case_for_supervision(client, alice, supervisor, case):
    client.force_login(alice)
    url = reverse("security:supervision_share", args=[case.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert supervisor.display_name in page.text
    ends_on = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(
        url, {"supervisor": supervisor.pk, "ends_on": ends_on, "question": QUESTION}
    )
    assert response.status_code == 302
    share = SupervisionShare.objects.get()
    assert (share.case, share.supervisor, share.shared_by) == (case, supervisor, alice)
    assert ChangeEvent.objects.filter(verb="supervision_share_create").exists()
    assert "Retirer ce partage" in client.get(url).text


def test_the_question_is_encrypted_at_rest(share):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT question FROM security_supervisionshare WHERE id = %s", [share.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith(keyring.PREFIX) and "conjoint" not in raw


def test_the_share_form_refuses_bad_dates_in_french(client, alice, supervisor, case):
    client.force_login(alice)
    url = reverse("security:supervision_share", args=[case.public_id])
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        url, {"supervisor": supervisor.pk, "ends_on": past, "question": QUESTION}
    )
    assert "La date de fin est déjà passée." in response.text
    assert QUESTION.replace("'", "&#x27;") in response.text, "what was typed is kept"
    far = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    response = client.post(url, {"supervisor": supervisor.pk, "ends_on": far})
    assert "au plus trois mois" in response.text
    assert not SupervisionShare.objects.exists()


def test_only_a_supervisor_of_the_organisation_can_be_chosen(client, alice, bob, case):
    client.force_login(alice)
    url = reverse("security:supervision_share", args=[case.public_id])
    ends_on = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(url, {"supervisor": bob.pk, "ends_on": ends_on})
    assert response.status_code == 200
    assert not SupervisionShare.objects.exists()


def test_the_supervisor_sees_a_pseudonymised_view(client, supervisor, share, case):
    client.force_login(supervisor)
    listing = client.get(reverse("security:supervision_list"))
    assert listing.status_code == 200
    assert "N. B., 35 à 44 ans" in listing.text or "N. B., 45 à 54 ans" in listing.text
    response = client.get(reverse("security:supervision_case", args=[share.public_id]))
    assert response.status_code == 200
    text = response.text
    for hidden in (
        "Nadia",
        "Benali",
        "BENALI",
        "06 12 34 56 78",
        "nadia.benali",
        "rue des Lilas",
        "Bègles",
        "Transports Garonne",
        "Conductrice",
        "Yanis",
        "dettes",  # notes never reach supervision
        str(case.public_id),
    ):
        assert hidden not in text, hidden
    assert "N. B." in text
    assert QUESTION.replace("'", "&#x27;") in text
    assert "Logement / hébergement" in text
    assert "Entretien au bureau" in text
    assert "Marié" in text  # family situation
    assert "Enfant (" in text  # household member by relation and age band only


def test_each_supervision_read_is_logged_for_the_referent(client, supervisor, share, case):
    client.force_login(supervisor)
    client.get(reverse("security:supervision_case", args=[share.public_id]))
    event = AccessEvent.objects.get(action=AccessAction.SUPERVISION)
    assert (event.user_id, event.case_id) == (supervisor.pk, case.pk)


def test_the_supervision_view_has_a_fixed_query_count(
    client, supervisor, share, case, alice, django_assert_max_num_queries
):
    for _ in range(10):
        factories.InterventionFactory(case=case, author=alice)
        factories.FinancialAidFactory(case=case, created_by=alice)
    client.force_login(supervisor)
    url = reverse("security:supervision_case", args=[share.public_id])
    client.get(url)  # the first read of the organisation creates its access chain
    # session, user with membership, share with case and person, household, concerns,
    # interventions, aids, goals; access-log row (5)
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200


def test_a_revoked_or_expired_share_shows_nothing(client, alice, supervisor, share):
    client.force_login(alice)
    client.post(reverse("security:supervision_revoke", args=[share.public_id]))
    share.refresh_from_db()
    assert share.revoked_at is not None
    client.force_login(supervisor)
    assert (
        client.get(reverse("security:supervision_case", args=[share.public_id])).status_code == 404
    )
    assert "Aucune situation" in client.get(reverse("security:supervision_list")).text


def test_an_ended_share_shows_nothing(client, supervisor, share):
    SupervisionShare.objects.filter(pk=share.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=40),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(supervisor)
    assert (
        client.get(reverse("security:supervision_case", args=[share.public_id])).status_code == 404
    )


@pytest.mark.parametrize("who", ["bob", "manager", "secretary", "admin_user", "employer_viewer"])
def test_other_roles_cannot_read_the_supervision_view(client, request, who, share):
    client.force_login(request.getfixturevalue(who))
    assert (
        client.get(reverse("security:supervision_case", args=[share.public_id])).status_code == 403
    )
    assert client.get(reverse("security:supervision_list")).status_code == 403


def test_another_supervisor_gets_a_404(client, organisation, share):
    other = factories.UserFactory(organisation=organisation, role="supervisor")
    client.force_login(other)
    assert (
        client.get(reverse("security:supervision_case", args=[share.public_id])).status_code == 404
    )


def test_another_organisation_gets_a_404(client, other_organisation, share, case):
    stranger = factories.UserFactory(organisation=other_organisation, role="supervisor")
    client.force_login(stranger)
    assert (
        client.get(reverse("security:supervision_case", args=[share.public_id])).status_code == 404
    )
    worker = factories.UserFactory(organisation=other_organisation)
    client.force_login(worker)
    url = reverse("security:supervision_share", args=[case.public_id])
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("security:supervision_revoke", args=[share.public_id])).status_code
        == 404
    )


def test_a_colleague_cannot_share_or_revoke_someone_elses_case(client, bob, share, case):
    client.force_login(bob)
    assert (
        client.get(reverse("security:supervision_share", args=[case.public_id])).status_code == 404
    )
    assert (
        client.post(reverse("security:supervision_revoke", args=[share.public_id])).status_code
        == 404
    )
    share.refresh_from_db()
    assert share.revoked_at is None


def test_age_bands_and_initials():
    assert selectors.age_band(17) == "moins de 18 ans"
    assert selectors.age_band(24) == "18 à 24 ans"
    assert selectors.age_band(25) == "25 à 34 ans"
    assert selectors.age_band(70) == "65 ans et plus"
    assert selectors.age_band(None) == "âge non renseigné"
    person = factories.PersonFactory.build(first_name="élodie", last_name="Martin")
    assert selectors.initials(person) == "É. M."
