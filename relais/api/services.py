"""Writes on API tokens: one transaction each, with its audit row."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from relais.accounts.models import User
from relais.api.models import TOKEN_PREFIX, ApiToken, token_digest
from relais.audit.log import record_change, snapshot
from relais.policy import rules

AUDITED_FIELDS = ["id", "public_id", "user", "name", "hint", "expires_at", "revoked_at"]


class TokenError(Exception):
    pass


@transaction.atomic
def api_token_create(
    *, by: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``by`` and return it with its secret (shown once, never stored)."""
    organisation_id = rules.organisation_id(by)
    if organisation_id is None:
        raise TokenError("Votre compte n'est rattaché à aucun service.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation_id=organisation_id,
        user=by,
        name=name,
        hint=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        expires_at=expires_at,
    )
    record_change(
        user=by, verb="api_token_create", obj=token, after=snapshot(token, AUDITED_FIELDS)
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    before = snapshot(token, AUDITED_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_change(
        user=by,
        verb="api_token_revoke",
        obj=token,
        before=before,
        after=snapshot(token, AUDITED_FIELDS),
    )
    return token
