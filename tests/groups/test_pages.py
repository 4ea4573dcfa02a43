"""The collective-action pages, as a facilitator, a colleague, the secretary and the
manager use them; another service's worker finds nothing (404)."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessEvent
from relais.groups.models import GroupAction, GroupActionFacilitator, Participation
from tests import factories
from tests.groups.factories import GroupActionFactory


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _pages(action, participation):
    args = [action.public_id]
    return {
        "detail": reverse("groups:detail", args=args),
        "edit": reverse("groups:edit", args=args),
        "mark_held": reverse("groups:mark_held", args=args),
        "cancel": reverse("groups:cancel", args=args),
        "participation_add": reverse("groups:participation_add", args=args),
        "participation_edit": reverse(
            "groups:participation_edit", args=[*args, participation.public_id]
        ),
    }


# --- List ------------------------------------------------------------------------------


def test_the_list_shows_the_services_actions_with_filters(
    client, organisation, alice, secretary, meeting, concerns
):
    walk = GroupActionFactory(
        organisation=organisation,
        title="Marche de la pause de midi",
        kind="outing",
        starts_at=timezone.now() - datetime.timedelta(days=60),
        facilitator=alice,
    )
    client.force_login(secretary)
    page = unescape(client.get(reverse("groups:list")).text)
    assert "Réunion d'information sur le budget" in page and "Marche de la pause" in page
    assert "Transports Garonne" in page
    assert "Nouvelle action collective" not in page  # the secretary does not create
    by_theme = client.get(reverse("groups:list"), {"theme": meeting.budget.public_id}).text
    assert "Marche de la pause" not in by_theme and "sur le budget" in unescape(by_theme)
    by_company = client.get(reverse("groups:list"), {"entreprise": meeting.employer.public_id})
    assert "Marche de la pause" not in by_company.text
    since = timezone.localdate() - datetime.timedelta(days=30)
    recent = client.get(reverse("groups:list"), {"debut": since.isoformat()}).text
    assert "Marche de la pause" not in recent and "sur le budget" in unescape(recent)
    older = client.get(reverse("groups:list"), {"fin": since.isoformat()}).text
    assert "Marche de la pause" in older and "sur le budget" not in unescape(older)
    assert walk.title in unescape(older)


def test_a_reversed_period_says_so(client, alice, meeting):
    client.force_login(alice)
    page = unescape(
        client.get(reverse("groups:list"), {"debut": "2026-03-01", "fin": "2026-01-01"}).text
    )
    assert "La fin de la période précède son début." in page


def test_the_list_is_refused_to_roles_that_do_not_work_with_persons(
    client, meeting, employer_viewer, supervisor, admin_user
):
    for user in (employer_viewer, supervisor, admin_user):
        client.force_login(user)
        assert client.get(reverse("groups:list")).status_code == 403


def test_another_services_worker_sees_none_of_our_actions(client, meeting, charlie):
    client.force_login(charlie)
    page = client.get(reverse("groups:list")).text
    assert "budget" not in page
    for name, url in _pages(meeting.group_action, meeting.participation).items():
        if name != "participation_edit":  # POST only
            assert client.get(url).status_code == 404, url
        assert client.post(url, {"changement": "retirer"}).status_code == 404, url
    assert Participation.objects.filter(pk=meeting.participation.pk).exists()


# --- Create and edit -------------------------------------------------------------------


def test_planning_an_action(client, organisation, alice, bob, concerns):
    employer = factories.EmployerFactory(organisation=organisation, name="Transports Garonne")
    partner = factories.PartnerFactory(organisation=organisation, name="Point conseil budget")
    client.force_login(alice)
    form = client.get(reverse("groups:create")).text
    assert "sans aucun nom" in form  # the summary's help text
    starts_at = timezone.now() + datetime.timedelta(days=14)
    response = client.post(
        reverse("groups:create"),
        {
            "title": "Réunion d'information sur le budget",
            "kind": "information_meeting",
            "theme": concerns["budget"].pk,
            "starts_at": local_input(starts_at),
            "duration_minutes": "90",
            "place": "Dépôt de Bègles, salle de pause",
            "employer": employer.pk,
            "facilitators": [alice.pk, bob.pk],
            "partners": [partner.pk],
            "summary": "",
        },
    )
    action = GroupAction.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "groups:detail", args=[action.public_id]
    )
    assert (action.theme, action.employer, action.status) == (
        concerns["budget"],
        employer,
        "planned",
    )
    page = unescape(client.get(response.url).text)
    assert "Point conseil budget" in page and bob.display_name in page


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("duration_minutes", "0", "La durée doit être d'au moins une minute."),
        ("duration_minutes", "-15", "La durée doit être d'au moins une minute."),
        ("starts_at", "0202-05-12T10:00", "l'année semble erronée"),
        ("starts_at", "2206-05-12T10:00", "l'année semble erronée"),
    ],
)
def test_bad_input_gets_a_french_message_and_nothing_typed_is_lost(
    client, alice, concerns, field, value, message
):
    client.force_login(alice)
    data = {
        "title": "Atelier logement",
        "kind": "workshop",
        "starts_at": local_input(timezone.now() + datetime.timedelta(days=3)),
        "duration_minutes": "60",
        "facilitators": [alice.pk],
        "summary": "Texte préparé à ne pas perdre.",
        field: value,
    }
    response = client.post(reverse("groups:create"), data)
    page = unescape(response.text)
    assert response.status_code == 200
    assert message in page
    assert "Texte préparé à ne pas perdre." in page and "Atelier logement" in page
    assert not GroupAction.objects.exists()


def test_only_facilitators_and_managers_edit(client, meeting, alice, bob, secretary, manager):
    url = reverse("groups:edit", args=[meeting.group_action.public_id])
    for user, expected in ((alice, 200), (manager, 200), (bob, 403), (secretary, 403)):
        client.force_login(user)
        assert client.get(url).status_code == expected, user
    client.force_login(bob)
    assert client.post(url, {"title": "Piraté"}).status_code == 403


def test_editing_an_action_keeps_its_links(client, meeting, alice, bob):
    client.force_login(alice)
    action = meeting.group_action
    url = reverse("groups:edit", args=[action.public_id])
    assert "Réunion d'information sur le budget" in unescape(client.get(url).text)
    response = client.post(
        url,
        {
            "title": "Réunion budget et épargne",
            "kind": "information_meeting",
            "theme": meeting.budget.pk,
            "starts_at": local_input(action.starts_at),
            "duration_minutes": "75",
            "employer": meeting.employer.pk,
            "facilitators": [alice.pk, bob.pk],
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.duration_minutes) == ("Réunion budget et épargne", 75)
    assert GroupActionFacilitator.objects.filter(group_action=action).count() == 2


# --- Held, cancelled -------------------------------------------------------------------


def test_marking_held_with_the_final_headcount(client, meeting, alice):
    client.force_login(alice)
    url = reverse("groups:mark_held", args=[meeting.group_action.public_id])
    refused = client.post(url, {"headcount": "-3", "duration_minutes": "90", "summary": "Bilan."})
    page = unescape(refused.text)
    assert "Le nombre de participant·es ne peut pas être négatif." in page and "Bilan." in page
    response = client.post(url, {"headcount": "18", "duration_minutes": "100", "summary": "Bilan."})
    assert response.status_code == 302
    action = GroupAction.objects.get(pk=meeting.group_action.pk)
    assert (action.status, action.headcount, action.duration_minutes) == ("held", 18, 100)
    # A held action is not held twice.
    assert client.get(url).status_code == 302


def test_a_future_action_cannot_be_marked_held(client, organisation, alice):
    action = GroupActionFactory(
        organisation=organisation,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        facilitator=alice,
    )
    client.force_login(alice)
    response = client.post(
        reverse("groups:mark_held", args=[action.public_id]),
        {"headcount": "10", "duration_minutes": "90"},
    )
    assert "Une action à venir ne peut pas être marquée comme réalisée." in unescape(response.text)
    action.refresh_from_db()
    assert action.status == "planned"


def test_cancelling_asks_first_then_cancels(client, meeting, alice, bob):
    url = reverse("groups:cancel", args=[meeting.group_action.public_id])
    client.force_login(bob)
    assert client.post(url).status_code == 403
    client.force_login(alice)
    assert "n'aura pas lieu" in unescape(client.get(url).text)
    assert client.post(url).status_code == 302
    meeting.group_action.refresh_from_db()
    assert meeting.group_action.status == "cancelled"
    edit = client.get(reverse("groups:edit", args=[meeting.group_action.public_id]))
    assert edit.status_code == 302


# --- Participations --------------------------------------------------------------------


def test_the_referent_sees_the_linked_person_and_the_read_is_logged(client, meeting, alice):
    client.force_login(alice)
    page = client.get(reverse("groups:detail", args=[meeting.group_action.public_id])).text
    assert "Hélène" in page
    event = AccessEvent.objects.get(object_type="groups.participation")
    assert (event.user_id, event.person_id, event.action) == (alice.pk, meeting.person.pk, "view")


@pytest.mark.parametrize("who", ["bob", "secretary", "manager"])
def test_others_of_the_service_see_the_action_but_not_who_came(client, meeting, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("groups:detail", args=[meeting.group_action.public_id]))
    assert response.status_code == 200
    assert "sur le budget" in unescape(response.text)
    assert "Hélène" not in response.text and "DUPONT" not in response.text
    assert not AccessEvent.objects.filter(object_type="groups.participation").exists()


def test_linking_a_followed_person_and_marking_absence(client, meeting, alice, bob, organisation):
    Participation.objects.all().delete()
    followed_by_bob = factories.PersonFactory(organisation=organisation, last_name="Autrui")
    factories.CaseFactory(person=followed_by_bob, referent=bob)
    client.force_login(alice)
    url = reverse("groups:participation_add", args=[meeting.group_action.public_id])
    form = client.get(url).text
    assert "DUPONT" in form and "AUTRUI" not in form  # only persons whose file she writes in
    refused = client.post(url, {"person": followed_by_bob.pk, "attended": "on"})
    assert refused.status_code == 200 and not Participation.objects.exists()
    assert client.post(url, {"person": meeting.person.pk, "attended": "on"}).status_code == 302
    participation = Participation.objects.get()
    edit = reverse(
        "groups:participation_edit", args=[meeting.group_action.public_id, participation.public_id]
    )
    client.post(edit, {"changement": "absent"})
    participation.refresh_from_db()
    assert participation.attended is False
    client.post(edit, {"changement": "retirer"})
    assert not Participation.objects.exists()


def test_a_colleague_cannot_link_nor_unlink(client, meeting, bob, manager):
    pages = _pages(meeting.group_action, meeting.participation)
    for user in (bob, manager):
        client.force_login(user)
        assert client.get(pages["participation_add"]).status_code == 403
        assert (
            client.post(pages["participation_edit"], {"changement": "retirer"}).status_code == 403
        )
    assert Participation.objects.filter(pk=meeting.participation.pk).exists()


def test_a_co_facilitator_cannot_touch_a_person_she_does_not_follow(client, meeting, bob):
    GroupActionFacilitator.objects.create(
        organisation=meeting.group_action.organisation, group_action=meeting.group_action, user=bob
    )
    client.force_login(bob)
    page = client.get(reverse("groups:detail", args=[meeting.group_action.public_id])).text
    assert "DUPONT" not in page and "Hélène" not in page
    url = _pages(meeting.group_action, meeting.participation)["participation_edit"]
    assert client.post(url, {"changement": "retirer"}).status_code == 404
    assert Participation.objects.filter(pk=meeting.participation.pk).exists()


def test_the_navigation_links_to_collective_actions(client, alice, employer_viewer):
    client.force_login(alice)
    assert "Actions collectives" in client.get(reverse("home")).text
    client.force_login(employer_viewer)
    assert "Actions collectives" not in client.get(reverse("home")).text


def test_the_secretary_neither_plans_nor_closes_an_action(client, meeting, secretary, bob):
    client.force_login(secretary)
    assert client.get(reverse("groups:create")).status_code == 403
    assert client.post(reverse("groups:create"), {"title": "x"}).status_code == 403
    held = reverse("groups:mark_held", args=[meeting.group_action.public_id])
    for user in (secretary, bob):
        client.force_login(user)
        assert client.post(held, {"headcount": "5", "duration_minutes": "60"}).status_code == 403
    assert GroupAction.objects.get().status == "planned"
    assert GroupAction.objects.count() == 1


def test_a_period_with_an_absurd_year_is_refused_not_crashed(client, alice, meeting):
    client.force_login(alice)
    response = client.get(reverse("groups:list"), {"debut": "0202-01-01", "fin": "9999-12-31"})
    assert response.status_code == 200
    assert "Vérifiez l'année de cette date." in unescape(response.text)
