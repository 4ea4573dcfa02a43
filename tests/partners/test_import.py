"""Import of a data.inclusion export: row-by-row rejection, idempotence, progress, access."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relais.audit.models import ChangeEvent
from relais.partners import enums, importer, services
from relais.partners.models import DirectoryImport, Partner, PartnerService, ServiceThematique
from tests import factories

DATA = Path(__file__).parent / "data"


def _import(organisation, user, fmt="json", structures=True, services_file=True):
    directory_import = services.directory_import_create(
        by=user,
        organisation=organisation,
        format=fmt,
        structures=("structures." + fmt, (DATA / f"structures.{fmt}").read_bytes())
        if structures
        else None,
        services=("services." + fmt, (DATA / f"services.{fmt}").read_bytes())
        if services_file
        else None,
    )
    return importer.run_import(directory_import.pk)


def _reasons(directory_import, resource):
    return {
        (item["id"], reason)
        for item in directory_import.rejections
        if item["resource"] == resource
        for reason in item["reasons"]
    }


@pytest.fixture
def importer_user(organisation):
    return factories.UserFactory(organisation=organisation, role="admin")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_it_imports_good_rows_and_rejects_bad_rows_one_by_one(organisation, importer_user, fmt):
    result = _import(organisation, importer_user, fmt)

    assert result.status == enums.ImportStatus.DONE
    assert (result.created_count, result.updated_count, result.rejected_count) == (8, 0, 12)
    assert result.total_rows == result.processed_rows == 20
    assert set(
        Partner.objects.filter(organisation=organisation).values_list("name", flat=True)
    ) == {
        "CCAS de Bègles",
        "Point conseil budget de la Gironde",
        "Secours populaire — comité de Talence",
        "Mission locale des Graves",
    }
    assert PartnerService.objects.filter(organisation=organisation).count() == 4
    structures = _reasons(result, "structures")
    assert ("", "id : champ obligatoire manquant") in structures
    assert ("dora--nom-trop-court", "nom : trop court (au moins 3 caractères)") in structures
    assert any(r.startswith("code_postal") for i, r in structures if i == "dora--code-postal-faux")
    assert any(r.startswith("date_maj : date invalide") for i, r in structures)
    assert any(r.startswith("courriel : adresse e-mail invalide") for i, r in structures)
    assert any("identifiant en double" in r for i, r in structures)
    assert any(r.startswith("ligne mal formée") for i, r in structures)
    assert any("reseau-qui-nexiste-pas" in r for i, r in structures)
    service_reasons = _reasons(result, "services")
    assert any("sante--bien-etre-psychologique" in r for i, r in service_reasons)
    assert (
        "dora--svc-orphelin",
        "structure_id : structure inconnue « dora--structure-absente »",
    ) in service_reasons
    assert ("dora--svc-sans-nom", "nom : champ obligatoire manquant") in service_reasons
    accueil = {r for i, r in service_reasons if i == "dora--svc-accueil-inconnu"}
    assert any("en-visio" in r for r in accueil) and any("Gironde" in r for r in accueil)


def test_it_maps_the_schema_to_the_directory(organisation, importer_user):
    _import(organisation, importer_user)

    ccas = Partner.objects.get(organisation=organisation, source_id__startswith="dora--4f6c")
    assert ccas.origin == enums.PartnerOrigin.IMPORTED
    assert ccas.kind == enums.PartnerKind.LOCAL_AUTHORITY
    assert (ccas.postal_code, ccas.city, ccas.insee_code) == ("33130", "Bègles", "33039")
    assert ccas.reseaux_porteurs == ["ccas-cias", "communes"]
    mission_locale = Partner.objects.get(organisation=organisation, source_id="1287")
    # An older (v0) row: its typology and summary are read too.
    assert mission_locale.kind == enums.PartnerKind.EMPLOYMENT
    assert mission_locale.description.startswith("Accompagnement des jeunes")
    youth = PartnerService.objects.get(organisation=organisation, source_id="1287-garantie-jeunes")
    assert youth.service_type == "accompagnement"
    budget = PartnerService.objects.get(organisation=organisation, source_id="dora--svc-3b8a4f11")
    assert budget.modes_accueil == ["a-distance", "en-presentiel"]
    assert set(
        ServiceThematique.objects.filter(service=budget).values_list("code", flat=True)
    ) == set(budget.thematiques)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_importing_the_same_file_again_creates_nothing(organisation, importer_user, fmt):
    _import(organisation, importer_user, fmt)
    partners = Partner.objects.filter(organisation=organisation).count()

    again = _import(organisation, importer_user, fmt)

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 8)
    assert again.rejected_count == 12
    assert Partner.objects.filter(organisation=organisation).count() == partners


def test_a_changed_row_is_updated_in_place(organisation, importer_user, tmp_path):
    _import(organisation, importer_user)
    rows = json.loads((DATA / "structures.json").read_text())
    rows[0]["telephone"] = "+33556000000"
    directory_import = services.directory_import_create(
        by=importer_user,
        organisation=organisation,
        format="json",
        structures=("structures.json", json.dumps(rows).encode()),
        services=None,
    )

    result = importer.run_import(directory_import.pk)

    assert (result.created_count, result.updated_count) == (0, 1)
    assert Partner.objects.get(name="CCAS de Bègles").phone == "+33556000000"


def test_services_attach_to_structures_imported_earlier(organisation, importer_user):
    _import(organisation, importer_user, services_file=False)

    result = _import(organisation, importer_user, structures=False)

    assert result.created_count == 4
    assert result.rejected_count == 4


def test_an_unreadable_file_fails_with_a_clear_message(organisation, importer_user):
    directory_import = services.directory_import_create(
        by=importer_user,
        organisation=organisation,
        format="json",
        structures=("structures.json", b'[{"id": "1",'),
        services=None,
    )

    result = importer.run_import(directory_import.pk)

    assert result.status == enums.ImportStatus.FAILED
    assert "n'est pas un JSON lisible" in result.error
    assert result.structures_payload is None


def test_the_import_is_audited(organisation, importer_user):
    result = _import(organisation, importer_user)

    event = ChangeEvent.objects.get(verb="directory_import_run", object_id=str(result.public_id))
    assert event.after["created"] == 8
    assert event.user_id == importer_user.pk


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('["a", "b"]', ["a", "b"]),
        ("{a,b}", ["a", "b"]),
        ("a, b", ["a", "b"]),
        ("a|b", ["a", "b"]),
        ("a;b", ["a", "b"]),
        ("", []),
        (["a"], ["a"]),
    ],
)
def test_list_fields_are_read_in_the_encodings_found_in_exports(raw, expected):
    assert importer._as_list(raw) == expected


# --- The pages -------------------------------------------------------------------------


def _upload(client):
    return client.post(
        reverse("partners:import"),
        {
            "format": "json",
            "structures": SimpleUploadedFile(
                "structures.json", (DATA / "structures.json").read_bytes()
            ),
            "services": SimpleUploadedFile("services.json", (DATA / "services.json").read_bytes()),
        },
    )


def test_it_runs_the_import_through_the_task_queue_and_shows_the_report(client, importer_user):
    client.force_login(importer_user)

    response = _upload(client)

    directory_import = DirectoryImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partners:import_detail", args=[directory_import.public_id])
    page = client.get(response.url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Terminé" in content
    assert "structure inconnue « dora--structure-absente »" in content
    assert "hx-trigger" not in content  # finished: no more polling


def test_a_running_import_is_polled_and_refreshable_without_javascript(client, importer_user):
    directory_import = services.directory_import_create(
        by=importer_user,
        organisation=importer_user.membership.organisation,
        format="json",
        structures=("s.json", b"[]"),
        services=None,
    )
    client.force_login(importer_user)

    page = client.get(reverse("partners:import_detail", args=[directory_import.public_id]))
    fragment = client.get(
        reverse("partners:import_detail", args=[directory_import.public_id]),
        headers={"HX-Request": "true"},
    )

    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert ">Actualiser</a>" in page.content.decode()
    assert b"<html" not in fragment.content
    assert b'id="import-progress"' in fragment.content


def test_the_form_refuses_an_empty_upload(client, importer_user):
    client.force_login(importer_user)

    response = client.post(reverse("partners:import"), {"format": "json"})

    assert response.status_code == 200
    assert "Choisissez au moins un fichier à importer." in response.content.decode()
    assert not DirectoryImport.objects.exists()


def test_a_social_worker_cannot_import(client, alice):
    client.force_login(alice)

    assert client.get(reverse("partners:import")).status_code == 403
    assert _upload(client).status_code == 403


def test_another_organisation_cannot_see_an_import(client, organisation, importer_user, charlie):
    result = _import(organisation, importer_user)
    other_admin = factories.UserFactory(organisation=charlie.membership.organisation, role="admin")
    client.force_login(other_admin)

    response = client.get(reverse("partners:import_detail", args=[result.public_id]))

    assert response.status_code == 404


def test_imported_rows_stay_in_the_importing_organisation(
    organisation, other_organisation, importer_user
):
    _import(organisation, importer_user)

    assert not Partner.objects.filter(organisation=other_organisation).exists()
