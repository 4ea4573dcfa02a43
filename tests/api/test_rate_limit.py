import datetime

from relais.api.models import ApiToken
from relais.api.services import api_token_create


def _get(client, secret):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_it_refuses_requests_beyond_the_limit_with_429(client, alice, settings):
    settings.RELAIS_API_RATE_LIMIT = 3
    _, secret = api_token_create(by=alice, name="Pressé")
    assert [_get(client, secret).status_code for _ in range(3)] == [200, 200, 200]
    response = _get(client, secret)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert "3 par minute" in body["message"]
    assert 1 <= int(response["Retry-After"]) <= 61


def test_the_limit_is_per_token(client, alice, bob, settings):
    settings.RELAIS_API_RATE_LIMIT = 2
    _, first = api_token_create(by=alice, name="Premier")
    _, second = api_token_create(by=alice, name="Second")
    _, bobs = api_token_create(by=bob, name="Bob")
    for _ in range(2):
        _get(client, first)
    assert _get(client, first).status_code == 429
    assert _get(client, second).status_code == 200
    assert _get(client, bobs).status_code == 200


def test_a_new_minute_opens_a_new_window(client, alice, settings):
    settings.RELAIS_API_RATE_LIMIT = 2
    token, secret = api_token_create(by=alice, name="Patient")
    for _ in range(2):
        _get(client, secret)
    assert _get(client, secret).status_code == 429
    # The counter belongs to the minute it started in: move it one minute back.
    token.refresh_from_db()
    ApiToken.objects.filter(pk=token.pk).update(
        window_start=token.window_start - datetime.timedelta(minutes=1)
    )
    assert _get(client, secret).status_code == 200
    token.refresh_from_db()
    assert token.window_count == 1


def test_refused_requests_do_not_count(client, alice, settings):
    settings.RELAIS_API_RATE_LIMIT = 1
    token, secret = api_token_create(by=alice, name="Têtu")
    _get(client, secret)
    for _ in range(3):
        assert _get(client, secret).status_code == 429
    token.refresh_from_db()
    assert token.window_count == 1
