import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessEvent
from relais.cases.models import CaseShare
from relais.reports import services
from relais.reports.models import ReportTemplate
from tests.reports.builders import rich_case, template


@pytest.fixture
def report(alice, organisation):
    return services.report_create(by=alice, case=rich_case(alice), template=template(organisation))


# Session (read; written at most once a minute), user with membership, 3 for the access log row, and
# the page's own reads: case + rights + templates, or report + versions + rights (the
# rights of one case are asked once per request: relais/policy/cache.py).
CASE_PAGE_QUERIES = 11
REPORT_PAGE_QUERIES = 10


def read_urls(report):
    return [
        reverse("reports:case", args=[report.case.public_id]),
        reverse("reports:detail", args=[report.public_id]),
        reverse("reports:version", args=[report.public_id, 1]),
        reverse("reports:pdf", args=[report.public_id]),
        reverse("reports:docx", args=[report.public_id]),
    ]


def write_posts(report):
    return [
        (reverse("reports:create", args=[report.case.public_id]), {}),
        (reverse("reports:edit", args=[report.public_id]), {}),
        (reverse("reports:finalise", args=[report.public_id]), {"confirm": "on"}),
        (reverse("reports:amend", args=[report.public_id]), {"reason": "x"}),
        (reverse("reports:deliver", args=[report.public_id]), {}),
    ]


def test_the_referent_reads_everything(client, alice, report):
    client.force_login(alice)
    for url in read_urls(report):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("reports:edit", args=[report.public_id])).status_code == 200


@pytest.mark.parametrize(
    "who", ["charlie", "bob", "secretary", "manager", "admin_user", "employer_viewer", "supervisor"]
)
def test_others_get_404_on_every_report_url(client, request, report, who):
    client.force_login(request.getfixturevalue(who))
    for url in read_urls(report):
        assert client.get(url).status_code == 404, url
    for url, data in write_posts(report):
        assert client.post(url, data).status_code == 404, url


def _share(report, user, by):
    today = timezone.localdate()
    return CaseShare.objects.create(
        organisation=report.organisation,
        case=report.case,
        shared_with=user,
        shared_by=by,
        reason="Continuité pendant les congés",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
    )


def test_a_manager_reads_a_shared_case_report_but_never_writes(client, manager, alice, report):
    _share(report, manager, alice)
    client.force_login(manager)
    for url in read_urls(report):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("reports:edit", args=[report.public_id])).status_code == 403
    for url, data in write_posts(report):
        assert client.post(url, data).status_code == 403, url


def test_a_colleague_the_case_is_shared_with_writes_but_does_not_sign(client, bob, alice, report):
    _share(report, bob, alice)
    client.force_login(bob)
    assert client.get(reverse("reports:edit", args=[report.public_id])).status_code == 200
    response = client.post(
        reverse("reports:create", args=[report.case.public_id]),
        {"template": str(report.template.public_id)},
    )
    assert response.status_code == 302
    finalise = client.post(reverse("reports:finalise", args=[report.public_id]), {"confirm": "on"})
    assert finalise.status_code == 403


def test_an_expired_share_closes_the_reports_again(client, bob, alice, report):
    share = _share(report, bob, alice)
    share.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    share.starts_on = share.ends_on - datetime.timedelta(days=5)
    share.save()
    client.force_login(bob)
    assert client.get(reverse("reports:detail", args=[report.public_id])).status_code == 404


def test_every_read_is_logged(client, alice, report):
    client.force_login(alice)
    client.get(reverse("reports:detail", args=[report.public_id]))
    client.get(reverse("reports:version", args=[report.public_id, 1]))
    events = AccessEvent.objects.filter(object_type="reports.report", user=alice, action="view")
    assert events.count() == 2
    assert {e.case_id for e in events} == {report.case_id}
    client.get(reverse("reports:case", args=[report.case.public_id]))
    assert AccessEvent.objects.filter(
        object_type="cases.case", case_id=report.case_id, reason="Rapports du dossier"
    ).exists()


def test_creating_a_report_from_the_case_page(client, alice, report):
    client.force_login(alice)
    page = client.get(reverse("reports:case", args=[report.case.public_id]))
    assert "Information préoccupante" in page.text and "Note sociale" in page.text
    missing = client.post(reverse("reports:create", args=[report.case.public_id]), {})
    assert missing.status_code == 400
    assert "Ce champ est obligatoire." in missing.text
    template_id = ReportTemplate.objects.get(
        organisation=report.organisation, code="note-sociale"
    ).public_id
    response = client.post(
        reverse("reports:create", args=[report.case.public_id]),
        {"template": str(template_id), "title": "Note pour la commission"},
    )
    assert response.status_code == 302
    assert "/modifier/" in response["Location"]


def _more_reports(alice, report, count):
    organisation = report.organisation
    for _ in range(count):
        extra = services.report_create(by=alice, case=report.case, template=template(organisation))
        services.report_finalise(by=alice, report=extra)


def test_the_case_reports_page_query_count_does_not_grow(
    client, alice, report, django_assert_num_queries
):
    client.force_login(alice)
    url = reverse("reports:case", args=[report.case.public_id])
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        client.get(url)
    _more_reports(alice, report, 5)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        client.get(url)


def test_the_report_page_query_count_does_not_grow(
    client, alice, report, django_assert_num_queries
):
    client.force_login(alice)
    url = reverse("reports:detail", args=[report.public_id])
    client.get(url)
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        client.get(url)
    version = report.latest_version
    for index in range(6):
        sections = {**version.sections, "evaluation": f"Texte {index}"}
        version = services.report_save(
            by=alice,
            report=report,
            title=report.title,
            recipient="",
            sections=sections,
            person_opinion="",
            base_version=version.number,
        )
        report.refresh_from_db()
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        client.get(url)
