"""The home page: the day of a social worker (and of the secretary, the manager)."""

import copy
import datetime

from django.conf import settings
from django.db.models import Q
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


def test_recently_opened_are_her_five_latest_cases(client, organisation, alice, bob):
    today = timezone.localdate()
    names = ["Aubert", "Blanc", "Carre", "Dumas", "Etienne", "Fabre", "Gautier"]
    for days, name in enumerate(names):
        person = factories.PersonFactory(organisation=organisation, last_name=name)
        factories.CaseFactory(
            person=person, referent=alice, opened_on=today - datetime.timedelta(days=10 * days)
        )
    newest_of_bob = factories.PersonFactory(organisation=organisation, last_name="Hamel")
    factories.CaseFactory(person=newest_of_bob, referent=bob, opened_on=today)
    client.force_login(alice)
    page = client.get(reverse("home")).text
    recent = page[page.index("Ouverts récemment") :]
    shown = [name.upper() for name in names[:5]]
    assert [recent.index(name) for name in shown] == sorted(recent.index(n) for n in shown)
    assert "FABRE" not in recent and "GAUTIER" not in recent and "HAMEL" not in recent


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


def test_a_workers_waiting_requests_are_those_the_policy_lets_her_see(
    organisation, alice, bob, secretary, file
):
    """The home page reads ``waiting_for_worker`` without the case probe of
    ``visible_to``: both give the same requests, whoever received or holds them."""
    from relais.cases.enums import RequestStatus
    from relais.cases.models import Request
    from relais.cases.selectors import waiting_requests

    def record(name, **kwargs):
        person = factories.PersonFactory(organisation=organisation, last_name=name)
        return s.request_record(person=person, origin="hr", channel="email", **kwargs)

    mine = record("Mienne", by=secretary, assigned_to=alice)
    nobodys = record("Personne", by=secretary)
    record("Collegue", by=secretary, assigned_to=bob)
    record("Recue", by=alice, assigned_to=bob)  # received by alice, given to bob
    done = record("Traitee", by=secretary, assigned_to=alice)
    Request.objects.filter(pk=done.pk).update(status=RequestStatus.CLOSED)
    policy = set(
        Request.objects.visible_to(alice)
        .filter(status=RequestStatus.WAITING)
        .filter(Q(assigned_to_id=alice.pk) | Q(assigned_to__isnull=True))
        .values_list("pk", flat=True)
    )
    fast = set(
        Request.objects.waiting_for_worker(
            organisation_id=organisation.pk, user_id=alice.pk
        ).values_list("pk", flat=True)
    )
    assert fast == policy
    assert {mine.pk, nobodys.pk} <= fast
    assert done.pk not in fast
    assert {r.pk for r in waiting_requests(user=alice)} == policy


def test_her_waiting_requests_most_urgent_first_then_oldest(organisation, alice, secretary):
    from relais.cases import page_reads
    from relais.cases.selectors import HOME_LIST_LIMIT

    today = timezone.localdate()
    expected = []
    for days in range(HOME_LIST_LIMIT + 3):  # more than the list shows
        person = factories.PersonFactory(organisation=organisation, last_name=f"Nom{days}")
        received = today - datetime.timedelta(days=days)
        expected.append(
            s.request_record(
                by=secretary, person=person, origin="hr", channel="email", received_on=received
            )
        )
    expected.reverse()  # the oldest first
    for urgency in ("soon", "same_day"):
        person = factories.PersonFactory(organisation=organisation, last_name=urgency)
        expected.insert(
            0,
            s.request_record(
                by=secretary, person=person, origin="hr", channel="email", urgency=urgency
            ),
        )
    shown = page_reads.waiting_requests_of_worker(
        shape={"limit": HOME_LIST_LIMIT}, org=organisation.pk, user=alice.pk
    )
    assert [r.pk for r in shown] == [r.pk for r in expected[:HOME_LIST_LIMIT]]
    assert [r.person.last_name for r in shown[:2]] == ["same_day", "soon"]


def test_the_home_page_lists_come_from_the_workers_own_rows(client, organisation, alice, bob):
    """Her cases, tasks and appointments; not her colleague's."""
    theirs = s.case_open(by=bob, person=factories.PersonFactory(organisation=organisation))
    s.task_create(
        by=bob,
        case=theirs,
        assignee=bob,
        title="Tâche de Bob",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    hers = s.case_open(by=alice, person=factories.PersonFactory(organisation=organisation))
    s.task_create(
        by=alice,
        case=hers,
        assignee=alice,
        title="Tâche d'Alice",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    client.force_login(alice)
    page = client.get(reverse("home")).text.replace("&#x27;", "'")
    assert "Tâche d'Alice" in page and "Tâche de Bob" not in page
    assert "Mes dossiers en cours (1)" in page
    assert hers.person.full_name in page and theirs.person.full_name not in page
