"""The Jinja2 fragments print values exactly as Django's templates do (relais/www/jinja2.py):
the same HTML whichever engine renders a value."""

import datetime
import decimal
import zoneinfo

import pytest
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import override

VALUES = [
    'Mme O\'Brien <b>gras</b> & "cie"',
    mark_safe("<em>déjà sûr</em>"),
    decimal.Decimal("1234.50"),
    400,
    0.5,
    None,
    True,
    datetime.date(2026, 3, 2),
    datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 7, 14, 9, 5, tzinfo=zoneinfo.ZoneInfo("America/Cayenne")),
    ["a", "<b>"],
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(value)[:30] for value in VALUES])
def test_a_value_prints_as_in_a_django_template(value):
    with override("fr"):
        django_html = engines["django"].from_string("{{ v }}").render({"v": value})
        jinja_html = engines["jinja2"].from_string("{{ v }}").render({"v": value})
    assert jinja_html == django_html


def test_url_is_django_reverse():
    page = engines["jinja2"].from_string("{{ url('cases:detail', 'x') }}")
    with pytest.raises(Exception, match="Reverse"):
        page.render({})
    assert engines["jinja2"].from_string("{{ url('home') }}").render({}) == "/"


def test_url_of_uuids_is_what_reverse_gives():
    import uuid

    from django.urls import reverse

    ids = [uuid.uuid4(), uuid.uuid4()]
    page = engines["jinja2"].from_string(
        "{{ url('cases:detail', a) }} {{ url('cases:note_edit', a, b) }}"
    )
    for _ in range(2):  # the second call fills the shape kept by the first
        assert page.render({"a": ids[0], "b": ids[1]}) == " ".join(
            [
                reverse("cases:detail", args=[ids[0]]),
                reverse("cases:note_edit", args=ids),
            ]
        )
        ids.reverse()


@pytest.mark.parametrize("status", ["open", "active", "closed", "unknown-value"])
def test_display_is_the_model_s_own_label(status):
    from relais.cases.models import Case

    case = Case(status=status)
    with override("fr"):
        shown = engines["jinja2"].from_string('{{ display(c, "status") }}').render({"c": case})
        assert shown == str(case.get_status_display())


def test_django_s_filters_where_jinja2_s_differ():
    import datetime as dt

    jinja = engines["jinja2"]
    django = engines["django"]
    values = {"path": "/dossiers/a b/?x=1&y=é", "since": dt.date(2020, 1, 15)}
    for source in ("{{ path|urlencode }}", "{{ since|timesince }}"):
        assert jinja.from_string(source).render(values) == django.from_string(source).render(values)


def test_static_is_the_storage_s_url():
    from django.contrib.staticfiles.storage import staticfiles_storage

    page = engines["jinja2"].from_string("{{ static('css/relais.css') }}")
    for _ in range(2):  # the second call reads what the first kept
        assert page.render({}) == staticfiles_storage.url("css/relais.css")


def test_url_without_arguments_follows_the_urlconf(settings):
    from django.urls import reverse

    page = engines["jinja2"].from_string("{{ url('home') }}")
    assert page.render({}) == reverse("home") == "/"
    settings.ROOT_URLCONF = "tests.www.moved_urls"
    assert page.render({}) == reverse("home") == "/ailleurs/"


def test_a_fragment_gets_the_page_s_context_and_its_own_keys():
    import uuid

    from relais.people.models import HouseholdMember, Person

    person = Person(public_id=uuid.uuid4())
    member = HouseholdMember(public_id=uuid.uuid4(), relation="child", first_name="Léa")
    page = engines["django"].from_string(
        '{% load fragments %}{% fragment "people/household.html" members=members %}'
    )
    with override("fr"):
        shown = page.render({"person": person, "members": [member], "can_edit_situation": True})
        hidden = page.render({"person": person, "members": [member]})
    assert "Léa" in shown and str(member.get_relation_display()) in shown
    assert f"/{member.public_id}/" in shown  # can_edit_situation, from the page's context
    assert f"/{member.public_id}/" not in hidden
    assert "Personne seule" in page.render({"person": person, "members": []})


# Django's own {% csrf_token %} calls format_html("") for a page without a token, which
# Django 5.2 warns about (its code, not ours).
@pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning")
@pytest.mark.parametrize("token", ["abc123", None, "", "NOTPROVIDED"])
def test_a_fragment_s_csrf_field_is_django_s(token):
    from relais.www.templatetags.fragments import CsrfInput

    django_field = engines["django"].from_string("{% csrf_token %}").render({"csrf_token": token})
    assert str(CsrfInput(token)) == django_field


def test_the_csrf_field_of_a_fragment_is_accepted(alice):
    import re

    from django.test import Client
    from django.urls import reverse

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    # The logout form of the site header (templates/jinja2/www/site_header.html).
    logout = re.escape(reverse("logout"))
    form = re.search(rf'action="{logout}"[^>]*>(.*?)</form>', page).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    refused = client.post(reverse("logout"), {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    accepted = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert accepted.status_code == 302


def test_the_layout_renders_without_a_request(alice):
    """A page rendered outside a request (a template with a user in its context) still
    gets its header: the menu needs the request and is left out, nothing fails."""
    from django.template.loader import render_to_string

    page = render_to_string("errors/404.html", {"user": alice})
    assert "Relais" in page and alice.display_name in page
