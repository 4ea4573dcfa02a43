"""The home page: the day of a social worker (and of the secretary, the manager)."""

import copy
import datetime

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from relais.cases import services as s
from relais.cases.models import Task
from tests import factories


def test_my_day(client, organisation, alice, bob, secretary, file):
    overdue = s.task_create(
        by=alice,
        case=file.case,
        assignee=alice,
        title="Envoyer le dossier FSL",
        due_on=timezone.localdate() - datetime.timedelta(days=4),
    )
    stranger = factories.PersonFactory(organisation=organisation, last_name="Inconnu")
    s.request_record(by=secretary, person=stranger, origin="hr", channel="email")
    other = factories.PersonFactory(organisation=organisation, last_name="Voisin")
    s.request_record(by=secretary, person=other, origin="hr", channel="email", assigned_to=bob)
    client.force_login(alice)
    page = client.get(reverse("home")).text
    assert "Rendez-vous d'aujourd'hui (1)" in page.replace("&#x27;", "'")
    assert "Hélène DUPONT" in page
    assert "Tâches en retard (1)" in page and overdue.title in page
    assert "Relancer la CAF" in page  # due today
    assert "INCONNU" in page  # waiting, given to nobody
    assert "VOISIN" not in page  # given to bob
    assert "Mes dossiers en cours (1)" in page
    assert "Ouverts récemment" in page


def test_done_tasks_leave_the_home_page(client, alice, file):
    Task.objects.filter(pk=file.task.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    s.task_complete(by=alice, task=file.task)
    client.force_login(alice)
    assert "Relancer la CAF" not in client.get(reverse("home")).text


def test_the_secretarys_day_shows_the_teams_appointments_and_all_requests(
    client, alice, secretary, file
):
    client.force_login(secretary)
    page = client.get(reverse("home")).text
    assert "Hélène DUPONT" in page
    assert alice.display_name in page
    assert "Tâches en retard" not in page and "Mes dossiers" not in page


def test_other_roles_get_a_plain_home(client, employer_viewer, file):
    client.force_login(employer_viewer)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "DUPONT" not in page.text and "Demandes en attente" not in page.text


def test_charlie_sees_nothing_of_alices_day(client, charlie, file):
    client.force_login(charlie)
    page = client.get(reverse("home")).text
    assert "DUPONT" not in page and "Relancer la CAF" not in page


def test_the_break_glass_slot_is_filled_when_a_feature_provides_it(client, alice, file, tmp_path):
    client.force_login(alice)
    assert "slot-test" not in client.get(reverse("home")).text
    slot = tmp_path / "www" / "includes" / "home_break_glass.html"
    slot.parent.mkdir(parents=True)
    slot.write_text('<section id="slot-test">Accès exceptionnels à mes dossiers</section>')
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        assert "slot-test" in client.get(reverse("home")).text
