"""Writes on reports: one function per action, transactional, each with its audit row.

They assume clean input (the forms check it) and refuse impossible transitions with a
``ReportError`` whose message is shown to the user as is.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from relais.audit.log import record_access, record_change, snapshot
from relais.audit.models import AccessAction
from relais.cases.models import Case
from relais.reports import enums
from relais.reports.models import (
    CopyRedaction,
    PersonFileCopy,
    Report,
    ReportTemplate,
    ReportVersion,
)
from relais.reports.prefill import case_facts, prefill_sections

DATA_DIR = Path(__file__).parent / "data"


class ReportError(Exception):
    """A refused action; the message is French and meant for the user."""


class StaleVersion(ReportError):
    def __init__(self, latest_number: int):
        super().__init__(
            f"Une version plus récente (version {latest_number}) a été enregistrée pendant "
            "que vous écriviez. Votre texte est conservé ci-dessous : si vous enregistrez à "
            "nouveau, il deviendra la version suivante ; l'autre version reste dans "
            "l'historique."
        )
        self.latest_number = latest_number


def report_templates_seed(organisation_id: int) -> int:
    """Copy the shipped templates into the organisation (idempotent, by code)."""
    shipped = json.loads((DATA_DIR / "templates.json").read_text())["templates"]
    existing = set(
        ReportTemplate.objects.filter(organisation_id=organisation_id).values_list(
            "code", flat=True
        )
    )
    created = [
        ReportTemplate(
            organisation_id=organisation_id,
            code=item["code"],
            kind=item["kind"],
            name=item["name"],
            description=item.get("description", ""),
            sections=item["sections"],
            person_opinion_label=item.get("person_opinion_label", ""),
            default_recipient=item.get("default_recipient", ""),
            position=position,
        )
        for position, item in enumerate(shipped)
        if item["code"] not in existing
    ]
    ReportTemplate.objects.bulk_create(created)
    return len(created)


def _locked(report: Report, related: str) -> Report:
    """The report row, locked for this transaction (not the versions it points to)."""
    return Report.objects.select_for_update(of=("self",)).select_related(related).get(pk=report.pk)


def _version_snapshot(version: ReportVersion) -> dict:
    return snapshot(version, ["number", "body", "person_opinion", "amendment_reason"])


def _add_version(
    *, by, report: Report, sections: dict[str, str], person_opinion: str, amendment_reason=""
) -> ReportVersion:
    number = (report.latest_version.number + 1) if report.latest_version_id else 1
    version = ReportVersion.objects.create(
        organisation_id=report.organisation_id,
        report=report,
        number=number,
        author=by,
        body=json.dumps(sections, ensure_ascii=False),
        person_opinion=person_opinion,
        amendment_reason=amendment_reason,
    )
    record_change(
        user=by,
        verb="report_version_add",
        obj=report,
        after=_version_snapshot(version),
    )
    return version


@transaction.atomic
def report_create(*, by, case: Case, template: ReportTemplate, title: str = "") -> Report:
    """Start a report drafted from the case's structured data (version 1)."""
    sections = prefill_sections(template, case_facts(case))
    report = Report.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        template=template,
        kind=template.kind,
        title=title or f"{template.name} — {case.person.full_name}",
        recipient=template.default_recipient,
        author=by,
    )
    record_change(user=by, verb="report_create", obj=report, after=snapshot(report))
    version = _add_version(by=by, report=report, sections=sections, person_opinion="")
    report.latest_version = version
    report.save(update_fields=["latest_version", "updated_at"])
    return report


@transaction.atomic
def report_save(
    *,
    by,
    report: Report,
    title: str,
    recipient: str,
    sections: dict[str, str],
    person_opinion: str,
    base_version: int,
) -> ReportVersion | None:
    """Save the edited text as a new version; ``None`` when nothing changed.

    ``base_version`` is the version the editor started from: if someone saved since, the
    save is refused so that nobody's text silently replaces another's.
    """
    report = _locked(report, "latest_version")
    if report.is_locked:
        raise ReportError("Ce rapport est finalisé : pour le corriger, faites un amendement.")
    latest = report.latest_version
    if latest.number != base_version:
        raise StaleVersion(latest.number)
    before = snapshot(report, ["title", "recipient"])
    header_changed = (report.title, report.recipient) != (title, recipient)
    body_changed = latest.sections != sections or latest.person_opinion != person_opinion
    if not header_changed and not body_changed:
        return None
    report.title, report.recipient = title, recipient
    version = _add_version(by=by, report=report, sections=sections, person_opinion=person_opinion)
    report.latest_version = version
    report.save(update_fields=["title", "recipient", "latest_version", "updated_at"])
    if header_changed:
        record_change(
            user=by,
            verb="report_save",
            obj=report,
            before=before,
            after=snapshot(report, ["title", "recipient"]),
        )
    return version


@transaction.atomic
def report_finalise(*, by, report: Report) -> ReportVersion:
    """Sign the latest version (author, date) and lock the report."""
    report = _locked(report, "latest_version")
    if report.is_locked:
        raise ReportError("Ce rapport est déjà finalisé.")
    if report.author_id != by.pk:
        raise ReportError("Seul·e l'auteur·e du rapport peut le signer.")
    version = report.latest_version
    before = snapshot(report, ["status", "signed_version"])
    version.signed_by = by
    version.signed_at = timezone.now()
    version.save(update_fields=["signed_by", "signed_at"])
    report.status = enums.ReportStatus.FINAL
    report.signed_version = version
    report.save(update_fields=["status", "signed_version", "updated_at"])
    record_change(
        user=by,
        verb="report_finalise",
        obj=report,
        before=before,
        after=snapshot(report, ["status", "signed_version"]),
    )
    return version


@transaction.atomic
def report_amend(*, by, report: Report, reason: str) -> ReportVersion:
    """Reopen a finalised report: a new version, with its reason, to be signed again."""
    report = _locked(report, "latest_version")
    if not report.is_locked:
        raise ReportError("Ce rapport n'est pas finalisé : il se modifie directement.")
    latest = report.latest_version
    before = snapshot(report, ["status"])
    version = _add_version(
        by=by,
        report=report,
        sections=latest.sections,
        person_opinion=latest.person_opinion,
        amendment_reason=reason,
    )
    report.status = enums.ReportStatus.AMENDING
    report.latest_version = version
    report.save(update_fields=["status", "latest_version", "updated_at"])
    record_change(
        user=by, verb="report_amend", obj=report, before=before, after=snapshot(report, ["status"])
    )
    return version


@transaction.atomic
def report_record_delivery(
    *,
    by,
    report: Report,
    read_to_person_on: datetime.date | None,
    copy_given_on: datetime.date | None,
) -> ReportVersion:
    """Record that the signed version was read to the person and / or a copy given."""
    report = _locked(report, "signed_version")
    version = report.signed_version
    if version is None:
        raise ReportError("Le rapport doit être finalisé avant d'être lu ou remis.")
    before = snapshot(version, ["read_to_person_on", "copy_given_on"])
    if read_to_person_on is not None:
        version.read_to_person_on = read_to_person_on
    if copy_given_on is not None:
        version.copy_given_on = copy_given_on
    version.save(update_fields=["read_to_person_on", "copy_given_on"])
    record_change(
        user=by,
        verb="report_record_delivery",
        obj=report,
        before=before,
        after=snapshot(version, ["read_to_person_on", "copy_given_on"]),
    )
    return version


# --- The person's copy of their file ---------------------------------------------------


@transaction.atomic
def person_copy_start(*, by, person) -> PersonFileCopy:
    """Open a copy for review; nothing is produced until the worker has reviewed it."""
    person_copy = PersonFileCopy.objects.create(
        organisation_id=person.organisation_id, person=person, requested_by=by
    )
    record_change(user=by, verb="person_copy_start", obj=person_copy, after=snapshot(person_copy))
    return person_copy


def _locked_review(person_copy: PersonFileCopy) -> PersonFileCopy:
    person_copy = PersonFileCopy.objects.select_for_update().get(pk=person_copy.pk)
    if person_copy.status != enums.CopyStatus.REVIEW:
        raise ReportError("Cette copie n'est plus en relecture.")
    return person_copy


@transaction.atomic
def person_copy_redact(
    *,
    by,
    person_copy: PersonFileCopy,
    item_key: str,
    item_label: str,
    excerpt: str,
    reason: str,
    justification: str,
) -> CopyRedaction:
    """Withhold a passage about a third party (``excerpt`` empty: the whole text)."""
    person_copy = _locked_review(person_copy)
    last = person_copy.redactions.order_by("-number").values_list("number", flat=True).first()
    redaction = CopyRedaction.objects.create(
        organisation_id=person_copy.organisation_id,
        person_copy=person_copy,
        number=(last or 0) + 1,
        item_key=item_key,
        item_label=item_label,
        excerpt=excerpt,
        reason=reason,
        justification=justification,
        created_by=by,
    )
    record_change(
        user=by,
        verb="person_copy_redact",
        obj=person_copy,
        after={"redaction": redaction.number, **snapshot(redaction, ["item_key", "reason"])},
    )
    return redaction


@transaction.atomic
def person_copy_unredact(*, by, redaction: CopyRedaction) -> None:
    person_copy = _locked_review(redaction.person_copy)
    before = {"redaction": redaction.number, **snapshot(redaction, ["item_key", "reason"])}
    redaction.delete()
    record_change(user=by, verb="person_copy_unredact", obj=person_copy, before=before, after={})


@transaction.atomic
def person_copy_cancel(*, by, person_copy: PersonFileCopy) -> None:
    person_copy = _locked_review(person_copy)
    person_copy.status = enums.CopyStatus.CANCELLED
    person_copy.save(update_fields=["status"])
    record_change(
        user=by,
        verb="person_copy_cancel",
        obj=person_copy,
        before={"status": enums.CopyStatus.REVIEW},
        after={"status": enums.CopyStatus.CANCELLED},
    )


def person_copy_produce(*, by, person_copy: PersonFileCopy, ip: str | None = None):
    """Produce the PDF and the JSON with the redactions applied; store them encrypted.

    The rendering runs before the transaction (it can take a few seconds on a large file
    and must not hold the database's write lock); the transaction then checks that the
    review did not change meanwhile.
    """
    from relais.documents.storage import delete_stored, store_encrypted
    from relais.reports.person_file import PersonFileBuilder, render_person_file_pdf

    redactions = list(person_copy.redactions.order_by("number"))
    data = PersonFileBuilder(user=by, person=person_copy.person, redactions=redactions).build().data
    data["reference_de_la_copie"] = str(person_copy.public_id)
    json_bytes = json.dumps(data, ensure_ascii=False, indent=2).encode()
    pdf_bytes = render_person_file_pdf(data)
    organisation_id = person_copy.organisation_id
    pdf_name = store_encrypted(organisation_id=organisation_id, folder="copies", data=pdf_bytes)
    json_name = store_encrypted(organisation_id=organisation_id, folder="copies", data=json_bytes)
    try:
        with transaction.atomic():
            locked = _locked_review(person_copy)
            current = list(locked.redactions.order_by("number").values_list("pk", flat=True))
            if current != [r.pk for r in redactions]:
                raise ReportError(
                    "Les occultations ont changé pendant la production : recommencez."
                )
            locked.pdf_file, locked.json_file = pdf_name, json_name
            locked.pdf_size, locked.json_size = len(pdf_bytes), len(json_bytes)
            locked.status = enums.CopyStatus.PRODUCED
            locked.produced_at = timezone.now()
            locked.save()
            record_change(
                user=by,
                verb="person_copy_produce",
                obj=locked,
                before={"status": enums.CopyStatus.REVIEW},
                after={"status": enums.CopyStatus.PRODUCED, "redactions": len(redactions)},
            )
            record_access(
                user=by,
                organisation_id=organisation_id,
                obj=locked,
                action=AccessAction.EXPORT,
                reason="Copie du dossier pour la personne (droit d'accès)",
                ip=ip,
            )
    except Exception:
        delete_stored(pdf_name)
        delete_stored(json_name)
        raise
    return locked
