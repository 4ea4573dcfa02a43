import io
import json
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from relais.audit.models import AccessEvent, ChangeEvent
from relais.crypto import keyring
from relais.reports import services
from relais.reports.models import CopyRedaction, PersonFileCopy
from relais.reports.person_file import PersonFileBuilder
from tests.reports.builders import full_file


@pytest.fixture
def file(alice, bob):
    return full_file(alice, bob)


def _produce(client, user, person):
    client.force_login(user)
    response = client.post(reverse("reports:copy_start", args=[person.public_id]))
    assert response.status_code == 302
    person_copy = PersonFileCopy.objects.get(person=person, status="review")
    return person_copy


def _downloads(client, person_copy):
    pdf = client.get(reverse("reports:copy_download", args=[person_copy.public_id, "pdf"]))
    raw_json = client.get(reverse("reports:copy_download", args=[person_copy.public_id, "json"]))
    assert pdf.status_code == 200 and raw_json.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    return text, raw_json.content.decode(), json.loads(raw_json.content)


def test_the_copy_contains_every_item_of_the_file(client, alice, bob, file):
    person_copy = _produce(client, alice, file.person)
    assert (
        client.get(reverse("reports:copy_review", args=[person_copy.public_id])).status_code == 200
    )
    response = client.post(reverse("reports:copy_produce", args=[person_copy.public_id]))
    assert response.status_code == 302
    person_copy.refresh_from_db()
    assert person_copy.status == "produced"

    pdf_text, json_text, data = _downloads(client, person_copy)
    for name, token in file.tokens.items():
        assert token in json_text, f"{name} ({token}) missing from the JSON"
        assert token in pdf_text, f"{name} ({token}) missing from the PDF"

    (case,) = data["accompagnements"]
    assert data["format"] == "relais/copie-du-dossier/1"
    assert data["identite"]["nom"] == file.tokens["person"]
    assert data["identite"]["telephone"] == "0601020304"
    assert data["identite"]["sources_de_revenus"] == ["Salaire"]
    assert data["foyer"][0]["lien"] == "Conjoint·e"
    assert {n["nature"] for n in case["notes"]} == {
        "Faits et éléments administratifs",
        "Analyse professionnelle",
    }
    assert len(case["notes"]) == 3
    (report,) = case["rapports"]
    (version,) = report["versions"]
    assert version["signee_par"] == alice.display_name
    assert report["destinataire"] == "Commission FSL"
    assert [d["intitule"] for d in case["documents"]] == [f"Bulletin {file.tokens['document']}"]
    assert [d["intitule"] for d in data["documents_hors_accompagnement"]] == [
        f"Bulletin {file.tokens['loose_document']}"
    ]
    reads = {(event["qui"], event["objet"]) for event in data["journal_des_acces"]}
    assert (bob.display_name, "dossier d'accompagnement") in reads
    assert (alice.display_name, "copie du dossier") in reads  # the review itself is a read
    assert bob.display_name in pdf_text
    (referral,) = case["orientations"]
    assert referral["vers"] == "CAF de la Gironde"
    assert referral["informations_transmises"] == ["Nom et prénom", "Adresse"]
    (consent,) = case["consentements"]
    assert consent["pour_l_orientation_vers"] == "CAF de la Gironde"
    assert data["budgets"][0]["lignes"][0]["categorie"].startswith("Salaire")
    assert data["dettes"][0]["montant_restant_du"] == "3000.00"
    assert data["dossier_de_surendettement"]["ce_qui_a_conduit_a_la_situation"].startswith(
        "Séparation"
    )
    assert data["occultations"] == []
    assert "Aucune information n'a été retirée." in pdf_text
    assert "Votre identité et votre situation" in pdf_text


def test_a_case_the_worker_does_not_see_is_named_not_opened(client, alice, bob, file):
    person_copy = _produce(client, alice, file.person)
    client.post(reverse("reports:copy_produce", args=[person_copy.public_id]))
    person_copy.refresh_from_db()
    pdf_text, json_text, data = _downloads(client, person_copy)
    assert "Zeppelin" not in json_text and "Zeppelin" not in pdf_text
    (hidden,) = data["non_inclus"]
    assert hidden["referents"] == [bob.display_name]
    assert "Ce qui n'est pas dans cette copie" in pdf_text


def test_third_party_passages_are_redacted_and_listed_without_their_content(client, alice, file):
    person_copy = _produce(client, alice, file.person)
    review_url = reverse("reports:copy_review", args=[person_copy.public_id])
    items = PersonFileBuilder(user=alice, person=file.person).build().items
    note = next(i for i in items if file.tokens["fact_note"] in i.text)
    participants = next(i for i in items if file.tokens["participants"] in i.text)

    refused = client.post(
        review_url,
        {
            "item_key": note.key,
            "excerpt": "ce texte n'existe pas",
            "reason": "confided",
            "justification": "Propos de la sœur",
        },
    )
    assert refused.status_code == 400
    assert "Ce passage ne figure pas tel quel" in refused.text
    no_reason = client.post(review_url, {"item_key": note.key, "excerpt": "", "justification": ""})
    assert no_reason.status_code == 400
    assert not CopyRedaction.objects.exists()

    client.post(
        review_url,
        {
            "item_key": note.key,
            "excerpt": file.tokens["fact_note"],
            "reason": "confided",
            "justification": "Confidence de la voisine Ursuline",
        },
    )
    client.post(
        review_url,
        {
            "item_key": participants.key,
            "excerpt": "",
            "reason": "relative",
            "justification": "Nom de la sœur",
        },
    )
    assert CopyRedaction.objects.filter(person_copy=person_copy).count() == 2
    page = client.get(review_url)
    assert "Passages retirés (2)" in page.text

    client.post(reverse("reports:copy_produce", args=[person_copy.public_id]))
    person_copy.refresh_from_db()
    pdf_text, json_text, data = _downloads(client, person_copy)
    for hidden in (file.tokens["fact_note"], file.tokens["participants"], "Ursuline"):
        assert hidden not in json_text and hidden not in pdf_text
    assert "[passage retiré n°1 : Propos confiés par un tiers (proche, voisin…)]" in json_text
    assert "[passage retiré n°2 : Information concernant un proche ou un membre du foyer]" in (
        json_text
    )
    assert [r["numero"] for r in data["occultations"]] == [1, 2]
    assert data["occultations"][0]["portee"] == "passage"
    assert data["occultations"][1]["portee"] == "texte entier"
    assert "Informations retirées" in pdf_text and "passage retiré n°1" in pdf_text
    # Everything else is still there.
    assert file.tokens["assessment_note"] in json_text


def test_a_redaction_can_be_taken_back_before_production(client, alice, file):
    person_copy = _produce(client, alice, file.person)
    items = PersonFileBuilder(user=alice, person=file.person).build().items
    redaction = services.person_copy_redact(
        by=alice,
        person_copy=person_copy,
        item_key=items[0].key,
        item_label=items[0].label,
        excerpt="",
        reason="other_person",
        justification="Erreur",
    )
    client.post(reverse("reports:copy_unredact", args=[person_copy.public_id, redaction.public_id]))
    assert not CopyRedaction.objects.exists()
    client.post(reverse("reports:copy_produce", args=[person_copy.public_id]))
    with pytest.raises(services.ReportError):
        services.person_copy_redact(
            by=alice,
            person_copy=person_copy,
            item_key=items[0].key,
            item_label=items[0].label,
            excerpt="",
            reason="other_person",
            justification="Trop tard",
        )


def test_producing_the_copy_is_logged_and_stored_encrypted(client, alice, file, _media):
    person_copy = _produce(client, alice, file.person)
    client.post(reverse("reports:copy_produce", args=[person_copy.public_id]))
    person_copy.refresh_from_db()
    export = AccessEvent.objects.get(action="export", object_id=str(person_copy.public_id))
    assert export.person_id == file.person.pk and export.user == alice
    assert ChangeEvent.objects.filter(verb="person_copy_produce").exists()
    stored = [p for p in (_media / "copies").rglob("*") if p.is_file()]
    assert len(stored) == 2
    for path in stored:
        raw = path.read_bytes()
        assert file.tokens["person"].encode() not in raw and b"%PDF" not in raw
        assert keyring.decrypt_bytes(raw)
    _downloads(client, person_copy)
    assert (
        AccessEvent.objects.filter(action="download", object_id=str(person_copy.public_id)).count()
        == 2
    )


@pytest.mark.parametrize(
    "who, status",
    [
        ("charlie", 404),
        ("bob", 404),  # his own case of the same person does not open alice's
        ("secretary", 404),
        ("manager", 404),
        ("admin_user", 404),
        ("employer_viewer", 404),
    ],
)
def test_only_a_worker_writing_in_the_persons_case_makes_the_copy(
    client, request, alice, who, status
):
    from tests import factories

    case = factories.CaseFactory(
        person=factories.PersonFactory(organisation=alice.membership.organisation), referent=alice
    )
    person_copy = services.person_copy_start(by=alice, person=case.person)
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("reports:person_copies", args=[case.person.public_id]),
        reverse("reports:copy_review", args=[person_copy.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url
    assert (
        client.post(reverse("reports:copy_start", args=[case.person.public_id])).status_code
        == status
    )
    assert (
        client.post(reverse("reports:copy_produce", args=[person_copy.public_id])).status_code
        == status
    )
    assert (
        client.get(
            reverse("reports:copy_download", args=[person_copy.public_id, "pdf"])
        ).status_code
        == status
    )
    assert PersonFileCopy.objects.count() == 1


def test_a_manager_with_a_share_reads_but_does_not_produce(client, manager, alice):
    import datetime

    from django.utils import timezone

    from relais.cases.models import CaseShare
    from tests import factories

    case = factories.CaseFactory(
        person=factories.PersonFactory(organisation=alice.membership.organisation), referent=alice
    )
    today = timezone.localdate()
    CaseShare.objects.create(
        organisation=case.organisation,
        case=case,
        shared_with=manager,
        shared_by=alice,
        reason="Absence",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
    )
    client.force_login(manager)
    url = reverse("reports:person_copies", args=[case.person.public_id])
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("reports:copy_start", args=[case.person.public_id])).status_code == 403
    )
