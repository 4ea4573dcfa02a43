import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Membership
from relais.api.models import ApiToken
from relais.api.services import api_token_create
from relais.audit.models import ChangeEvent


def _create(client, name="Agenda partagé", expires_on=""):
    return client.post(reverse("profile"), {"name": name, "expires_on": expires_on})


def test_the_base_template_links_to_the_profile_page(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert f'href="{reverse("profile")}"' in response.text
    assert "Mon compte" in response.text


def test_the_profile_page_needs_a_login(client, db):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_creates_a_token_shows_it_once_and_stores_only_its_digest(client, alice):
    client.force_login(alice)
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    response = _create(client, expires_on=expires_on.isoformat())
    assert response.status_code == 200
    assert "plus jamais affiché" in response.text
    token = ApiToken.objects.get(user=alice)
    secret = response.text.split('id="secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("rls_") and len(secret) > 40
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.hint, token.name}
    assert token.expires_at == timezone.make_aware(
        datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time.min)
    )
    assert response["Cache-Control"].startswith("max-age=0")

    listing = client.get(reverse("profile"))
    assert "Agenda partagé" in listing.text
    assert f"{expires_on:%d/%m/%Y} inclus" in listing.text
    assert token.hint in listing.text
    assert secret not in listing.text

    # The secret works as a bearer token.
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200
    assert me.json()["email"] == alice.email


def test_token_creation_and_revocation_are_in_the_change_log(client, alice):
    client.force_login(alice)
    _create(client)
    token = ApiToken.objects.get(user=alice)
    client.post(reverse("api_token_revoke", args=[token.public_id]))
    verbs = list(
        ChangeEvent.objects.filter(object_id=str(token.public_id))
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs == ["api_token_create", "api_token_revoke"]


@pytest.mark.parametrize(
    "name, expires_on, message",
    [
        ("", "", "Ce champ est obligatoire."),
        ("Hier", "2000-01-01", "La date est passée"),
        ("Trop long", "2099-01-01", "Deux ans au plus"),
    ],
)
def test_it_refuses_bad_input_in_french(client, alice, name, expires_on, message):
    client.force_login(alice)
    response = _create(client, name=name, expires_on=expires_on)
    assert response.status_code == 200
    assert message in response.text
    assert not ApiToken.objects.exists()


def test_it_lists_only_my_tokens(client, alice, bob):
    api_token_create(by=bob, name="Le jeton de Bob")
    api_token_create(by=alice, name="Le jeton pour Alice")
    client.force_login(alice)
    response = client.get(reverse("profile"))
    assert "Le jeton pour Alice" in response.text
    assert "Le jeton de Bob" not in response.text


def test_it_revokes_a_token_which_then_stops_working(client, alice):
    token, secret = api_token_create(by=alice, name="À révoquer")
    client.force_login(alice)
    response = client.post(reverse("api_token_revoke", args=[token.public_id]), follow=True)
    assert "est révoqué" in response.text
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401
    assert api.json()["code"] == "token_revoked"


def test_nobody_else_can_revoke_my_token(client, alice, bob, charlie):
    token, _ = api_token_create(by=alice, name="Le mien")
    for other in (bob, charlie):
        client.force_login(other)
        response = client.post(reverse("api_token_revoke", args=[token.public_id]))
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revocation_needs_post(client, alice):
    token, _ = api_token_create(by=alice, name="Le mien")
    client.force_login(alice)
    assert client.get(reverse("api_token_revoke", args=[token.public_id])).status_code == 405


def test_it_records_the_last_use(client, alice):
    token, secret = api_token_create(by=alice, name="Suivi")
    assert token.last_used_at is None
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header, code",
    [
        (None, "authentication_required"),
        ("Basic YWxpY2U6c2VjcmV0", "authentication_required"),
        ("Bearer ", "authentication_required"),
        ("Bearer rls_inconnu", "invalid_token"),
        ("Bearer pas-un-jeton-de-relais", "invalid_token"),
    ],
)
def test_missing_or_unknown_tokens_get_401(client, alice, header, code):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/me", **extra)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_gets_401(client, alice):
    _, secret = api_token_create(
        by=alice, name="Ancien", expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response.json() == {
        "code": "token_expired",
        "message": "Ce jeton a expiré.",
        "fields": {},
    }


def test_a_token_dies_with_its_users_access(client, alice):
    _, secret = api_token_create(by=alice, name="Départ")
    Membership.objects.filter(user=alice).update(is_active=False)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response.json()["code"] == "inactive_account"


def test_a_session_is_not_enough_for_the_api(client, alice):
    """The API answers tokens only: a logged-in browser cannot be driven into it (CSRF)."""
    client.force_login(alice)
    assert client.get("/api/v1/me").status_code == 401
