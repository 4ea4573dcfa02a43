import pytest

from relais.api.services import api_token_create


class ApiClient:
    """Django's test client speaking to /api/v1/ with a user's token."""

    def __init__(self, client):
        self.client = client
        self._secrets = {}

    def secret_for(self, user) -> str:
        if user.pk not in self._secrets:
            _, self._secrets[user.pk] = api_token_create(by=user, name="Tests")
        return self._secrets[user.pk]

    def _headers(self, user):
        if user is None:
            return {}
        secret = user if isinstance(user, str) else self.secret_for(user)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, user, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self._headers(user))

    def post(self, user, path, data=None):
        return self.client.post(
            f"/api/v1{path}", data or {}, content_type="application/json", **self._headers(user)
        )

    def patch(self, user, path, data=None):
        return self.client.patch(
            f"/api/v1{path}", data or {}, content_type="application/json", **self._headers(user)
        )


@pytest.fixture
def api(client):
    return ApiClient(client)
