"""A worker creates an API token in their account page, uses it once, then revokes it."""

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests import factories


def _me(live_server, secret) -> int:
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_use_and_revoke_a_token(page, login, live_server, db):
    alice = factories.UserFactory(email="alice@example.org")
    login(alice)
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_label("Nom du jeton").fill("Agenda partagé")
    page.get_by_role("button", name="Créer le jeton").click()

    expect(page.get_by_role("alert")).to_contain_text("plus jamais affiché")
    secret = page.get_by_label("Votre jeton").input_value()
    assert secret.startswith("rls_")
    assert _me(live_server, secret) == 200

    # Shown once: the list shows only its first characters.
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("row", name="Agenda partagé")).to_contain_text("actif")
    assert secret not in page.content()

    page.get_by_role("button", name="Révoquer le jeton « Agenda partagé »").click()
    expect(page.get_by_role("status")).to_contain_text("est révoqué")
    expect(page.get_by_role("row", name="Agenda partagé")).to_contain_text("révoqué le")
    assert _me(live_server, secret) == 401
