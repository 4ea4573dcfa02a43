"""Referrals from a case: consent before anything leaves the team, follow-up, access."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessEvent, ChangeEvent
from relais.cases.models import Task
from relais.partners import enums, services
from relais.partners.models import Consent, Referral
from tests import factories

TODAY = timezone.localdate


def _referral(case, partner, by, items=("identity", "address"), **kwargs):
    return services.referral_create(
        by=by,
        case=case,
        partner=partner,
        request="Ouverture des droits à l'aide au logement après la séparation.",
        shared_items=list(items),
        **kwargs,
    )


def _consent(referral, by, items=None, **kwargs):
    fields = {
        "given_by": enums.ConsentGiver.PERSON,
        "items": list(items if items is not None else referral.shared_items),
        "given_on": TODAY(),
        "valid_until": TODAY() + datetime.timedelta(days=180),
        "form": enums.ConsentForm.ORAL,
    }
    fields.update(kwargs)
    return services.consent_record(by=by, referral=referral, **fields)


# --- The consent rule ------------------------------------------------------------------


def test_a_referral_without_consent_cannot_be_marked_sent(case, caf, alice):
    referral = _referral(case, caf, alice)

    with pytest.raises(services.ReferralError, match="Aucun consentement valable"):
        services.referral_send(by=alice, referral=referral, sent_on=TODAY())

    referral.refresh_from_db()
    assert referral.status == enums.ReferralStatus.PREPARED


def test_a_referral_with_consent_is_sent_and_a_chase_task_is_created(case, caf, alice):
    due = TODAY() + datetime.timedelta(days=21)
    referral = _referral(case, caf, alice, expected_answer_on=due)
    _consent(referral, alice)

    services.referral_send(by=alice, referral=referral, sent_on=TODAY())

    referral.refresh_from_db()
    assert referral.status == enums.ReferralStatus.SENT
    assert referral.sent_on == TODAY()
    task = referral.chase_task
    assert (task.case_id, task.assignee_id, task.due_on) == (case.pk, alice.pk, due)
    assert "Relancer CAF" in task.title
    assert ChangeEvent.objects.filter(verb="task_create", object_id=str(task.public_id)).exists()


def test_a_consent_that_does_not_cover_every_item_does_not_allow_sending(case, caf, alice):
    referral = _referral(case, caf, alice, items=("identity", "income_sources"))
    _consent(referral, alice, items=["identity"])

    with pytest.raises(services.ReferralError):
        services.referral_send(by=alice, referral=referral, sent_on=TODAY())


@pytest.mark.parametrize("state", ["expired", "withdrawn", "future"])
def test_an_expired_withdrawn_or_later_consent_does_not_allow_sending(case, caf, alice, state):
    referral = _referral(case, caf, alice)
    if state == "expired":
        _consent(
            referral,
            alice,
            given_on=TODAY() - datetime.timedelta(days=400),
            valid_until=TODAY() - datetime.timedelta(days=35),
        )
    elif state == "withdrawn":
        consent = _consent(referral, alice)
        services.consent_withdraw(by=alice, consent=consent, on=TODAY())
    else:
        _consent(referral, alice, given_on=TODAY())

    sent_on = TODAY() - datetime.timedelta(days=1) if state == "future" else TODAY()
    referral.prepared_on = sent_on
    referral.save(update_fields=["prepared_on"])
    with pytest.raises(services.ReferralError):
        services.referral_send(by=alice, referral=referral, sent_on=sent_on)


def test_the_emergency_path_sends_without_consent_and_records_why(case, caf, alice):
    referral = _referral(case, caf, alice)

    services.referral_send(
        by=alice,
        referral=referral,
        sent_on=TODAY(),
        emergency_reason="Expulsion prévue demain, la personne est injoignable.",
    )

    referral.refresh_from_db()
    assert referral.status == enums.ReferralStatus.SENT
    assert referral.sent_without_consent
    assert referral.emergency_reason == "Expulsion prévue demain, la personne est injoignable."
    event = ChangeEvent.objects.get(verb="referral_send", object_id=str(referral.public_id))
    # The reason is in the log, encrypted like the other free texts.
    assert "Expulsion" not in str(event.after)
    assert event.after["emergency_reason"]


def test_the_consent_records_who_what_to_whom_when_until_when(case, caf, alice):
    referral = _referral(case, caf, alice)

    consent = _consent(
        referral,
        alice,
        given_by=enums.ConsentGiver.LEGAL_REPRESENTATIVE,
        representative_name="UDAF de la Gironde, curatrice",
    )

    consent = Consent.objects.get(pk=consent.pk)
    assert consent.given_by == enums.ConsentGiver.LEGAL_REPRESENTATIVE
    assert consent.representative_name == "UDAF de la Gironde, curatrice"
    assert consent.items == ["identity", "address"]
    assert consent.recipient == caf.name
    assert consent.given_on == TODAY()
    assert consent.valid_until == TODAY() + datetime.timedelta(days=180)
    assert consent.recorded_by_id == alice.pk


# --- Lifecycle -------------------------------------------------------------------------


def test_recording_the_answer_completes_the_chase_task_and_keeps_the_delay(case, caf, alice):
    referral = _referral(case, caf, alice, expected_answer_on=TODAY() + datetime.timedelta(days=5))
    _consent(referral, alice)
    sent_on = TODAY() - datetime.timedelta(days=12)
    referral.prepared_on = sent_on
    referral.save(update_fields=["prepared_on"])
    _consent(referral, alice, given_on=sent_on)
    services.referral_send(by=alice, referral=referral, sent_on=sent_on)

    services.referral_set_status(
        by=alice,
        referral=referral,
        status=enums.ReferralStatus.GRANTED,
        on=TODAY(),
        outcome="Aide au logement ouverte au 1er du mois.",
    )

    referral.refresh_from_db()
    assert referral.status == enums.ReferralStatus.GRANTED
    assert referral.decision == enums.ReferralDecision.GRANTED
    assert referral.answer_delay_days == 12
    assert referral.outcome == "Aide au logement ouverte au 1er du mois."
    assert Task.objects.get(pk=referral.chase_task_id).done_at is not None


def test_impossible_transitions_are_refused(case, caf, alice):
    referral = _referral(case, caf, alice)

    with pytest.raises(services.ReferralError, match="ne peut pas passer"):
        services.referral_set_status(
            by=alice, referral=referral, status=enums.ReferralStatus.GRANTED, on=TODAY()
        )


def test_what_was_passed_cannot_change_once_sent(case, caf, alice):
    referral = _referral(case, caf, alice)
    _consent(referral, alice)
    services.referral_send(by=alice, referral=referral, sent_on=TODAY())

    with pytest.raises(services.ReferralError, match="ne peuvent plus changer"):
        services.referral_update(
            by=alice,
            referral=referral,
            request=referral.request,
            shared_items=["identity", "address", "income_sources"],
            service=None,
            contact=None,
            expected_answer_on=None,
        )


def test_the_request_and_outcome_are_encrypted_at_rest(case, caf, alice):
    referral = _referral(case, caf, alice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT request FROM partners_referral WHERE id = %s", [referral.pk])
        stored = cursor.fetchone()[0]

    assert "logement" not in stored


# --- Pages -----------------------------------------------------------------------------


def test_it_orients_a_person_from_the_case(client, case, caf, alice):
    client.force_login(alice)
    service = caf.services.order_by("name").first()

    response = client.post(
        reverse("partners:referral_new", args=[case.public_id]) + f"?partenaire={caf.public_id}",
        {
            "service": service.pk,
            "request": "Demande d'aide au logement.",
            "shared_items": ["identity", "birth_date"],
            "expected_answer_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        },
    )

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partners:referral_detail", args=[referral.public_id])
    assert (referral.partner, referral.service, referral.created_by) == (caf, service, alice)
    assert referral.shared_items == ["identity", "birth_date"]


def test_the_partner_choice_suggests_partners_from_the_case_concerns(client, case, alice):
    concern = factories.ConcernFactory(
        organisation=case.organisation,
        label="Surendettement",
        datainclusion_thematique="difficultes-financieres--situation-dendettement-surendettement",
    )
    from relais.cases.models import CaseConcern

    CaseConcern.objects.create(organisation=case.organisation, case=case, concern=concern)
    client.force_login(alice)

    response = client.get(reverse("partners:referral_new", args=[case.public_id]))

    suggestions = response.content.decode().split("Suggestions")[1].split("</section>")[0]
    assert "Banque de France" in suggestions
    assert "Point conseil budget" in suggestions
    assert "Emmaüs" not in suggestions


def test_the_send_page_refuses_without_consent_and_explains(client, case, caf, alice):
    referral = _referral(case, caf, alice)
    client.force_login(alice)

    response = client.post(
        reverse("partners:referral_send", args=[referral.public_id]),
        {"sent_on": TODAY().isoformat()},
    )

    assert response.status_code == 200
    assert "Sans consentement valable" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == enums.ReferralStatus.PREPARED


def test_the_consent_form_refuses_a_consent_that_leaves_out_a_ticked_item(client, case, caf, alice):
    referral = _referral(case, caf, alice, items=("identity", "income_sources"))
    client.force_login(alice)

    response = client.post(
        reverse("partners:consent_new", args=[referral.public_id]),
        {
            "informed": "on",
            "given_by": "person",
            "items": ["identity"],
            "given_on": TODAY().isoformat(),
            "valid_until": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            "form": "oral",
        },
    )

    assert response.status_code == 200
    assert "Sources de revenus" in response.content.decode()
    assert not Consent.objects.exists()


def test_the_detail_page_is_logged(client, case, caf, alice):
    referral = _referral(case, caf, alice)
    client.force_login(alice)

    response = client.get(reverse("partners:referral_detail", args=[referral.public_id]))

    assert response.status_code == 200
    assert AccessEvent.objects.filter(
        object_type="partners.referral", object_id=str(referral.public_id), user=alice
    ).exists()


REFERRAL_PAGES = [
    "partners:referral_detail",
    "partners:referral_edit",
    "partners:consent_new",
    "partners:referral_send",
    "partners:referral_answer",
    "partners:letter_edit",
    "partners:letter_print",
    "partners:letter_pdf",
]


@pytest.mark.parametrize("name", REFERRAL_PAGES)
def test_another_organisation_gets_404(client, case, caf, alice, charlie, name):
    referral = _referral(case, caf, alice)
    client.force_login(charlie)

    assert client.get(reverse(name, args=[referral.public_id])).status_code == 404


@pytest.mark.parametrize("name", REFERRAL_PAGES)
def test_a_colleague_the_case_is_not_shared_with_gets_404(client, case, caf, alice, bob, name):
    referral = _referral(case, caf, alice)
    client.force_login(bob)

    assert client.get(reverse(name, args=[referral.public_id])).status_code == 404


@pytest.mark.parametrize("name", REFERRAL_PAGES)
def test_the_secretary_gets_404(client, case, caf, alice, secretary, name):
    referral = _referral(case, caf, alice)
    client.force_login(secretary)

    assert client.get(reverse(name, args=[referral.public_id])).status_code == 404


def test_case_pages_are_scoped(client, case, alice, bob, charlie, secretary):
    for user, expected in ((alice, 200), (bob, 404), (charlie, 404), (secretary, 404)):
        client.force_login(user)
        assert (
            client.get(reverse("partners:case_referrals", args=[case.public_id])).status_code
            == expected
        )
        assert (
            client.get(reverse("partners:referral_new", args=[case.public_id])).status_code
            == expected
        )


def test_a_partner_of_another_organisation_cannot_be_chosen(client, case, alice, charlie):
    foreign = factories.PartnerFactory(organisation=charlie.membership.organisation)
    client.force_login(alice)

    response = client.get(
        reverse("partners:referral_new", args=[case.public_id]) + f"?partenaire={foreign.public_id}"
    )

    assert response.status_code == 404


# --- Follow-up -------------------------------------------------------------------------


def _sent(case, partner, by, *, expected, sent_on=None):
    sent_on = sent_on or TODAY() - datetime.timedelta(days=40)
    referral = _referral(case, partner, by, prepared_on=sent_on, expected_answer_on=expected)
    _consent(referral, by, given_on=sent_on)
    return services.referral_send(by=by, referral=referral, sent_on=sent_on)


def test_my_referrals_shows_overdue_and_awaiting_ones(client, case, caf, alice):
    overdue = _sent(case, caf, alice, expected=TODAY() - datetime.timedelta(days=3))
    awaiting = _sent(case, caf, alice, expected=TODAY() + datetime.timedelta(days=3))
    client.force_login(alice)

    content = client.get(reverse("partners:referrals")).content.decode()

    late, rest = content.split("En retard de réponse")[1].split("En attente de réponse")
    assert str(overdue.public_id) in late and str(awaiting.public_id) not in late
    assert str(awaiting.public_id) in rest.split("Préparées")[0]


def test_my_referrals_page_query_count_does_not_grow(
    client, case, caf, alice, django_assert_num_queries
):
    _sent(case, caf, alice, expected=TODAY() - datetime.timedelta(days=3))
    client.force_login(alice)
    client.get(reverse("partners:referrals"))  # warm the session

    with django_assert_num_queries(5):
        client.get(reverse("partners:referrals"))
    for _ in range(5):
        other = factories.CaseFactory(organisation=case.organisation, referent=alice)
        _sent(other, caf, alice, expected=TODAY() + datetime.timedelta(days=3))
    with django_assert_num_queries(5):
        client.get(reverse("partners:referrals"))


def test_the_follow_up_is_for_workers_and_the_manager_goes_to_outcomes(
    client, manager, secretary, employer_viewer
):
    client.force_login(manager)
    assert client.get(reverse("partners:referrals")).url == reverse("partners:outcomes")
    for user in (secretary, employer_viewer):
        client.force_login(user)
        assert client.get(reverse("partners:referrals")).status_code == 403


def test_the_manager_sees_outcomes_by_partner_without_names(client, case, caf, alice, manager):
    # A name found nowhere else on the page (a random one could be the manager's own).
    alice.last_name = "Quélennec-Zborowski"
    alice.save(update_fields=["last_name"])
    first = _sent(case, caf, alice, expected=TODAY(), sent_on=TODAY() - datetime.timedelta(days=10))
    second = _sent(case, caf, alice, expected=TODAY(), sent_on=TODAY() - datetime.timedelta(days=4))
    services.referral_set_status(
        by=alice, referral=first, status=enums.ReferralStatus.GRANTED, on=TODAY()
    )
    services.referral_set_status(
        by=alice, referral=second, status=enums.ReferralStatus.REFUSED, on=TODAY()
    )
    services.referral_set_status(
        by=alice, referral=second, status=enums.ReferralStatus.CLOSED, on=TODAY()
    )
    client.force_login(manager)

    response = client.get(
        reverse("partners:outcomes"),
        {"start": (TODAY() - datetime.timedelta(days=60)).isoformat(), "end": TODAY().isoformat()},
    )

    row = response.context["rows"][0]
    assert (row.partner_name, row.total, row.granted, row.refused) == (caf.name, 2, 1, 1)
    assert row.average_days == 7
    content = response.content.decode()
    assert case.person.last_name.upper() not in content.upper()
    assert alice.last_name not in content


@pytest.mark.parametrize("role", ["social_worker", "secretary", "employer_viewer", "admin"])
def test_outcomes_are_for_the_manager_only(client, organisation, role):
    user = factories.UserFactory(
        organisation=organisation,
        role=role,
        employer=factories.EmployerFactory(organisation=organisation)
        if role == "employer_viewer"
        else None,
    )
    client.force_login(user)

    assert client.get(reverse("partners:outcomes")).status_code == 403


def test_outcomes_count_only_the_managers_organisation(client, caf, manager, charlie):
    other_case = factories.CaseFactory(
        organisation=charlie.membership.organisation, referent=charlie
    )
    services.national_partners_seed(organisation=other_case.organisation)
    other_caf = other_case.organisation and caf.__class__.objects.get(
        organisation=other_case.organisation, national_code="caf"
    )
    _referral(other_case, other_caf, charlie)
    client.force_login(manager)

    assert client.get(reverse("partners:outcomes")).context["rows"] == []


def test_a_closed_case_takes_no_new_referral(case, caf, alice):
    case.status = "closed"
    case.closed_on = TODAY()
    case.save()

    with pytest.raises(services.ReferralError, match="clos"):
        _referral(case, caf, alice)


def test_the_referral_page_query_count_does_not_grow(
    client, case, caf, alice, django_assert_num_queries
):
    referral = _referral(case, caf, alice)
    _consent(referral, alice)
    client.force_login(alice)
    url = reverse("partners:referral_detail", args=[referral.public_id])
    client.get(url)

    with django_assert_num_queries(10):
        client.get(url)
    for _ in range(4):
        _consent(referral, alice)
    with django_assert_num_queries(10):
        client.get(url)


def test_the_case_referrals_section_query_count_does_not_grow(
    client, case, caf, alice, django_assert_num_queries
):
    _referral(case, caf, alice)
    client.force_login(alice)
    url = reverse("partners:case_referrals", args=[case.public_id])
    client.get(url)

    with django_assert_num_queries(10):
        client.get(url)
    for partner in factories.PartnerFactory.create_batch(4, organisation=case.organisation):
        _referral(case, partner, alice)
    with django_assert_num_queries(10):
        client.get(url)


def test_every_referral_page_renders_for_the_referent(client, case, caf, alice):
    contact = factories.ContactFactory(partner=caf)
    referral = _referral(case, caf, alice, contact=contact)
    consent = _consent(referral, alice)
    client.force_login(alice)

    for name in REFERRAL_PAGES:
        response = client.get(reverse(name, args=[referral.public_id]))
        assert response.status_code == 200, name
    withdraw = client.post(reverse("partners:consent_withdraw", args=[consent.public_id]))
    reset = client.post(reverse("partners:letter_edit", args=[referral.public_id]), {"reset": "1"})

    assert withdraw.status_code == 302
    assert Consent.objects.get(pk=consent.pk).withdrawn_on == TODAY()
    assert reset.status_code == 302


def test_abandoning_a_prepared_referral_closes_it(client, case, caf, alice):
    referral = _referral(case, caf, alice)
    client.force_login(alice)

    page = client.get(reverse("partners:referral_answer", args=[referral.public_id]))
    response = client.post(
        reverse("partners:referral_answer", args=[referral.public_id]),
        {"status": "closed", "on": TODAY().isoformat(), "outcome": "La personne a renoncé."},
    )

    assert [value for value, _ in page.context["form"].fields["status"].choices] == ["closed"]
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.closed_on) == (enums.ReferralStatus.CLOSED, TODAY())


def test_the_consent_withdrawal_is_refused_to_another_organisation(
    client, case, caf, alice, charlie
):
    consent = _consent(_referral(case, caf, alice), alice)
    client.force_login(charlie)

    response = client.post(reverse("partners:consent_withdraw", args=[consent.public_id]))

    assert response.status_code == 404
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_the_case_page_shows_the_referrals_with_a_fixed_number_of_queries(
    client, case, caf, alice, django_assert_num_queries
):
    referral = _referral(case, caf, alice)
    client.force_login(alice)
    url = reverse("cases:detail", args=[case.public_id])
    client.get(url)

    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    for partner in factories.PartnerFactory.create_batch(4, organisation=case.organisation):
        _referral(case, partner, alice)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)

    section = page.split('id="orientations-section"')[1].split("</section>")[0]
    assert reverse("partners:referral_detail", args=[referral.public_id]) in section
    assert reverse("partners:referral_new", args=[case.public_id]) in section
