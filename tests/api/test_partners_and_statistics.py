import datetime

from django.utils import timezone

from relais.partners.models import Referral
from tests import factories
from tests.api.world import casework_world


def _future(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- Directory and referrals ----------------------------------------------------------------


def test_the_directory_lists_the_national_bodies_and_local_partners(api, organisation, alice):
    local = factories.PartnerFactory(organisation=organisation, name="Épicerie solidaire")
    factories.PartnerFactory(name="Partenaire d'un autre service")
    names = {
        p["name"] for p in api.get(alice, "/partners", limit=100, q="epicerie").json()["items"]
    }
    assert names == {local.name}
    everything = api.get(alice, "/partners", limit=100).json()["items"]
    assert any(p["origin"] == "national" for p in everything)
    assert "Partenaire d'un autre service" not in {p["name"] for p in everything}


def test_nothing_leaves_without_consent_except_in_an_emergency(api, organisation, alice):
    world = casework_world(organisation, alice)
    created = api.post(
        alice,
        f"/cases/{world.case.public_id}/referrals",
        {
            "partner_id": str(world.partner.public_id),
            "request": "Demande de FSL",
            "shared_items": ["identity", "income_sources"],
        },
    )
    assert created.status_code == 201
    referral_id = created.json()["id"]
    refused = api.post(alice, f"/referrals/{referral_id}/send", {})
    assert refused.status_code == 409
    assert "consentement" in refused.json()["message"]

    # A consent that does not cover every item passed is not enough.
    api.post(
        alice,
        f"/referrals/{referral_id}/consents",
        {"items": ["identity"], "valid_until": _future(), "form": "oral"},
    )
    assert api.post(alice, f"/referrals/{referral_id}/send", {}).status_code == 409
    covered = api.post(
        alice,
        f"/referrals/{referral_id}/consents",
        {"items": ["identity", "income_sources"], "valid_until": _future(), "form": "written"},
    )
    assert len(covered.json()["consents"]) == 2
    sent = api.post(alice, f"/referrals/{referral_id}/send", {"expected_answer_on": _future(15)})
    assert sent.status_code == 200
    assert sent.json()["status"] == "sent"
    granted = api.post(alice, f"/referrals/{referral_id}/status", {"status": "granted"})
    assert granted.json()["decision"] == "granted"


def test_an_emergency_send_records_its_reason(api, organisation, alice):
    world = casework_world(organisation, alice)
    referral = factories.ReferralFactory(
        organisation=organisation, case=world.case, partner=world.partner, created_by=alice
    )
    sent = api.post(
        alice,
        f"/referrals/{referral.public_id}/send",
        {"emergency_reason": "Mise à l'abri le soir même"},
    )
    assert sent.status_code == 200
    assert Referral.objects.get(pk=referral.pk).emergency_reason == "Mise à l'abri le soir même"


def test_a_partner_of_another_service_cannot_be_named(api, organisation, alice):
    world = casework_world(organisation, alice)
    foreign = factories.PartnerFactory()
    response = api.post(
        alice,
        f"/cases/{world.case.public_id}/referrals",
        {"partner_id": str(foreign.public_id), "request": "Demande"},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"partner_id": ["Introuvable dans votre service."]}


# --- Statistics -----------------------------------------------------------------------------


def _cases(organisation, referent, count):
    for _ in range(count):
        factories.CaseFactory(
            organisation=organisation,
            person=factories.PersonFactory(organisation=organisation),
            referent=referent,
            opened_on=timezone.localdate().replace(month=1, day=2),
        )


def _table(response, key):
    return next(t for t in response.json()["tables"] if t["key"] == key)


def test_statistics_count_the_service_and_mask_small_cells(api, organisation, alice, manager):
    _cases(organisation, alice, 6)
    activity = _table(api.get(manager, "/statistics"), "activite")
    active = next(r for r in activity["rows"] if r["key"] == "active")
    assert active["values"]["count"] == 6
    assert active["suppressed"] is False

    closing = _table(api.get(manager, "/statistics"), "clotures-motif")
    for row in closing["rows"]:
        assert row["values"]["count"] in (0, None)


def test_a_small_service_is_masked_and_the_values_are_absent(api, organisation, alice, manager):
    _cases(organisation, alice, 2)
    response = api.get(manager, "/statistics")
    assert response.json()["threshold"] == 5
    activity = _table(response, "activite")
    active = next(r for r in activity["rows"] if r["key"] == "active")
    assert active["suppressed"] is True
    assert active["values"] == {"count": None, "persons": None}
    assert activity["total"] is None or activity["total"]["values"]["persons"] in (None, 0)


def test_a_worker_sees_their_own_figures_unmasked(api, organisation, alice):
    _cases(organisation, alice, 2)
    response = api.get(alice, "/statistics", scope="mine")
    assert response.json()["masked"] is False
    active = next(r for r in _table(response, "activite")["rows"] if r["key"] == "active")
    assert active["values"]["count"] == 2


def test_an_employer_sees_only_its_company_by_calendar_period(api, organisation, employer_viewer):
    response = api.get(employer_viewer, "/statistics", quarter=1)
    assert response.status_code == 200
    keys = {t["key"] for t in response.json()["tables"]}
    assert "clotures-motif" not in keys and "personnes-employeur" not in keys
    refused = api.get(employer_viewer, "/statistics", start="2026-01-01", end="2026-01-31")
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"start", "end"}


def test_a_team_of_one_worker_cannot_be_asked_for(api, organisation, manager):
    team = factories.TeamFactory(organisation=organisation)
    factories.UserFactory(organisation=organisation, team=team)
    response = api.get(manager, "/statistics", team=str(team.public_id))
    assert response.status_code == 422
    assert "team" in response.json()["fields"]
