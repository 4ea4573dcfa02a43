import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from relais.accounts.models import Employer, Membership, Organisation, User
from relais.demo.organisation import DEMO_ORGANISATION_ID, DEMO_PASSWORD
from tests.factories import TEST_PASSWORD


def test_settings_are_french_and_aware():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_logs_in_and_shows_the_home_page(client, alice, organisation):
    response = client.post(
        reverse("login"), {"username": alice.email, "password": TEST_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert organisation.name in response.text
    assert "Se déconnecter" in response.text


def test_it_refuses_a_wrong_password_in_french(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "nope"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.text


def test_logout_needs_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    "password, ok",
    [
        ("court-1A!", False),  # fewer than 12 characters
        ("toutenminuscules", False),  # one character class
        ("Tout-en-phrase-2026", True),
        ("123456789012", False),
    ],
)
def test_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_change_page_is_french(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert "12 caractères" in response.text


def test_404_page_leaks_nothing(client, alice):
    client.force_login(alice)
    response = client.get("/pas-une-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Traceback" not in response.text


def test_health_is_public_and_minimal(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_static_assets_are_served_by_the_app(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert "/static/js/htmx-2.0.11.min.js" in response.text
    assert "//cdn" not in response.text and "unpkg" not in response.text


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    organisation = Organisation.objects.get(public_id=DEMO_ORGANISATION_ID)
    assert Organisation.objects.filter(public_id=DEMO_ORGANISATION_ID).count() == 1
    roles = list(
        Membership.objects.filter(organisation=organisation).values_list("role", flat=True)
    )
    assert roles.count("social_worker") == 3
    assert roles.count("secretary") == 1
    assert roles.count("manager") == 1
    assert roles.count("employer_viewer") == 3
    output = capsys.readouterr().out
    assert "ass1@demo.relais.example" in output
    assert DEMO_PASSWORD in output
    user = User.objects.get(email="ass1@demo.relais.example")
    assert user.check_password(DEMO_PASSWORD)


def test_demo_has_an_establishment_split_client(db):
    call_command("seed_demo")
    organisation = Organisation.objects.get(public_id=DEMO_ORGANISATION_ID)
    counts = sorted(
        e.establishments.count() for e in Employer.objects.filter(organisation=organisation)
    )
    assert counts == [1, 1, 2]
