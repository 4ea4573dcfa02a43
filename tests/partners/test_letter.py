"""The referral letter carries only the ticked items, can be edited, prints and exports."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from relais.audit.models import AccessEvent
from relais.partners import letters, services
from tests import factories

# What the person fixture holds, item by item, as it reads in the letter.
ITEM_VALUES = {
    "identity": "Nadia BENALI",
    "birth_date": "2 juin 1984",
    "address": "4 rue des Faures",
    "phone": "06 12 34 56 78",
    "email": "nadia.benali@example.org",
    "family_situation": "Parent isolé",
    "accommodation": "Locataire du parc privé",
    "income_sources": "Prestations familiales",
    "employment": "Agente de quai",
}


def _referral(case, partner, by, items):
    return services.referral_create(
        by=by,
        case=case,
        partner=partner,
        request="Ouverture des droits à l'aide au logement.",
        shared_items=items,
    )


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


@pytest.mark.parametrize(
    "ticked",
    [
        ["identity", "address"],
        ["birth_date", "income_sources", "employment"],
        ["phone", "family_situation"],
    ],
)
def test_the_pdf_holds_only_the_ticked_items(client, case, caf, alice, ticked):
    referral = _referral(case, caf, alice, ticked)
    client.force_login(alice)

    response = client.get(reverse("partners:letter_pdf", args=[referral.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Ouverture des droits à l'aide au logement." in text
    for item, value in ITEM_VALUES.items():
        if item in ticked:
            assert value in text, item
        else:
            assert value not in text, item


def test_without_identity_the_letter_does_not_name_the_person(case, caf, alice):
    referral = _referral(case, caf, alice, ["accommodation"])

    draft = letters.letter_draft(referral, author=alice)

    assert "Benali" not in draft and "BENALI" not in draft
    assert "la personne que j'accompagne" in draft
    assert "Locataire du parc privé" in draft


def test_the_worker_edits_the_letter_before_printing(client, case, caf, alice):
    referral = _referral(case, caf, alice, ["identity"])
    client.force_login(alice)

    response = client.post(
        reverse("partners:letter_edit", args=[referral.public_id]),
        {"text": "Madame,\n\nJe vous adresse Mme Benali, qui vous appellera lundi.\n\nBien à vous"},
    )
    printed = client.get(response.url)
    pdf = client.get(reverse("partners:letter_pdf", args=[referral.public_id]))

    assert response.url == reverse("partners:letter_print", args=[referral.public_id])
    assert "qui vous appellera lundi" in printed.content.decode()
    assert "qui vous appellera lundi" in _pdf_text(pdf.content)
    assert AccessEvent.objects.filter(action="print", object_id=str(referral.public_id)).exists()
    assert AccessEvent.objects.filter(action="download", object_id=str(referral.public_id)).exists()


def test_the_letter_text_is_escaped(client, case, caf, alice):
    referral = _referral(case, caf, alice, ["identity"])
    services.referral_letter_save(by=alice, referral=referral, text="<script>alert(1)</script>")
    client.force_login(alice)

    content = client.get(reverse("partners:letter_print", args=[referral.public_id])).content

    assert b"<script>alert(1)</script>" not in content
    assert b"&lt;script&gt;" in content


def test_unticking_an_item_rewrites_the_saved_letter(case, caf, alice):
    referral = _referral(case, caf, alice, ["identity", "phone"])
    services.referral_letter_save(
        by=alice, referral=referral, text=letters.letter_draft(referral, author=alice)
    )

    services.referral_update(
        by=alice,
        referral=referral,
        request=referral.request,
        shared_items=["identity"],
        service=None,
        contact=None,
        expected_answer_on=None,
    )

    referral.refresh_from_db()
    assert referral.letter_text == ""
    assert (
        "06 12 34 56 78"
        not in letters.letter_context(referral, author=alice, organisation=case.organisation)[
            "letter_text"
        ]
    )


def test_the_letter_is_addressed_to_the_chosen_contact(case, caf, alice):
    contact = factories.ContactFactory(partner=caf, name="Claire Martin")
    referral = services.referral_create(
        by=alice,
        case=case,
        partner=caf,
        contact=contact,
        request="Demande d'aide.",
        shared_items=["identity"],
    )

    assert "À l'attention de Claire Martin" in letters.letter_draft(referral, author=alice)
