import datetime
import html
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from relais.audit import selectors
from relais.audit.log import record_access
from relais.audit.models import AccessAction, AccessEvent
from relais.policy.cache import decision_cache
from tests import factories


@pytest.fixture
def case(alice, organisation):
    person = factories.PersonFactory(organisation=organisation, last_name="Durand")
    return factories.CaseFactory(person=person, referent=alice)


def _render_consultations(user, subject):
    request = RequestFactory().get("/")
    request.user = user
    with decision_cache():
        return render_to_string(
            "audit/includes/consultations.html", {"subject": subject}, request=request
        )


# --- "Who consulted this file" -------------------------------------------------------


def test_the_referent_sees_who_consulted_the_case(alice, bob, manager, case):
    record_access(user=bob, organisation_id=case.organisation_id, obj=case)
    record_access(
        user=manager,
        organisation_id=case.organisation_id,
        obj=case,
        action=AccessAction.BREAK_GLASS,
        reason="Absence de la référente, appel urgent",
    )
    record_access(user=alice, organisation_id=case.organisation_id, obj=case)
    html = _render_consultations(alice, case)
    assert "Qui a consulté ce dossier" in html
    assert bob.display_name in html
    assert manager.display_name in html
    assert "Accès exceptionnel" in html and "Absence de la référente" in html
    assert html.count("<tr>") == 3  # header + two reads by others; her own read is left out


def test_the_person_page_lists_reads_of_the_person_and_of_their_cases(alice, bob, case):
    record_access(user=bob, organisation_id=case.organisation_id, obj=case.person)
    record_access(user=bob, organisation_id=case.organisation_id, obj=case)
    html = _render_consultations(alice, case.person)
    assert html.count(bob.display_name) == 2


def test_nobody_but_a_referent_sees_the_consultations(bob, manager, secretary, case):
    for user in (bob, manager, secretary):
        assert "Qui a consulté" not in _render_consultations(user, case)
        assert "Qui a consulté" not in _render_consultations(user, case.person)


def test_another_organisation_sees_nothing(charlie, case):
    assert _render_consultations(charlie, case).strip() == ""


def test_it_says_when_nobody_else_consulted(alice, case):
    assert "Personne d'autre que vous" in _render_consultations(alice, case)


def test_consultations_cost_a_fixed_number_of_queries(
    alice, organisation, case, django_assert_max_num_queries
):
    readers = [factories.UserFactory(organisation=organisation) for _ in range(15)]
    for reader in readers:
        record_access(user=reader, organisation_id=organisation.pk, obj=case)
    alice = type(alice).objects.get(pk=alice.pk)
    # membership, referent check, events with their readers
    with django_assert_max_num_queries(3):
        html = _render_consultations(alice, case)
    assert html.count("<tr>") == 16


def test_reads_by_others_skip_the_viewer_s_own_whatever_their_number(alice, organisation, case):
    """Readers before and after the viewer (by id), a deleted account, and the viewer's own
    reads in between: the latest reads by others, as ``user_id <> viewer`` would give."""
    readers = [factories.UserFactory(organisation=organisation) for _ in range(6)]
    viewer = readers[3]
    for _ in range(5):
        for reader in [*readers, viewer, viewer, None]:
            record_access(user=reader, organisation_id=organisation.pk, obj=case)
            record_access(user=reader, organisation_id=organisation.pk, obj=case.person)
    # Five rounds of five other readers and a deleted account; a read of the case is also
    # one of the person's file.
    for subject, scope, others in ((case, "case_id", 30), (case.person, "person_id", 60)):
        for limit in (20, 200):
            found = selectors._reads_by_others(
                shape={"scope": scope, "limit": limit},
                org=organisation.pk,
                subject=subject.pk,
                user=viewer.pk,
            )
            expected = list(
                AccessEvent.objects.filter(organisation_id=organisation.pk, **{scope: subject.pk})
                .exclude(user_id=viewer.pk)
                .order_by("-at")[:limit]
            )
            assert [event.at for event in found] == [event.at for event in expected]
            assert {event.pk for event in found} == {event.pk for event in expected}
            assert viewer.pk not in {event.user_id for event in found}
            assert None in {event.user_id for event in found}  # the deleted account's reads
            assert len(found) == min(limit, others)


# --- The admin's access log ------------------------------------------------------------


@pytest.fixture
def logged_reads(alice, bob, manager, organisation, case):
    other = factories.PersonFactory(organisation=organisation, last_name="Martin")
    record_access(user=alice, organisation_id=organisation.pk, obj=case, ip="10.0.0.1")
    record_access(user=bob, organisation_id=organisation.pk, obj=other, ip="10.0.0.2")
    record_access(
        user=manager,
        organisation_id=organisation.pk,
        obj=case,
        action=AccessAction.BREAK_GLASS,
        reason="Continuité pendant le congé",
    )
    return other


def test_the_admin_reads_the_whole_log(client, admin_user, logged_reads, alice, bob):
    client.force_login(admin_user)
    response = client.get(reverse("audit:access_log"))
    assert response.status_code == 200
    text = response.text
    assert "Journal des accès" in text
    assert alice.display_name in text and bob.display_name in text
    assert "MARTIN" in text and "DURAND" in text
    assert "Continuité pendant le congé" in text
    assert "10.0.0.2" in text
    assert "Accompagnement" in text  # object types in French


def test_the_admin_filters_by_reader_action_person_and_dates(
    client, admin_user, logged_reads, bob, manager
):
    client.force_login(admin_user)
    url = reverse("audit:access_log")
    by_bob = client.get(url, {"reader": str(bob.public_id)}).text
    assert "MARTIN" in by_bob and "DURAND" not in by_bob
    glass = client.get(url, {"action": "break_glass"}).text
    assert manager.display_name in glass and bob.display_name not in glass.split("<tbody>")[1]
    durand = client.get(url, {"person": "durand"}).text.split("<tbody>")[1]
    assert "DURAND" in durand and "MARTIN" not in durand
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = client.get(url, {"date_from": tomorrow}).text
    assert "Aucun accès ne correspond" in future


def test_the_filter_form_explains_a_wrong_date_range(client, admin_user, logged_reads):
    client.force_login(admin_user)
    response = client.get(
        reverse("audit:access_log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert "La date de fin précède la date de début." in response.text


def test_reading_the_log_is_itself_logged(client, admin_user, logged_reads):
    client.force_login(admin_user)
    client.get(reverse("audit:access_log"))
    event = AccessEvent.objects.order_by("-seq").first()
    assert event.user_id == admin_user.pk
    assert event.action == AccessAction.SEARCH
    assert event.object_type == "audit.accessevent"


@pytest.mark.parametrize(
    "who", ["alice", "bob", "manager", "secretary", "supervisor", "employer_viewer"]
)
def test_other_roles_may_not_read_the_log(client, request, who, logged_reads):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("audit:access_log")).status_code == 403


def test_another_organisations_admin_sees_none_of_it(client, other_organisation, logged_reads):
    admin = factories.UserFactory(organisation=other_organisation, role="admin")
    client.force_login(admin)
    response = client.get(reverse("audit:access_log"))
    assert response.status_code == 200
    assert "DURAND" not in response.text and "Aucun accès" in response.text


def test_the_log_page_has_a_fixed_query_count(
    client, admin_user, organisation, case, django_assert_max_num_queries
):
    client.force_login(admin_user)
    url = reverse("audit:access_log")
    for _ in range(30):
        person = factories.PersonFactory(organisation=organisation)
        record_access(user=admin_user, organisation_id=organisation.pk, obj=person)
    # session, user with membership, matching persons, events, persons' names, readers for
    # the select; its own access-log row (transaction, head lock, insert, head, commit)
    with django_assert_max_num_queries(11):
        response = client.get(url, {"person": "a"})
    assert response.status_code == 200


def test_pages_of_the_log(client, admin_user, organisation, case):
    """Older pages start after the last event shown (keyset): every event once, in order."""
    client.force_login(admin_user)
    for _ in range(120):
        record_access(user=admin_user, organisation_id=organisation.pk, obj=case)
    logged = list(
        AccessEvent.objects.filter(organisation=organisation)
        .order_by("-at", "-seq")
        .values_list("seq", flat=True)
    )
    seen, cursor, pages = [], None, 0
    while True:
        page = selectors.access_log_page(user=admin_user, after=cursor)
        seen += [row.event.seq for row in page.rows]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = selectors.LogCursor.parse(page.next_cursor)
    assert seen == logged and pages == 3

    first = client.get(reverse("audit:access_log"))
    assert "Accès plus anciens" in first.text and "les plus récents" not in first.text
    link = re.search(r'href="\?avant=([^"]+)"', first.text).group(1)
    second = client.get(reverse("audit:access_log") + "?avant=" + html.unescape(link))
    assert second.status_code == 200
    assert "Revenir aux accès les plus récents" in second.text


def test_an_unreadable_cursor_shows_the_newest_events(client, admin_user, organisation, case):
    client.force_login(admin_user)
    record_access(user=admin_user, organisation_id=organisation.pk, obj=case)
    for cursor in ("n'importe quoi", "2026-11-25T10:00:00~x", "2026-11-25T10:00:00~3"):
        response = client.get(reverse("audit:access_log"), {"avant": cursor})
        assert response.status_code == 200
        assert "Revenir aux accès les plus récents" not in response.text


def test_an_old_page_of_the_log_costs_what_the_first_costs(
    client, admin_user, organisation, case, django_assert_max_num_queries
):
    client.force_login(admin_user)
    for _ in range(60):
        record_access(user=admin_user, organisation_id=organisation.pk, obj=case)
    cursor = selectors.access_log_page(user=admin_user).next_cursor
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:access_log"), {"avant": cursor, "person": "a"})
    assert response.status_code == 200
