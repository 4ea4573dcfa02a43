import datetime
import html

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessAction, AccessEvent, ChangeEvent
from relais.cases.models import BreakGlassAccess
from relais.policy import rules
from relais.security import services
from tests import factories

REASON = "Absence de la référente, la personne appelle pour une expulsion demain"


@pytest.fixture
def case(alice, organisation):
    person = factories.PersonFactory(organisation=organisation, last_name="Lefèvre")
    return factories.CaseFactory(person=person, referent=alice)


def _url(case):
    return reverse("security:break_glass", args=[case.public_id])


def _expected_redirect(case):
    return reverse("cases:detail", args=[case.public_id])


def test_the_form_explains_what_happens(client, manager, case, alice):
    client.force_login(manager)
    response = client.get(_url(case))
    assert response.status_code == 200
    assert "Accès exceptionnel à un dossier" in response.text
    assert "jusqu'à ce soir minuit" in html.unescape(response.text)
    assert alice.display_name in response.text
    assert 'name="reason"' in response.text


@pytest.mark.parametrize("who", ["manager", "bob"])
def test_a_manager_or_colleague_opens_the_case_with_a_reason(client, request, who, case):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(_url(case), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == _expected_redirect(case)
    access = BreakGlassAccess.objects.get(case=case, user=user)
    assert access.reason == REASON
    assert access.expires_at == services.end_of_today()
    event = AccessEvent.objects.get(action=AccessAction.BREAK_GLASS)
    assert (event.user_id, event.case_id, event.reason) == (user.pk, case.pk, REASON)
    assert event.person_id == case.person_id
    assert event.ip == "127.0.0.1"
    assert ChangeEvent.objects.filter(verb="break_glass_open", user=user).exists()
    assert rules.can_see_case(type(user).objects.get(pk=user.pk), case)


def test_the_access_ends_tonight(manager, case):
    services.break_glass_open(by=manager, case=case, reason=REASON)
    expires = BreakGlassAccess.objects.get().expires_at
    assert timezone.localtime(expires).time() == datetime.time.min
    assert timezone.localtime(expires).date() == timezone.localdate() + datetime.timedelta(days=1)


def test_a_reason_is_required_and_nothing_is_opened_without_it(client, manager, case):
    client.force_login(manager)
    response = client.post(_url(case), {"reason": "   "})
    assert response.status_code == 200
    assert "Indiquez le motif" in response.text
    response = client.post(_url(case), {"reason": "urgent"})
    assert "Précisez le motif" in response.text
    assert not BreakGlassAccess.objects.exists()
    assert not AccessEvent.objects.exists()


def test_the_reason_is_escaped(client, manager, case, alice):
    client.force_login(manager)
    client.post(_url(case), {"reason": "<script>alert(1)</script> absence de la référente"})
    rendered = render_to_string("www/includes/home_break_glass.html", request=_request(alice))
    assert "<script>alert(1)" not in rendered
    assert "&lt;script&gt;" in rendered


def test_someone_who_already_sees_the_case_is_sent_straight_to_it(client, alice, case):
    client.force_login(alice)
    response = client.get(_url(case))
    assert response.status_code == 302
    assert not BreakGlassAccess.objects.exists()


@pytest.mark.parametrize("who", ["secretary", "employer_viewer", "supervisor", "admin_user"])
def test_other_roles_cannot_break_glass(client, request, who, case):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case), {"reason": REASON}).status_code == 403
    assert not BreakGlassAccess.objects.exists()


def test_another_organisation_gets_a_404(client, charlie, case):
    client.force_login(charlie)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), {"reason": REASON}).status_code == 404


# --- The referent's home page -----------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)
    return request


def test_the_referent_sees_break_glass_reads_of_her_cases(alice, manager, case):
    services.break_glass_open(by=manager, case=case, reason=REASON)
    rendered = render_to_string("www/includes/home_break_glass.html", request=_request(alice))
    assert "Accès exceptionnels à vos dossiers" in rendered
    assert manager.display_name in rendered
    assert "Cadre" in rendered  # the reader's role
    assert "LEFÈVRE" in rendered
    assert REASON in rendered


def test_others_do_not_see_it_on_their_home_page(bob, manager, case):
    services.break_glass_open(by=manager, case=case, reason=REASON)
    for user in (bob, manager):
        rendered = render_to_string("www/includes/home_break_glass.html", request=_request(user))
        assert rendered.strip() == ""


def test_old_reads_leave_the_home_page(alice, manager, case):
    services.break_glass_open(by=manager, case=case, reason=REASON)
    BreakGlassAccess.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    rendered = render_to_string("www/includes/home_break_glass.html", request=_request(alice))
    assert rendered.strip() == ""


def test_the_home_include_makes_one_query_whatever_the_number_of_reads(
    alice, organisation, django_assert_num_queries
):
    for _ in range(8):
        case = factories.CaseFactory(person__organisation=organisation, referent=alice)
        reader = factories.UserFactory(organisation=organisation, role="manager")
        services.break_glass_open(by=reader, case=case, reason=REASON)
    request = _request(alice)
    rules.membership(request.user)  # fetched once per request by the page already
    with django_assert_num_queries(1):
        rendered = render_to_string("www/includes/home_break_glass.html", request=request)
    assert rendered.count("<li>") == 8


# --- With the case and person pages ----------------------------------------------------


def test_from_the_person_page_to_the_case_through_a_break_glass_read(client, manager, alice, case):
    client.force_login(manager)
    case_url = reverse("cases:detail", args=[case.public_id])
    assert client.get(case_url).status_code == 404
    person_page = client.get(reverse("people:detail", args=[case.person.public_id])).text
    assert _url(case) in person_page
    response = client.post(_url(case), {"reason": REASON}, follow=True)
    assert response.redirect_chain[-1][0] == case_url
    assert response.status_code == 200
    assert "Accès exceptionnel ouvert jusqu'à ce soir minuit" in html.unescape(response.text)
    client.force_login(alice)
    home = client.get(reverse("home")).text
    assert "Accès exceptionnels à vos dossiers" in home and REASON in home
    case_page = client.get(case_url).text
    assert "Qui a consulté ce dossier" in case_page
    assert manager.display_name in case_page.split("Qui a consulté ce dossier")[1]


def test_the_referent_sees_no_break_glass_link_and_a_supervision_link(client, alice, case):
    client.force_login(alice)
    person_page = client.get(reverse("people:detail", args=[case.person.public_id])).text
    assert _url(case) not in person_page
    case_page = client.get(reverse("cases:detail", args=[case.public_id])).text
    assert reverse("security:supervision_share", args=[case.public_id]) in case_page


def test_the_secretary_is_offered_no_break_glass(client, secretary, case):
    client.force_login(secretary)
    person_page = client.get(reverse("people:detail", args=[case.person.public_id])).text
    assert _url(case) not in person_page
