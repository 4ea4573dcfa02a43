"""The benchmark's instrumentation exists only when RELAIS_BENCH is set."""

import importlib

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse

from relais.people.models import Person
from relais.scale import urls as scale_urls
from relais.scale.middleware import QUERY_COUNT_HEADER, QueryCountMiddleware
from relais.scale.views import floor, signed_in_floor
from tests import factories


def test_the_instrumentation_is_off_by_default():
    assert settings.RELAIS_BENCH is False
    assert "relais.scale.middleware.QueryCountMiddleware" not in settings.MIDDLEWARE
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")


def test_the_floor_is_routed_only_in_bench_mode():
    try:
        with override_settings(RELAIS_BENCH=True):
            importlib.reload(scale_urls)
            assert [(str(p.pattern), p.name) for p in scale_urls.urlpatterns] == [
                ("banc/plancher/", "bench_floor"),
                ("banc/plancher-connecte/", "bench_signed_in_floor"),
            ]
    finally:
        importlib.reload(scale_urls)
    assert scale_urls.urlpatterns == []


def test_the_middleware_counts_every_query_of_the_request(db):
    def view(request):
        list(Person.objects.all())
        list(Person.objects.all())
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response[QUERY_COUNT_HEADER] == "2"


def test_the_floor_makes_one_query_and_reveals_nothing(db, django_assert_num_queries):
    person = factories.PersonFactory()
    found = RequestFactory().get(
        "/banc/plancher/", {"o": person.organisation_id, "p": str(person.public_id)}
    )
    missing = RequestFactory().get("/banc/plancher/", {"o": "1", "p": "pas-un-uuid"})
    with django_assert_num_queries(1):
        first = floor(found)
    second = floor(missing)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == b"ok"


def test_the_signed_in_floor_makes_one_query_in_the_user_s_organisation(
    alice, charlie, django_assert_num_queries
):
    from relais.policy import rules

    person = factories.PersonFactory(organisation=alice.membership.organisation)
    request = RequestFactory().get("/banc/plancher-connecte/", {"p": str(person.public_id)})
    for user in (alice, charlie):
        request.user = user
        rules.membership(user)  # the middleware stack has read it before the view
        with django_assert_num_queries(1) as captured:
            response = signed_in_floor(request)
        assert response.content == b"ok"
        org = rules.organisation_id(user)
        assert f'"organisation_id" = {org}' in captured.captured_queries[0]["sql"]
