"""Bearer-token authentication and the per-token rate limit.

A token authenticates as its user: the endpoints then ask the policy module exactly as
the pages do, so a token never sees more than its user. The rate counter lives on the
token row (one UPDATE per request), so it holds across processes and servers without a
shared cache.
"""

import datetime

from django.conf import settings
from django.db.models import Case, F, Value, When
from django.utils import timezone
from ninja.security import HttpBearer

from relais.api.errors import NotAuthenticated, RateLimited
from relais.api.models import TOKEN_PREFIX, ApiToken, token_digest
from relais.policy import rules

MAX_TOKEN_LENGTH = 100


class TokenAuth(HttpBearer):
    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotAuthenticated()
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token: str) -> ApiToken:
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            raise NotAuthenticated("Jeton invalide.", code="invalid_token")
        api_token = (
            ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
        )
        if api_token is None:
            raise NotAuthenticated("Jeton invalide.", code="invalid_token")
        if api_token.is_revoked:
            raise NotAuthenticated("Ce jeton a été révoqué.", code="token_revoked")
        if api_token.is_expired:
            raise NotAuthenticated("Ce jeton a expiré.", code="token_expired")
        user = api_token.user
        membership = rules.membership(user)
        if (
            not user.is_active
            or membership is None
            or membership.organisation_id != api_token.organisation_id
        ):
            raise NotAuthenticated("Ce compte n'a plus accès au service.", code="inactive_account")
        count_request(api_token)
        request.user = user
        return api_token


def count_request(api_token: ApiToken) -> None:
    """Count this request in the token's current minute; refuse it past the limit.

    One conditional UPDATE: it matches no row once the minute's quota is spent, so two
    concurrent requests can never both take the last place.
    """
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    limit = settings.RELAIS_API_RATE_LIMIT
    # Both right-hand sides read the row as it was before the UPDATE (SQL semantics).
    counted = (
        ApiToken.objects.filter(pk=api_token.pk)
        .exclude(window_start=window, window_count__gte=limit)
        .update(
            window_count=Case(
                When(window_start=window, then=F("window_count") + 1), default=Value(1)
            ),
            window_start=window,
            last_used_at=now,
        )
    )
    if not counted:
        retry_after = int((window + datetime.timedelta(minutes=1) - now).total_seconds()) + 1
        raise RateLimited(
            f"Trop de requêtes : {limit} par minute au plus pour un jeton. "
            f"Réessayez dans {retry_after} secondes.",
            headers={"Retry-After": str(retry_after), "X-RateLimit-Limit": str(limit)},
        )
