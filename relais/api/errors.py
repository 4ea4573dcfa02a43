"""One JSON shape for every error: {"code": "...", "message": "<French>", "fields": {...}}.

``code`` is for programs (stable, English), ``message`` for people (French), ``fields``
names each invalid input with its French messages.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.schema import Schema

from relais.cases.errors import ActionRefused

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ApiError(Exception):
    status = 400
    code = "bad_request"
    message = "Requête invalide."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields or {}
        self.status = status or self.status
        self.headers = headers or {}
        super().__init__(self.message)


class NotAuthenticated(ApiError):
    status = 401
    code = "authentication_required"
    message = "Authentification requise : envoyez un jeton dans l'en-tête Authorization: Bearer."


class Forbidden(ApiError):
    status = 403
    code = "forbidden"
    message = "Votre rôle ne permet pas cette action."


class NotFound(ApiError):
    status = 404
    code = "not_found"
    message = "Ressource introuvable."


class Conflict(ApiError):
    status = 409
    code = "conflict"
    message = "Cette action n'est pas possible dans l'état actuel de la ressource."


class Invalid(ApiError):
    status = 422
    code = "validation_error"
    message = "Certaines données sont invalides."


class RateLimited(ApiError):
    status = 429
    code = "rate_limited"
    message = "Trop de requêtes pour ce jeton : réessayez dans quelques secondes."


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    response = JsonResponse(
        {"code": code, "message": message, "fields": fields or {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="relais"'
    return response


# --- Validation messages, in French ----------------------------------------------------

_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_too_long": "Au plus {max_length} caractères.",
    "string_too_short": "Au moins {min_length} caractère(s).",
    "string_type": "Texte attendu.",
    "string_pattern_mismatch": "Format invalide.",
    "int_type": "Nombre entier attendu.",
    "int_parsing": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu.",
    "float_type": "Nombre attendu.",
    "float_parsing": "Nombre attendu.",
    "bool_type": "Booléen attendu (true ou false).",
    "bool_parsing": "Booléen attendu (true ou false).",
    "greater_than": "La valeur doit être supérieure à {gt}.",
    "greater_than_equal": "La valeur doit être supérieure ou égale à {ge}.",
    "less_than": "La valeur doit être inférieure à {lt}.",
    "less_than_equal": "La valeur doit être inférieure ou égale à {le}.",
    "uuid_type": "Identifiant (UUID) attendu.",
    "uuid_parsing": "Identifiant (UUID) invalide.",
    "uuid_version": "Identifiant (UUID) invalide.",
    "date_type": "Date attendue (AAAA-MM-JJ).",
    "date_parsing": "Date invalide : format AAAA-MM-JJ attendu.",
    "date_from_datetime_parsing": "Date invalide : format AAAA-MM-JJ attendu.",
    "date_from_datetime_inexact": "Date attendue, sans heure.",
    "datetime_type": "Date et heure attendues (ISO 8601 avec fuseau horaire).",
    "datetime_parsing": "Date et heure invalides : ISO 8601 avec fuseau horaire attendu.",
    "datetime_from_date_parsing": "Date et heure invalides : ISO 8601 avec fuseau horaire attendu.",
    "timezone_aware": "Indiquez le fuseau horaire (par exemple 2026-03-02T09:30:00+01:00).",
    "decimal_type": "Montant attendu (par exemple 150.00).",
    "decimal_parsing": "Montant invalide (par exemple 150.00).",
    "decimal_max_digits": "Montant trop grand.",
    "decimal_max_places": "Au plus {decimal_places} chiffres après la virgule.",
    "decimal_whole_digits": "Montant trop grand.",
    "finite_number": "Nombre fini attendu.",
    "enum": "Valeur non autorisée ; valeurs possibles : {expected}.",
    "literal_error": "Valeur non autorisée ; valeurs possibles : {expected}.",
    "list_type": "Liste attendue.",
    "too_long": "Au plus {max_length} élément(s).",
    "too_short": "Au moins {min_length} élément(s).",
    "dict_type": "Objet JSON attendu.",
    "model_type": "Objet JSON attendu.",
    "model_attributes_type": "Objet JSON attendu.",
    "extra_forbidden": "Champ inconnu.",
    "json_invalid": "JSON invalide.",
    "value_error": "{error}",
    "assertion_error": "{error}",
}


def _french(error: dict) -> str:
    template = _MESSAGES.get(error.get("type", ""), "Valeur invalide.")
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = ctx["expected"].replace(" or ", " ou ")
    if "error" in ctx:
        # Our own validators raise ValueError("<French message>"); pydantic prefixes it.
        ctx["error"] = ctx["error"].removeprefix("Value error, ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return "Valeur invalide."


def _field_name(loc: tuple) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        source = parts.pop(0)
        # Body schemas are always bound to a parameter named "payload": drop it.
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
        if not parts:
            return "body" if source == "body" else source
    return ".".join(parts) or "__all__"


def validation_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(tuple(error.get("loc", ()))), []).append(_french(error))
    return fields


# --- Exception handlers ----------------------------------------------------------------

_HTTP_ERROR_CODES = {
    400: ("bad_request", "Requête invalide : le corps doit être un objet JSON."),
    401: ("authentication_required", NotAuthenticated.message),
    403: ("forbidden", Forbidden.message),
    404: ("not_found", NotFound.message),
    405: ("method_not_allowed", "Méthode HTTP non autorisée pour cette adresse."),
    409: ("conflict", Conflict.message),
    429: ("rate_limited", RateLimited.message),
}


def install_handlers(api) -> None:
    def on_api_error(request: HttpRequest, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    def on_validation_error(request: HttpRequest, exc: NinjaValidationError):
        return error_response(
            422, "validation_error", Invalid.message, validation_fields(exc.errors)
        )

    def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {name: list(messages) for name, messages in exc.message_dict.items()}
        else:
            fields = {"__all__": list(exc.messages)}
        return error_response(422, "validation_error", Invalid.message, fields)

    def on_http_error(request: HttpRequest, exc: HttpError):
        code, message = _HTTP_ERROR_CODES.get(exc.status_code, ("error", str(exc)))
        headers = {}
        if exc.status_code == 429 and getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait) + 1)
        return error_response(exc.status_code, code, message, headers=headers)

    def on_not_found(request: HttpRequest, exc: Http404):
        return error_response(404, NotFound.code, NotFound.message)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied):
        return error_response(403, Forbidden.code, str(exc) or Forbidden.message)

    def on_refused(request: HttpRequest, exc: ActionRefused):
        # The domain's refusal, in its own French words: an impossible transition or a
        # rule the schema cannot express (a date in the future, a closed case…).
        return error_response(409, "refused", str(exc))

    def on_unexpected(request: HttpRequest, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            500, "server_error", "Erreur interne : l'équipe technique est prévenue."
        )

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ActionRefused, on_refused)
    api.add_exception_handler(NinjaValidationError, on_validation_error)
    api.add_exception_handler(DjangoValidationError, on_django_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(Exception, on_unexpected)
