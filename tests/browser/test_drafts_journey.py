"""A note being typed survives the end of the session (DESIGN: long texts are never lost)."""

from playwright.sync_api import expect

from relais.cases.models import Note
from relais.drafts.models import Draft
from tests import factories
from tests.factories import TEST_PASSWORD

NOTE = "Madame a reçu le courrier de la CAF ; elle souhaite en parler mardi."


def test_a_note_typed_before_a_session_timeout_comes_back_after_login(page, login, alice):
    case = factories.CaseFactory(person__organisation=alice.membership.organisation, referent=alice)
    login(alice)
    page.goto(f"/dossiers/{case.public_id}/")
    note = page.get_by_label("Note rapide")
    note.fill(NOTE)
    note.blur()  # saved on leaving the field (and a few seconds after typing stops)
    for _ in range(20):
        if Draft.objects.exists():
            break
        page.wait_for_timeout(250)
    assert Draft.objects.count() == 1

    # The session ends (inactivity); the worker sends the note anyway.
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill(alice.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Back on the note form: the text is there, and the page says where it comes from.
    expect(page.get_by_text("Texte non envoyé retrouvé")).to_be_visible()
    expect(page.get_by_label("Note rapide")).to_have_value(NOTE)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Note ajoutée.")).to_be_visible()
    assert Note.objects.get(case=case).body == NOTE
    assert not Draft.objects.exists()
