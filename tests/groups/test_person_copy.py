"""The person's copy of their file (right of access) lists the collective actions they
were linked to; the other attendees appear nowhere, not even as a number."""

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from relais.reports.models import PersonFileCopy
from relais.reports.person_file import PersonFileBuilder


def test_the_persons_copy_lists_their_collective_actions(client, meeting, alice):
    data = PersonFileBuilder(user=alice, person=meeting.person).build().data
    (row,) = data["actions_collectives"]
    assert row["intitule"] == "Réunion d'information sur le budget"
    assert (row["type"], row["statut"], row["presence"]) == (
        "Réunion d'information",
        "Prévue",
        "présent·e",
    )

    client.force_login(alice)
    client.post(reverse("reports:copy_start", args=[meeting.person.public_id]))
    person_copy = PersonFileCopy.objects.get(person=meeting.person)
    client.post(reverse("reports:copy_produce", args=[person_copy.public_id]))
    pdf = client.get(reverse("reports:copy_download", args=[person_copy.public_id, "pdf"]))
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    )
    assert "Actions collectives" in text and "Réunion d'information sur le budget" in text
