"""Deployment checks, HTTP headers, CSP, error pages and logs without personal data."""

import base64
import io
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from relais.security.logging import NoPersonalDataFilter

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path) -> dict:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "relais.settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "relais.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "RELAIS_MASTER_KEYS": f"k1:{key}",
        "RELAIS_VAR_DIR": str(tmp_path),
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_production_settings_values(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "31536000", "True", "True", "False"], result.stderr


# --- Headers --------------------------------------------------------------------------


def test_every_page_carries_the_security_headers(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"), secure=True)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_login_page_too(client, db):
    response = client.get(reverse("login"))
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https_except_the_health_probe(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get("/connexion/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/connexion/"
    assert client.get("/sante/").status_code == 200


def test_cookies_are_secure_and_http_only(client, alice):
    from tests.factories import TEST_PASSWORD

    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": alice.email, "password": TEST_PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert settings.CSRF_COOKIE_SECURE and settings.CSRF_COOKIE_HTTPONLY


# --- Templates: nothing the CSP would block ------------------------------------------------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "script en ligne"),
    (re.compile(r"<style\b", re.I), "balise <style>"),
    (re.compile(r"\sstyle\s*=", re.I), "attribut style"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "gestionnaire d'événement en ligne"),
    (re.compile(r"javascript:", re.I), "URL javascript:"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on (évalué, bloqué par la CSP)"),
]


def _templates():
    """Templates a browser receives. Those rendered to PDF on the server (WeasyPrint; "pdf"
    in their path) are never served as HTML: the CSP does not apply to them."""
    dirs = [ROOT / "templates", *sorted((ROOT / "relais").glob("*/templates"))]
    for directory in dirs:
        for path in sorted(directory.rglob("*.html")):
            if "pdf" not in str(path.relative_to(directory)):
                yield path


def test_no_template_carries_inline_script_or_style():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not offenders, "La CSP bloquerait :\n" + "\n".join(offenders)


def test_htmx_is_configured_for_the_csp():
    base = (ROOT / "templates" / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base


# --- Errors and logs ------------------------------------------------------------------------


@pytest.fixture
def crash_client(settings, alice):
    settings.ROOT_URLCONF = "tests.security.crash_urls"
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


@pytest.fixture
def server_log():
    handler = logging.getLogger("django.request").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_500_page_shows_nothing_of_the_request(crash_client, alice, server_log):
    response = crash_client.post(
        "/plante/?nom=Germaine+Lenoir", {"note": "Violences évoquées par Madame Lenoir"}
    )
    assert response.status_code == 500
    text = response.text
    assert "Une erreur est survenue" in text
    for leak in ("Lenoir", "Germaine", "Violences", "plante", "Traceback", alice.email):
        assert leak not in text, leak
    assert "<style" not in text


def test_server_logs_keep_the_traceback_but_no_personal_data(crash_client, server_log):
    crash_client.post(
        "/plante/?nom=Germaine+Lenoir", {"note": "Violences évoquées par Madame Lenoir"}
    )
    log = server_log.getvalue()
    assert "Internal Server Error: /plante/" in log
    assert "Traceback" in log and "crash_urls.py" in log  # what the operator needs
    assert "builtins.ValueError: [message masqué]" in log
    for leak in ("Lenoir", "Germaine", "Violences"):
        assert leak not in log, leak


def test_the_filter_masks_chained_exception_messages_too():
    email = "dupont" + "@example.org"  # source lines are shown, values must not be
    try:
        try:
            raise KeyError(email)
        except KeyError as inner:
            raise RuntimeError(f"Clé (email)=({email}) existe déjà") from inner
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "échec", (), sys.exc_info())
    NoPersonalDataFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "dupont" not in formatted
    assert "builtins.KeyError: [message masqué]" in formatted
    assert "builtins.RuntimeError: [message masqué]" in formatted


def test_sql_parameters_never_reach_the_logs():
    assert logging.getLogger("django.db.backends").getEffectiveLevel() >= logging.WARNING


# --- Upload limits ----------------------------------------------------------------------------


def test_an_oversized_request_is_refused_before_it_is_read(client, alice, settings):
    settings.RELAIS_MAX_REQUEST_SIZE = 1024
    client.force_login(alice)
    response = client.generic(
        "POST", reverse("home"), b"x" * 2048, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text
    assert "1 Mo" in response.text or "0 Mo" in response.text


def test_an_oversized_api_request_gets_the_api_error_shape(client, settings):
    settings.RELAIS_MAX_REQUEST_SIZE = 1024
    response = client.generic(
        "POST", "/api/v1/persons", b"x" * 2048, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "rien n'a été enregistré" in response.json()["message"]


def test_upload_settings_are_bounded():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.RELAIS_MAX_REQUEST_SIZE <= 50 * 1024 * 1024
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
