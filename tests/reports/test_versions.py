import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import ChangeEvent
from relais.reports import services
from relais.reports.models import ReportVersion
from tests.reports.builders import rich_case, template


@pytest.fixture
def report(alice, organisation):
    return services.report_create(by=alice, case=rich_case(alice), template=template(organisation))


def _save(report, by, base, **changes):
    version = report.latest_version
    sections = {**version.sections, **changes.pop("sections", {})}
    return services.report_save(
        by=by,
        report=report,
        title=changes.get("title", report.title),
        recipient=changes.get("recipient", report.recipient),
        sections=sections,
        person_opinion=changes.get("person_opinion", version.person_opinion),
        base_version=base,
    )


def test_every_save_is_a_new_version_and_earlier_ones_stay(report, alice):
    _save(report, alice, 1, sections={"evaluation": "Première analyse."})
    report.refresh_from_db()
    _save(report, alice, 2, sections={"evaluation": "Analyse complétée."})
    report.refresh_from_db()
    versions = {v.number: v for v in ReportVersion.objects.filter(report=report)}
    assert sorted(versions) == [1, 2, 3]
    assert versions[1].sections["evaluation"] == ""
    assert versions[2].sections["evaluation"] == "Première analyse."
    assert versions[3].sections["evaluation"] == "Analyse complétée."
    assert report.latest_version.number == 3
    verbs = list(
        ChangeEvent.objects.filter(object_id=str(report.public_id)).values_list("verb", flat=True)
    )
    assert verbs.count("report_version_add") == 3


def test_saving_unchanged_text_makes_no_version(report, alice):
    assert _save(report, alice, 1) is None
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_the_persons_opinion_has_its_own_field(report, alice):
    _save(report, alice, 1, person_opinion="Je suis d'accord avec ce qui est écrit.")
    report.refresh_from_db()
    assert report.latest_version.person_opinion == "Je suis d'accord avec ce qui est écrit."
    assert "Je suis d'accord" not in report.latest_version.body


def test_finalising_signs_the_latest_version_and_locks_the_report(report, alice):
    version = services.report_finalise(by=alice, report=report)
    report.refresh_from_db()
    assert report.status == "final" and report.is_locked
    assert version.signed_by == alice
    assert version.signed_at.date() == timezone.now().date()
    assert report.signed_version == version
    with pytest.raises(services.ReportError, match="amendement"):
        _save(report, alice, 1, sections={"evaluation": "Trop tard."})
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_only_the_author_signs(report, bob):
    with pytest.raises(services.ReportError, match="auteur"):
        services.report_finalise(by=bob, report=report)


def test_an_amendment_is_a_new_version_to_sign_again(report, alice):
    services.report_finalise(by=alice, report=report)
    report.refresh_from_db()
    amendment = services.report_amend(by=alice, report=report, reason="Montant du loyer corrigé.")
    report.refresh_from_db()
    assert report.status == "amending"
    assert amendment.number == 2 and not amendment.is_signed
    assert amendment.amendment_reason == "Montant du loyer corrigé."
    assert report.signed_version.number == 1  # the signed text stays what was signed
    _save(report, alice, 2, sections={"ressources": "Loyer : 620 €."})
    report.refresh_from_db()
    services.report_finalise(by=alice, report=report)
    report.refresh_from_db()
    assert report.status == "final"
    assert report.signed_version.number == 3
    assert ReportVersion.objects.get(report=report, number=1).is_signed


def test_a_save_based_on_an_old_version_is_refused(report, alice, bob):
    _save(report, alice, 1, sections={"evaluation": "Version d'Alice."})
    report.refresh_from_db()
    with pytest.raises(services.StaleVersion):
        _save(report, bob, 1, sections={"evaluation": "Version de Bob."})


def test_delivery_dates_go_on_the_signed_version(report, alice):
    with pytest.raises(services.ReportError):
        services.report_record_delivery(
            by=alice, report=report, read_to_person_on=timezone.localdate(), copy_given_on=None
        )
    services.report_finalise(by=alice, report=report)
    today = timezone.localdate()
    services.report_record_delivery(
        by=alice, report=report, read_to_person_on=today, copy_given_on=None
    )
    services.report_record_delivery(
        by=alice, report=report, read_to_person_on=None, copy_given_on=today
    )
    report.refresh_from_db()
    assert report.signed_version.read_to_person_on == today
    assert report.signed_version.copy_given_on == today


# --- through the pages ---------------------------------------------------------------


def _edit_data(report, **overrides):
    data = {"title": report.title, "recipient": "", "base_version": 1, "person_opinion": ""}
    for section in report.template.sections:
        data[f"section_{section['key']}"] = report.latest_version.sections[section["key"]]
    data.update(overrides)
    return data


def test_the_editor_saves_a_version(client, alice, report):
    client.force_login(alice)
    url = reverse("reports:edit", args=[report.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="section_evaluation"' in page.text
    assert "Avis de la personne" in page.text
    response = client.post(url, _edit_data(report, section_evaluation="Une **analyse**.", save=""))
    assert response.status_code == 302
    detail = client.get(reverse("reports:detail", args=[report.public_id]))
    assert "Une <strong>analyse</strong>." in detail.text
    assert "Version 2 enregistrée." in detail.text


def test_the_preview_saves_nothing(client, alice, report):
    client.force_login(alice)
    response = client.post(
        reverse("reports:edit", args=[report.public_id]),
        _edit_data(report, section_evaluation="À *relire*", preview=""),
    )
    assert response.status_code == 200
    assert "<em>relire</em>" in response.text
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_a_stale_save_keeps_the_text_and_says_why(client, alice, report):
    _save(report, alice, 1, sections={"evaluation": "Écrit ailleurs."})
    client.force_login(alice)
    response = client.post(
        reverse("reports:edit", args=[report.public_id]),
        _edit_data(report, section_evaluation="Mon texte précieux", save=""),
    )
    assert response.status_code == 200
    assert "Une version plus récente (version 2)" in response.text
    assert "Mon texte précieux" in response.text
    assert 'name="base_version" value="2"' in response.text
    # Saving again, knowingly, makes the next version; the other stays in the history.
    response = client.post(
        reverse("reports:edit", args=[report.public_id]),
        _edit_data(report, section_evaluation="Mon texte précieux", base_version=2, save=""),
    )
    assert response.status_code == 302
    assert ReportVersion.objects.filter(report=report).count() == 3


def test_a_finalised_report_cannot_be_edited_through_the_page(client, alice, report):
    services.report_finalise(by=alice, report=report)
    client.force_login(alice)
    response = client.post(
        reverse("reports:edit", args=[report.public_id]),
        _edit_data(report, section_evaluation="Modification interdite", save=""),
    )
    assert response.status_code == 302
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_finalise_read_and_give_through_the_pages(client, alice, report):
    client.force_login(alice)
    detail_url = reverse("reports:detail", args=[report.public_id])
    refused = client.post(reverse("reports:finalise", args=[report.public_id]), {}, follow=True)
    assert "Cochez la case pour signer le rapport." in refused.text
    client.post(reverse("reports:finalise", args=[report.public_id]), {"confirm": "on"})
    report.refresh_from_db()
    assert report.status == "final"
    today = timezone.localdate()
    future = today + datetime.timedelta(days=2)
    response = client.post(
        reverse("reports:deliver", args=[report.public_id]),
        {"read_to_person_on": future.isoformat()},
        follow=True,
    )
    assert "La date ne peut pas être dans le futur." in response.text
    client.post(
        reverse("reports:deliver", args=[report.public_id]),
        {"read_to_person_on": today.isoformat(), "copy_given_on": today.isoformat()},
    )
    page = client.get(detail_url)
    assert f"{today:%d/%m/%Y}" in page.text
    report.refresh_from_db()
    assert report.signed_version.copy_given_on == today


def test_only_the_author_sees_the_signature_form(client, bob, alice, report):
    from relais.cases.models import CaseShare

    CaseShare.objects.create(
        organisation=report.organisation,
        case=report.case,
        shared_with=bob,
        shared_by=alice,
        reason="Congés",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    client.force_login(bob)
    page = client.get(reverse("reports:detail", args=[report.public_id]))
    assert page.status_code == 200
    assert "Finaliser et signer" not in page.text
    response = client.post(reverse("reports:finalise", args=[report.public_id]), {"confirm": "on"})
    assert response.status_code == 403
