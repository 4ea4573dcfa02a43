"""Who the token speaks for."""

import datetime
import uuid

from ninja import Router, Schema

from relais.accounts.enums import Role
from relais.api.endpoints.common import AUTH_ERRORS
from relais.policy import rules

router = Router(tags=["Compte"])


class OrganisationRef(Schema):
    id: uuid.UUID
    name: str


class TokenRef(Schema):
    id: uuid.UUID
    name: str
    expires_at: datetime.datetime | None


class MeOut(Schema):
    id: uuid.UUID
    name: str
    email: str
    role: Role
    organisation: OrganisationRef
    token: TokenRef


@router.get("/me", response={200: MeOut, **AUTH_ERRORS}, summary="Le compte de ce jeton")
def me(request):
    user = request.user
    membership = rules.membership(user)
    token = request.auth
    return {
        "id": user.public_id,
        "name": user.display_name,
        "email": user.email,
        "role": membership.role,
        "organisation": {
            "id": membership.organisation.public_id,
            "name": membership.organisation.name,
        },
        "token": {"id": token.public_id, "name": token.name, "expires_at": token.expires_at},
    }
