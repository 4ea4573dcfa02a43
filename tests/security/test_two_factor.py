import html
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.audit.models import ChangeEvent
from tests import factories
from tests.factories import TEST_PASSWORD


def _token(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _text(response) -> str:
    return html.unescape(response.text)


def _unthrottle(user):
    """django-otp makes one wait a second after a wrong code; tests do not wait."""
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)


def _login(client, user, **extra):
    return client.post(
        reverse("login"), {"username": user.email, "password": TEST_PASSWORD}, **extra
    )


@pytest.fixture
def strict(organisation):
    organisation.require_two_factor = True
    organisation.save()
    return organisation


@pytest.fixture
def enrolled(alice):
    """Alice with a confirmed authenticator and backup codes."""
    device = TOTPDevice.objects.create(user=alice, name="Téléphone", confirmed=True)
    backup = StaticDevice.objects.create(user=alice, name="Codes de secours", confirmed=True)
    for code in ("abcd2345", "efgh6789"):
        StaticToken.objects.create(device=backup, token=code)
    return device


def test_a_worker_is_sent_to_set_up_a_second_factor_when_required(client, alice, strict):
    response = _login(client, alice)
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("security:two_factor_setup"))
    setup = client.get(home["Location"])
    assert setup.status_code == 200
    assert "Activer la double authentification" in setup.text
    assert "<svg" in setup.text and "qr-code" in setup.text  # QR drawn inline, no service
    assert re.search(r'<code class="secret">([A-Z2-7]{4} ?)+</code>', setup.text)


def test_setting_up_confirms_the_device_and_shows_backup_codes_once(client, alice, strict):
    _login(client, alice)
    setup_url = reverse("security:two_factor_setup") + "?next=/"
    client.get(setup_url)
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    wrong = client.post(setup_url, {"token": "000000", "next": "/"})
    assert "Ce code ne correspond pas" in _text(wrong)
    _unthrottle(alice)
    response = client.post(setup_url, {"token": _token(device), "next": "/"})
    assert response.status_code == 200
    assert "Double authentification activée" in response.text
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert ChangeEvent.objects.filter(verb="two_factor_enable", user=alice).exists()


def test_reloading_the_setup_page_keeps_the_same_qr_code(client, alice, strict):
    _login(client, alice)
    first = client.get(reverse("security:two_factor_setup")).text
    second = client.get(reverse("security:two_factor_setup")).text
    secret = re.search(r'<code class="secret">(.*?)</code>', first).group(1)
    assert secret in second
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_an_enrolled_worker_types_the_code_after_the_password(client, alice, strict, enrolled):
    _login(client, alice)
    home = client.get(reverse("home"))
    assert home["Location"].startswith(reverse("security:two_factor_verify"))
    verify_url = reverse("security:two_factor_verify")
    wrong = client.post(verify_url, {"token": "123456", "next": "/"})
    assert "Code incorrect ou expiré" in _text(wrong)
    _unthrottle(alice)
    response = client.post(verify_url, {"token": _token(enrolled), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_repeated_wrong_codes_are_slowed_down(client, alice, strict, enrolled):
    _login(client, alice)
    verify_url = reverse("security:two_factor_verify")
    TOTPDevice.objects.filter(pk=enrolled.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    response = client.post(verify_url, {"token": _token(enrolled)})
    assert "Trop d'essais infructueux" in _text(response)
    assert client.get(reverse("home")).status_code == 302


def test_a_backup_code_works_once(client, alice, strict, enrolled):
    _login(client, alice)
    verify_url = reverse("security:two_factor_verify")
    response = client.post(verify_url, {"token": "ABCD 2345"}, follow=True)
    assert "il vous en reste 1" in _text(response)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    _login(client, alice)
    again = client.post(verify_url, {"token": "abcd2345"})
    assert "Code incorrect" in _text(again)


def test_before_the_second_factor_nothing_but_its_pages_and_logout(client, alice, strict, enrolled):
    _login(client, alice)
    for name in ("home", "audit:access_log", "security:account", "password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("security:two_factor_verify"))
    # Replacing the device needs the current one first.
    setup = client.get(reverse("security:two_factor_setup"))
    assert setup["Location"].startswith(reverse("security:two_factor_verify"))
    assert client.post(reverse("logout")).status_code == 302


def test_the_next_parameter_cannot_leave_the_site(client, alice, strict, enrolled):
    _login(client, alice)
    response = client.post(
        reverse("security:two_factor_verify"),
        {"token": _token(enrolled), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_roles_that_do_not_read_cases_are_not_asked(client, secretary, employer_viewer, strict):
    for user in (secretary, employer_viewer):
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200


def test_the_demo_setting_asks_nobody(client, alice, organisation):
    assert organisation.require_two_factor is False
    _login(client, alice)
    assert client.get(reverse("home")).status_code == 200


def test_a_user_who_chose_a_second_factor_is_asked_for_it(client, alice, enrolled):
    _login(client, alice)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("security:two_factor_verify"))


def test_a_user_can_turn_it_on_voluntarily_from_the_account_page(client, alice):
    client.force_login(alice)
    page = client.get(reverse("security:account"))
    assert "Non activée" in page.text
    assert reverse("security:two_factor_setup") in page.text


def test_renewing_backup_codes_replaces_the_old_ones(client, alice, strict, enrolled):
    _login(client, alice)
    client.post(reverse("security:two_factor_verify"), {"token": _token(enrolled)})
    response = client.post(reverse("security:backup_codes_renew"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="efgh6789").exists()
    assert ChangeEvent.objects.filter(verb="backup_codes_renew").exists()


def test_the_account_page_shows_the_remaining_codes(client, alice, strict, enrolled):
    _login(client, alice)
    client.post(reverse("security:two_factor_verify"), {"token": _token(enrolled)})
    page = client.get(reverse("security:account"))
    assert "Codes de secours restants : 2" in page.text


def test_renewing_codes_needs_a_verified_session(client, alice, enrolled):
    client.force_login(alice)
    assert client.post(reverse("security:backup_codes_renew")).status_code == 403


def test_an_admin_can_reset_a_lost_second_factor(alice, admin_user, enrolled):
    from relais.security import services

    services.two_factor_reset(by=admin_user, user=alice)
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert ChangeEvent.objects.filter(verb="two_factor_reset", user=admin_user).exists()


def test_another_organisations_requirement_does_not_leak(client, charlie, strict):
    factories.OrganisationFactory()
    client.force_login(charlie)
    assert client.get(reverse("home")).status_code == 200


def test_the_reset_command_removes_a_lost_second_factor(alice, enrolled):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("security", "reset-2fa", alice.email.upper(), stdout=out)
    assert "Double authentification retirée" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("security", "reset-2fa", "personne@example.org")
