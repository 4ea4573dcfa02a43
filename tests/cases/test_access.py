"""Who reaches which page: the other organisation never, each role only its part."""

import pytest
from django.urls import reverse

from tests.cases.fixtures import case_post_urls, case_urls, person_urls, request_urls


def all_get_urls(file):
    return {**case_urls(file), **person_urls(file), **request_urls(file)}


def test_charlie_gets_404_everywhere(client, charlie, file):
    client.force_login(charlie)
    for name, url in all_get_urls(file).items():
        assert client.get(url).status_code == 404, name
    for name, url in case_post_urls(file).items():
        assert client.post(url, {"status": "done"}).status_code == 404, name
    assert (
        client.post(reverse("cases:request_assign", args=[file.request.public_id])).status_code
        == 404
    )


def test_charlie_finds_nobody(client, charlie, file):
    client.force_login(charlie)
    response = client.get(reverse("people:search"), {"q": "dupont"})
    assert response.status_code == 200
    assert "Dupont" not in response.text and "DUPONT" not in response.text


@pytest.mark.parametrize("who", ["secretary", "manager", "bob"])
def test_the_case_is_closed_to_those_it_is_not_shared_with(request, client, file, who):
    client.force_login(request.getfixturevalue(who))
    for name, url in case_urls(file).items():
        assert client.get(url).status_code == 404, (who, name)


def test_the_secretary_handles_identity_requests_and_appointments(client, secretary, file):
    client.force_login(secretary)
    allowed = [
        "people:detail",
        "people:edit_identity",
        "cases:request_create",
        "cases:appointment_create",
    ]
    urls = person_urls(file)
    for name in allowed:
        assert client.get(urls[name]).status_code == 200, name
    for name in ["people:edit_situation", "people:member_add", "cases:open"]:
        assert client.get(urls[name]).status_code == 403, name
    page = client.get(urls["people:detail"]).text
    assert "Conductrice" in page  # identity and employment
    assert "Situation" not in page and "bulletins" not in page
    detail = client.get(reverse("cases:request_detail", args=[file.request.public_id])).text
    assert "surendettement" in detail  # the summary she recorded
    assert "Problématiques" not in detail
    assert (
        client.get(reverse("cases:request_convert", args=[file.request.public_id])).status_code
        == 403
    )


def test_the_manager_routes_requests_without_reading_them(client, manager, file):
    client.force_login(manager)
    detail = client.get(reverse("cases:request_detail", args=[file.request.public_id]))
    assert detail.status_code == 200
    assert "surendettement" not in detail.text
    assert client.get(reverse("cases:requests")).status_code == 200
    assert (
        client.get(reverse("cases:request_close", args=[file.request.public_id])).status_code == 403
    )
    assert client.get(reverse("cases:caseload")).status_code == 403


@pytest.mark.parametrize("who", ["employer_viewer", "admin_user", "supervisor"])
def test_roles_without_persons_are_refused(request, client, file, who):
    client.force_login(request.getfixturevalue(who))
    for url in [
        reverse("people:search"),
        reverse("people:create"),
        reverse("cases:requests"),
        reverse("cases:agenda"),
        reverse("cases:tasks"),
        reverse("cases:caseload"),
    ]:
        assert client.get(url).status_code == 403, url
    for name, url in all_get_urls(file).items():
        assert client.get(url).status_code in (403, 404), (who, name)


def test_a_shared_colleague_reads_facts_but_not_unnamed_assessments(client, alice, bob, file):
    import datetime

    from django.utils import timezone

    from relais.cases import services as s

    s.case_share(
        by=alice,
        case=file.case,
        shared_with=bob,
        until=timezone.localdate() + datetime.timedelta(days=10),
        reason="Congés",
    )
    client.force_login(bob)
    page = client.get(reverse("cases:detail", args=[file.case.public_id]))
    assert page.status_code == 200
    assert "bulletins de salaire" in page.text
    assert "très fatiguée" not in page.text
    assert (
        client.get(reverse("cases:intervention_create", args=[file.case.public_id])).status_code
        == 200
    )
    # Bob may not edit alice's note, nor share alice's case further.
    assert (
        client.get(
            reverse("cases:note_edit", args=[file.case.public_id, file.fact.public_id])
        ).status_code
        == 403
    )
    assert client.get(reverse("cases:share", args=[file.case.public_id])).status_code == 403


def test_the_referent_reads_her_assessment(client, alice, file):
    client.force_login(alice)
    page = client.get(reverse("cases:detail", args=[file.case.public_id]))
    assert "très fatiguée" in page.text
    assert "Analyse professionnelle" in page.text


def test_anonymous_users_are_sent_to_login(client, file):
    for url in all_get_urls(file).values():
        response = client.get(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"]
