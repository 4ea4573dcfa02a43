"""Secrecy in the browser: a break-glass read seen by the referent, two-factor login,
and pages that the Content-Security-Policy lets run (htmx included)."""

import base64
import datetime
import re

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests import factories
from tests.factories import TEST_PASSWORD

REASON = "Absence de la référente, la personne appelle pour une expulsion"


@pytest.fixture
def csp_violations(page):
    """Console messages of blocked inline scripts or styles (must stay empty)."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


@pytest.fixture
def case(alice, organisation):
    person = factories.PersonFactory(organisation=organisation, last_name="Lefèvre")
    case = factories.CaseFactory(person=person, referent=alice)
    factories.NoteFactory(case=case, author=alice, body="Rendez-vous CAF obtenu.")
    return case


def test_a_manager_reads_a_case_with_a_reason_and_the_referent_sees_it(
    page, login, manager, alice, case, csp_violations
):
    login(manager)
    page.goto(f"/personnes/{case.person.public_id}/")
    page.get_by_role("link", name=re.compile("accès exceptionnel")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès exceptionnel à un dossier")
    page.get_by_role("button", name=re.compile("Ouvrir le dossier")).click()
    expect(page.locator("#id_reason_error")).to_contain_text("Indiquez le motif")
    page.get_by_label("Motif de l'accès exceptionnel").fill(REASON)
    page.get_by_role("button", name=re.compile("Ouvrir le dossier")).click()
    expect(page.get_by_text("Accès exceptionnel ouvert jusqu'à ce soir minuit")).to_be_visible()
    expect(page.get_by_text("Rendez-vous CAF obtenu.")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    login(alice)
    home = page.get_by_role("region", name="Accès exceptionnels à vos dossiers")
    expect(home).to_contain_text(manager.display_name)
    expect(home).to_contain_text(REASON)
    page.goto(f"/dossiers/{case.public_id}/")
    consulted = page.get_by_role("region", name="Qui a consulté ce dossier")
    expect(consulted).to_contain_text(manager.display_name)
    expect(consulted).to_contain_text("Accès exceptionnel")
    assert csp_violations == []


def test_two_factor_setup_then_login_with_a_code(page, alice, organisation, csp_violations):
    organisation.require_two_factor = True
    organisation.save()
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill(alice.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.locator("svg.qr-code")).to_be_visible()
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code à usage unique").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification activée")
    expect(page.locator(".backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.get_by_role("button", name="Se déconnecter").click()

    page.get_by_label("Adresse e-mail").fill(alice.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    totp = TOTP(key)
    totp.time = timezone.now().timestamp() + 30  # the setup code's step is spent
    page.get_by_label("Code à usage unique").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert csp_violations == []


def test_htmx_runs_under_the_csp(page, login, alice, csp_violations):
    login(alice)
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.allowEval") is False
    assert csp_violations == []


def test_the_supervisor_reads_a_pseudonymised_situation(
    page, login, alice, supervisor, case, csp_violations
):
    factories.SupervisionShareFactory(
        case=case,
        shared_by=alice,
        supervisor=supervisor,
        ends_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    login(supervisor)
    page.goto("/supervision/")
    page.get_by_role("link", name=re.compile(r"^[^\s.]\. L\.")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Situation de")
    expect(page.locator("main")).not_to_contain_text("Lefèvre")
    expect(page.locator("main")).not_to_contain_text("LEFÈVRE")
    assert csp_violations == []
