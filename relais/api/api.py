"""The JSON API, /api/v1/: django-ninja, authenticated by personal tokens."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from relais.api.auth import TokenAuth
from relais.api.endpoints import (
    agenda,
    aids,
    cases,
    interventions,
    me,
    partners,
    persons,
    plans,
    referential,
    requests,
    statistics,
)
from relais.api.errors import install_handlers

DESCRIPTION = """
L'API de Relais donne à un programme les droits de la personne qui lui a confié son jeton,
jamais davantage : chaque lecture passe par les mêmes règles que les pages et est inscrite
au journal des accès ; chaque écriture passe par les mêmes fonctions que les pages.

- **Authentification** : `Authorization: Bearer <jeton>`. Un jeton se crée, se liste et se
  révoque dans la page « Mon compte ».
- **Identifiants** : des UUID opaques (`id`).
- **Dates** : ISO 8601 ; les dates-heures portent leur fuseau horaire.
- **Listes** : paginées par curseur (`limit`, `cursor` = le `next_cursor` de la page
  précédente), stables quand des lignes sont ajoutées pendant le parcours ; tri par `sort`
  (`-` pour l'ordre décroissant) et filtres propres à chaque liste.
- **Erreurs** : `{"code": "...", "message": "...", "fields": {"champ": ["..."]}}`. Ce que
  l'on ne peut pas voir répond 404, comme ce qui n'existe pas.
- **Débit** : un nombre limité de requêtes par minute et par jeton (429 au-delà, avec
  `Retry-After`).
"""


class FrenchJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="API Relais",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        openapi_url="/openapi.json",
        docs_url=None,
        auth=TokenAuth(),
        renderer=FrenchJSONRenderer(),
    )
    install_handlers(api)
    for module in (
        me,
        referential,
        persons,
        requests,
        cases,
        interventions,
        plans,
        agenda,
        aids,
        partners,
        statistics,
    ):
        api.add_router("", module.router)
    return api


api = build_api()
