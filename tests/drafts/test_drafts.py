from django.db import connection
from django.urls import reverse

from relais.cases.models import Note
from relais.drafts.models import Draft
from relais.drafts.services import draft_save
from tests import factories

KEY = "/dossiers/abc/notes/#note_body"


def test_it_keeps_a_draft_and_gives_it_back(client, alice):
    client.force_login(alice)
    response = client.post(reverse("drafts:drafts"), {"key": KEY, "text": "Madame explique…"})
    assert response.status_code == 204
    response = client.get(reverse("drafts:drafts"), {"key": [KEY, "/autre/#x"]})
    assert response.json() == {KEY: "Madame explique…"}


def test_a_draft_is_encrypted_at_rest(alice):
    draft_save(by=alice, key=KEY, text="violences évoquées")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM drafts_draft")
        (raw,) = cursor.fetchone()
    assert "violences" not in raw


def test_nobody_else_gets_my_draft(client, alice, bob, charlie):
    draft_save(by=alice, key=KEY, text="brouillon d'alice")
    for user in (bob, charlie):
        client.force_login(user)
        assert client.get(reverse("drafts:drafts"), {"key": KEY}).json() == {}


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.post(reverse("drafts:drafts"), {"key": KEY, "text": "x"})
    assert response.status_code == 302
    assert Draft.objects.count() == 0


def test_an_empty_text_removes_the_draft(alice):
    draft_save(by=alice, key=KEY, text="quelque chose")
    draft_save(by=alice, key=KEY, text="   ")
    assert Draft.objects.count() == 0


def test_a_too_long_draft_is_refused_in_french(client, alice):
    client.force_login(alice)
    response = client.post(reverse("drafts:drafts"), {"key": KEY, "text": "x" * 20_001})
    assert response.status_code == 400
    assert "Brouillon trop long" in response.text


def test_a_form_sent_successfully_drops_its_drafts(client, alice, organisation):
    case = factories.CaseFactory(person__organisation=organisation, referent=alice)
    path = reverse("cases:note_create", args=[case.public_id])
    draft_save(by=alice, key=f"{path}#note_body", text="la note en cours")
    draft_save(by=alice, key="/ailleurs/#note_body", text="un autre brouillon")
    client.force_login(alice)
    response = client.post(path, {"note_kind": "fact", "note_body": "la note en cours"})
    assert response.status_code == 302
    assert Note.objects.filter(case=case).count() == 1
    assert list(Draft.objects.values_list("key", flat=True)) == ["/ailleurs/#note_body"]


def test_a_refused_form_keeps_its_drafts(client, alice, organisation):
    case = factories.CaseFactory(person__organisation=organisation, referent=alice)
    path = reverse("cases:note_create", args=[case.public_id])
    draft_save(by=alice, key=f"{path}#note_body", text="la note en cours")
    client.force_login(alice)
    response = client.post(path, {"note_kind": "fact", "note_body": ""})
    assert response.status_code == 200
    assert Draft.objects.count() == 1
