import re

import pytest

from relais.audit.models import AccessEvent
from tests.api.world import casework_world


def test_validation_errors_name_each_field_in_french(api, alice):
    response = api.get(alice, "/persons", limit=0, sort="âge", birth_date="0")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["message"] == "Certaines données sont invalides."
    assert body["fields"]["limit"] == ["La valeur doit être supérieure ou égale à 1."]
    assert body["fields"]["sort"][0].startswith("Valeur non autorisée ; valeurs possibles :")
    assert " ou " in body["fields"]["sort"][0]
    assert body["fields"]["birth_date"] == ["Date invalide : format AAAA-MM-JJ attendu."]


def test_an_unknown_or_malformed_id_is_a_json_404(api, alice):
    for path in ["/persons/pas-un-uuid", "/persons/6f1c54b2-60ba-4bde-8d08-d8b1e07c8b2c"]:
        response = api.get(alice, path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_an_unknown_address_under_the_api_is_a_json_404(api, alice):
    response = api.get(alice, "/nulle-part")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_refused(api, alice):
    response = api.client.delete("/api/v1/persons", **api._headers(alice))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_the_schema_is_openapi_3_public_and_describes_the_bearer_token(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert "401" in operation["responses"], (method, path)
            assert "429" in operation["responses"], (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)


def test_datetimes_carry_their_time_zone(api, organisation, alice):
    world = casework_world(organisation, alice)
    data = api.get(alice, f"/interventions/{world.intervention.public_id}").json()
    assert re.match(
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", data["occurred_at"]
    )


def test_the_docs_page_is_self_contained_and_lists_every_operation(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.text
    schema = client.get("/api/v1/openapi.json").json()
    for path in schema["paths"]:
        assert path in html
    # Nothing loaded from elsewhere: every script, stylesheet and image is ours.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url
    assert "Authorization: Bearer" in html
    assert 'id="schema-ErrorOut"' in html
    assert client.get("/api/v1/").status_code == 302


@pytest.mark.parametrize(
    "path, object_type",
    [
        ("/persons/{person}", "people.person"),
        ("/cases/{case}", "cases.case"),
        ("/notes/{note}", "cases.note"),
        ("/aids/{aid}", "cases.financialaid"),
    ],
)
def test_reads_are_in_the_access_log_as_api(api, organisation, alice, path, object_type):
    world = casework_world(organisation, alice)
    url = path.format(
        person=world.person.public_id,
        case=world.case.public_id,
        note=world.fact_note.public_id,
        aid=world.aid.public_id,
    )
    before = AccessEvent.objects.count()
    assert api.get(alice, url).status_code == 200
    event = AccessEvent.objects.order_by("-seq").first()
    assert AccessEvent.objects.count() == before + 1
    assert (event.user_id, event.action, event.object_type) == (alice.pk, "api", object_type)
    assert event.object_id == url.rsplit("/", 1)[-1]
    assert event.person_id == world.person.pk


def test_a_list_logs_one_read_per_row_returned(api, organisation, alice):
    world = casework_world(organisation, alice)
    before = AccessEvent.objects.filter(action="api").count()
    items = api.get(alice, "/notes", case=str(world.case.public_id)).json()["items"]
    logged = AccessEvent.objects.filter(action="api").order_by("-seq")[: len(items)]
    assert AccessEvent.objects.filter(action="api").count() == before + len(items) == before + 2
    assert {e.object_id for e in logged} == {i["id"] for i in items}


def test_referential_reads_are_not_personal_data_and_not_logged(api, organisation, alice):
    casework_world(organisation, alice)
    before = AccessEvent.objects.count()
    assert api.get(alice, "/employers").status_code == 200
    assert AccessEvent.objects.count() == before
