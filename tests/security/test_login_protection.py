"""Lockout after repeated failures, session expiry, CNIL password rules — in French."""

import datetime
import html
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.security.middleware import SESSION_TOUCHED
from tests.factories import TEST_PASSWORD


def _attempt(client, email, password, ip="10.1.1.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


# --- Lockout (django-axes) ------------------------------------------------------------


def test_five_failures_lock_the_account_from_that_address(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, alice.email, "mauvais-mot-de-passe")
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in response.text
    locked = _attempt(client, alice.email, "mauvais-mot-de-passe")
    assert locked.status_code == 429
    text = html.unescape(locked.text)
    assert "Connexion temporairement bloquée" in text
    assert "15 minutes" in text
    # Even the right password is refused while locked.
    assert _attempt(client, alice.email, TEST_PASSWORD).status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_the_lock_counts_the_login_whatever_its_case(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, alice.email.upper(), "mauvais-mot-de-passe")
    assert _attempt(client, alice.email, TEST_PASSWORD).status_code == 429


def test_a_stranger_cannot_lock_a_colleague_out_from_elsewhere(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, alice.email, "mauvais-mot-de-passe", ip="203.0.113.9")
    response = _attempt(client, alice.email, TEST_PASSWORD, ip="10.1.1.1")
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, alice, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, alice.email, "mauvais-mot-de-passe")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert _attempt(client, alice.email, TEST_PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, alice.email, "mauvais-mot-de-passe")
    assert _attempt(client, alice.email, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, alice.email, "mauvais-mot-de-passe")
    assert _attempt(client, alice.email, TEST_PASSWORD).status_code == 302


def test_client_login_without_a_request_still_works_for_tests_and_shells(client, alice):
    assert client.login(username=alice.email, password=TEST_PASSWORD)


# --- Session expiry ---------------------------------------------------------------------


def test_a_session_expires_after_thirty_minutes_without_activity(client, alice, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    _attempt(client, alice.email, TEST_PASSWORD)
    session = Session.objects.get()
    assert session.expire_date - timezone.now() > datetime.timedelta(minutes=29)
    assert session.expire_date - timezone.now() <= datetime.timedelta(minutes=30)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _touched_ago(client, seconds):
    """Make the session look last pushed back ``seconds`` ago, expiring in 2 minutes."""
    session = client.session
    session[SESSION_TOUCHED] = int(time.time()) - seconds
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=2))


def test_a_request_pushes_the_expiry_back_once_a_minute(client, alice):
    _attempt(client, alice.email, TEST_PASSWORD)
    _touched_ago(client, 61)
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get()
    assert session.expire_date - timezone.now() > datetime.timedelta(minutes=29)


def test_requests_within_the_minute_do_not_write_the_session(client, alice):
    _attempt(client, alice.email, TEST_PASSWORD)
    _touched_ago(client, 10)
    before = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get().expire_date == before
    writes = [q["sql"] for q in captured if "django_session" in q["sql"]]
    assert writes and not any(sql.lstrip().upper().startswith("UPDATE") for sql in writes)


def test_an_expired_session_is_not_revived_by_the_keep_alive(client, alice):
    _attempt(client, alice.email, TEST_PASSWORD)
    _touched_ago(client, 3600)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_account_is_logged_out_of_its_open_session(client, alice):
    _attempt(client, alice.email, TEST_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_withdrawn_membership_takes_its_rights_away_from_an_open_session(client, alice):
    from relais.accounts.models import Membership

    _attempt(client, alice.email, TEST_PASSWORD)
    assert client.get(reverse("cases:caseload")).status_code == 200
    Membership.objects.filter(user=alice).update(is_active=False)
    assert client.get(reverse("cases:caseload")).status_code == 403


def test_an_unknown_session_key_is_an_anonymous_visit(client, alice, settings):
    _attempt(client, alice.email, TEST_PASSWORD)
    Session.objects.all().delete()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_session_cookie_is_http_only_and_not_for_other_sites(client, alice, settings):
    response = _attempt(client, alice.email, TEST_PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 60


# --- CNIL password rules, in French ------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("Court-1!", "au minimum 12 caractères"),
        ("toutenminusculessansrien", "au moins trois types de caractères"),
        ("123456789012", "entièrement numérique"),
        ("qwertyuiop123", "trop courant"),
        ("Marseille-2026!", "repose sur un mot trop courant"),
        ("Azerty123456!", "repose sur un mot trop courant"),
        ("Mot-de-passe-2026", "repose sur un mot trop courant"),
    ],
)
def test_password_rules_speak_french(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_a_password_like_the_login_is_refused_in_french(alice):
    alice.email = "jeanne.martin-dupuis@example.org"
    with pytest.raises(ValidationError) as error:
        validate_password("Jeanne.Martin-Dupuis", user=alice)
    assert any("trop semblable" in text for text in error.value.messages), error.value.messages


def test_a_good_passphrase_is_accepted():
    validate_password("Trois-chats-sur-un-toit")
    validate_password("Relais-demo-2026!")
    validate_password(TEST_PASSWORD)


def test_the_password_change_page_lists_the_rules_and_errors_in_french(client, alice):
    client.force_login(alice)
    page = html.unescape(client.get(reverse("password_change")).text)
    assert "au minimum 12 caractères" in page
    assert "au moins trois types de caractères" in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "toutenminusculessansrien",
            "new_password2": "toutenminusculessansrien",
        },
    )
    assert "au moins trois types de caractères" in html.unescape(response.text)
