"""Import of a data.inclusion export (``structures`` and ``services``, JSON or CSV).

Each row is checked against the schema (``data/datainclusion/schema.json``) on its own:
a malformed row is rejected with its reasons and the others go in. Rows are keyed on
(source, id), so importing the same file again creates nothing and updates only what
changed. The work is done in chunks, each in its own transaction, and the import row's
counters are updated after each chunk so that the progress page can show them.
"""

import csv
import datetime
import io
import json
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from relais.audit.log import record_change
from relais.partners import enums, vocabulary
from relais.partners.models import DirectoryImport, Partner, PartnerService
from relais.partners.services import _sync_thematiques

logger = logging.getLogger(__name__)

CHUNK_SIZE = 200
MAX_STORED_REJECTIONS = 1000
LIST_SEPARATORS = re.compile(r"[,;|]")
ZONE_CODE = re.compile(r"^(france|\d[0-9AB]\d{3}|\d{2,3}|2A|2B|\d{9}|99[0-5]\d{2})$")
PATTERNS = {
    "siret": (re.compile(r"^\d{14}$"), "un SIRET a 14 chiffres"),
    "code_postal": (re.compile(r"^\d{5}$"), "un code postal a 5 chiffres"),
    "code_commune": (re.compile(r"^\w{5}$"), "un code INSEE de commune a 5 caractères"),
}
RESOURCE_LABELS = {"structures": "structure", "services": "service"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not JSON, not CSV): nothing to reject row by row."""


@dataclass
class Row:
    resource: str
    line: int
    data: dict | None
    error: str = ""


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list = field(default_factory=list)

    def reject(self, row: Row, reasons: list[str]) -> None:
        self.rejected += 1
        if len(self.rejections) < MAX_STORED_REJECTIONS:
            row_id = ""
            if isinstance(row.data, dict):
                row_id = str(row.data.get("id") or "")[:200]
            self.rejections.append(
                {"resource": row.resource, "line": row.line, "id": row_id, "reasons": reasons}
            )


# --- Reading the files -----------------------------------------------------------------


def _decode(payload: bytes) -> str:
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved "as CSV" on Windows.
        return payload.decode("cp1252", errors="replace")


def read_rows(resource: str, payload: bytes, fmt: str) -> list[Row]:
    text = _decode(bytes(payload))
    if fmt == enums.ImportFormat.JSON:
        return _read_json(resource, text)
    return _read_csv(resource, text)


def _read_json(resource: str, text: str) -> list[Row]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"Le fichier des {resource} n'est pas un JSON lisible (ligne {error.lineno})."
        ) from error
    if isinstance(document, dict):
        # The data·inclusion API pages its answers as {"items": [...]}.
        document = document.get("items", document.get("data"))
    if not isinstance(document, list):
        raise ImportFileError(f"Le fichier des {resource} doit contenir une liste de {resource}.")
    return [
        Row(resource, index, item)
        if isinstance(item, dict)
        else Row(resource, index, None, "ligne mal formée : un objet JSON est attendu")
        for index, item in enumerate(document, start=1)
    ]


def _read_csv(resource: str, text: str) -> list[Row]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, restkey="_extra")
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise ImportFileError(
            f"Le fichier des {resource} n'a pas la ligne d'en-tête attendue (colonne « id »)."
        )
    rows = []
    try:
        for data in reader:
            line = reader.line_num
            if "_extra" in data or None in data.values():
                rows.append(Row(resource, line, data, "ligne mal formée : nombre de colonnes"))
                continue
            rows.append(Row(resource, line, {k: v for k, v in data.items() if v != ""}))
    except csv.Error as error:
        raise ImportFileError(
            f"Le fichier des {resource} n'est pas un CSV lisible (ligne {reader.line_num})."
        ) from error
    return rows


# --- Checking one row ------------------------------------------------------------------


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v).strip() for v in parsed if str(v).strip()]
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]  # PostgreSQL array literal
    return [part.strip().strip('"') for part in LIST_SEPARATORS.split(text) if part.strip()]


def _clean_value(spec: dict, value, errors: list[str]):
    name, kind = spec["name"], spec["type"]
    if kind.startswith("choices:") or kind == "zone":
        values = _as_list(value)
        if kind == "zone":
            wrong = [v for v in values if not ZONE_CODE.match(v)]
        else:
            known = vocabulary.labels(kind.split(":", 1)[1])
            wrong = [v for v in values if v not in known]
        if wrong:
            errors.append(f"{name} : valeur(s) inconnue(s) {', '.join(wrong[:5])}")
        # Sorted and deduplicated: a re-import of the same row compares equal.
        return sorted(set(values))
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict | list):
        errors.append(f"{name} : une valeur simple est attendue")
        return None
    text = str(value).strip()
    if kind.startswith("choice:"):
        if text not in vocabulary.labels(kind.split(":", 1)[1]):
            errors.append(f"{name} : valeur inconnue « {text[:60]} »")
        return text
    if kind == "date":
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            errors.append(f"{name} : date invalide « {text[:30]} » (AAAA-MM-JJ attendu)")
            return None
    if kind == "float":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            errors.append(f"{name} : nombre invalide « {text[:30]} »")
            return None
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            errors.append(f"{name} : adresse e-mail invalide « {text[:60]} »")
        return text
    if kind == "url":
        try:
            URLValidator(schemes=["http", "https"])(text)
            if len(text) > 200:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(f"{name} : adresse web invalide « {text[:60]} »")
        return text
    if kind in PATTERNS:
        pattern, expected = PATTERNS[kind]
        compact = text.replace(" ", "") if kind == "siret" else text
        if not pattern.match(compact):
            errors.append(f"{name} : « {text[:30]} » n'est pas {expected}")
        return compact
    if "min_length" in spec and len(text) < spec["min_length"]:
        errors.append(f"{name} : trop court (au moins {spec['min_length']} caractères)")
    if "max_length" in spec and len(text) > spec["max_length"]:
        errors.append(f"{name} : trop long (au plus {spec['max_length']} caractères)")
    return text


def clean_row(resource: str, data: dict) -> tuple[dict, list[str]]:
    """The row's known fields, checked; and the reasons to reject it (empty if none)."""
    cleaned: dict = {}
    errors: list[str] = []
    for spec in vocabulary.schema_fields(resource):
        value = data.get(spec["name"])
        for alias in spec.get("aliases", []):
            if value in (None, "", []):
                value = data.get(alias)
        if value in (None, "", []):
            if spec.get("required"):
                errors.append(f"{spec['name']} : champ obligatoire manquant")
            continue
        cleaned[spec["name"]] = _clean_value(spec, value, errors)
    return cleaned, errors


# --- Writing ---------------------------------------------------------------------------


def _partner_fields(row: dict) -> dict:
    typologie = row.get("typologie", "")
    reseaux = row.get("reseaux_porteurs", [])
    return {
        "name": row["nom"],
        "kind": vocabulary.kind_for_structure(typologie, reseaux),
        "typologie": typologie,
        "reseaux_porteurs": reseaux,
        "description": row.get("description", ""),
        "siret": row.get("siret", ""),
        "city": row.get("commune", ""),
        "postal_code": row.get("code_postal", ""),
        "insee_code": row.get("code_insee", ""),
        "address": row.get("adresse", ""),
        "address_complement": row.get("complement_adresse", ""),
        "phone": row.get("telephone", ""),
        "email": row.get("courriel", ""),
        "website": row.get("site_web", ""),
        "opening_hours": row.get("horaires_accueil", ""),
        "source_updated_on": row["date_maj"],
    }


def _service_type(row: dict) -> str:
    if row.get("type"):
        return row["type"]
    mapping = vocabulary.typologie_service_to_type()
    for typologie in row.get("types", []):
        if mapping.get(typologie):
            return mapping[typologie]
    return ""


def _service_fields(row: dict) -> dict:
    return {
        "name": row["nom"],
        "description": row.get("description", ""),
        "service_type": _service_type(row),
        "thematiques": row.get("thematiques", []),
        "publics": row.get("publics", []),
        "publics_details": row.get("publics_precisions", ""),
        "modes_accueil": row.get("modes_accueil", []),
        "zone_eligibilite": row.get("zone_eligibilite", []),
        "fees": row.get("frais", ""),
        "fees_details": row.get("frais_precisions", ""),
        "access_conditions": row.get("conditions_acces", ""),
        "address": row.get("adresse", ""),
        "postal_code": row.get("code_postal", ""),
        "city": row.get("commune", ""),
        "insee_code": row.get("code_insee", ""),
        "phone": row.get("telephone", ""),
        "email": row.get("courriel", ""),
        "contact_name": row.get("contact_nom_prenom", ""),
        "mobilisation_url": row.get("lien_mobilisation", ""),
        "modes_mobilisation": row.get("modes_mobilisation", []),
        "mobilisable_par": row.get("mobilisable_par", []),
        "mobilisation_details": row.get("mobilisation_precisions", ""),
        "opening_hours": row.get("horaires_accueil", ""),
        "source_updated_on": row["date_maj"],
    }


def _apply(obj, fields: dict) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _import_structures(rows: list[tuple[Row, dict]], imp: DirectoryImport, report: Report):
    keys = {(data["source"], data["id"]) for _, data in rows}
    existing = {
        (p.source, p.source_id): p
        for p in Partner.objects.filter(
            organisation_id=imp.organisation_id, source_id__in=[k[1] for k in keys]
        )
        if (p.source, p.source_id) in keys
    }
    for _row, data in rows:
        fields = _partner_fields(data)
        partner = existing.get((data["source"], data["id"]))
        if partner is None:
            Partner.objects.create(
                organisation_id=imp.organisation_id,
                origin=enums.PartnerOrigin.IMPORTED,
                source=data["source"],
                source_id=data["id"],
                last_import=imp,
                **fields,
            )
            report.created += 1
        elif _apply(partner, fields):
            partner.last_import = imp
            partner.save()
            report.updated += 1
        else:
            report.unchanged += 1


def _import_services(rows: list[tuple[Row, dict]], imp: DirectoryImport, report: Report):
    structure_keys = {(data["source"], data["structure_id"]) for _, data in rows}
    partners = {
        (p.source, p.source_id): p
        for p in Partner.objects.filter(
            organisation_id=imp.organisation_id,
            source_id__in=[k[1] for k in structure_keys],
        )
        if (p.source, p.source_id) in structure_keys
    }
    keys = {(data["source"], data["id"]) for _, data in rows}
    existing = {
        (s.source, s.source_id): s
        for s in PartnerService.objects.filter(
            organisation_id=imp.organisation_id, source_id__in=[k[1] for k in keys]
        )
        if (s.source, s.source_id) in keys
    }
    for row, data in rows:
        partner = partners.get((data["source"], data["structure_id"]))
        if partner is None:
            report.reject(row, [f"structure_id : structure inconnue « {data['structure_id']} »"])
            continue
        fields = _service_fields(data)
        service = existing.get((data["source"], data["id"]))
        if service is None:
            service = PartnerService.objects.create(
                organisation_id=imp.organisation_id,
                partner=partner,
                source=data["source"],
                source_id=data["id"],
                **fields,
            )
            _sync_thematiques(service)
            report.created += 1
        else:
            thematiques_before = list(service.thematiques)
            moved = service.partner_id != partner.pk
            if _apply(service, fields) or moved:
                service.partner = partner
                service.save()
                if moved:
                    service.thematique_links.update(partner=partner)
                if moved or thematiques_before != service.thematiques:
                    _sync_thematiques(service)
                report.updated += 1
            else:
                report.unchanged += 1


def _progress(imp: DirectoryImport, processed: int, report: Report) -> None:
    DirectoryImport.objects.filter(pk=imp.pk).update(
        processed_rows=processed,
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        rejected_count=report.rejected,
    )


def _checked(rows: list[Row], report: Report, seen: dict) -> list[tuple[Row, dict]]:
    good = []
    for row in rows:
        if row.error:
            report.reject(row, [row.error])
            continue
        data, errors = clean_row(row.resource, row.data)
        key = (data.get("source"), data.get("id"))
        if not errors and key in seen:
            errors = [f"id : identifiant en double dans le fichier (déjà vu ligne {seen[key]})"]
        if errors:
            report.reject(row, errors)
            continue
        seen[key] = row.line
        good.append((row, data))
    return good


def run_import(import_id: int) -> DirectoryImport:
    """Run one import to the end; whatever happens, the import row says how it ended."""
    imp = DirectoryImport.objects.get(pk=import_id)
    if imp.status != enums.ImportStatus.PENDING:
        return imp
    DirectoryImport.objects.filter(pk=imp.pk).update(
        status=enums.ImportStatus.RUNNING, started_at=timezone.now()
    )
    report = Report()
    try:
        structures = (
            read_rows("structures", imp.structures_payload, imp.format)
            if imp.structures_payload
            else []
        )
        services = (
            read_rows("services", imp.services_payload, imp.format) if imp.services_payload else []
        )
        DirectoryImport.objects.filter(pk=imp.pk).update(total_rows=len(structures) + len(services))
        processed = 0
        for rows, writer in ((structures, _import_structures), (services, _import_services)):
            seen: dict = {}
            for start in range(0, len(rows), CHUNK_SIZE):
                chunk = rows[start : start + CHUNK_SIZE]
                with transaction.atomic():
                    writer(_checked(chunk, report, seen), imp, report)
                processed += len(chunk)
                _progress(imp, processed, report)
        _finish(imp, report, status=enums.ImportStatus.DONE)
    except ImportFileError as error:
        _finish(imp, report, status=enums.ImportStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("Directory import %s failed", imp.pk)
        _finish(
            imp,
            report,
            status=enums.ImportStatus.FAILED,
            error="L'import s'est interrompu sur une erreur inattendue ; les lignes déjà "
            "traitées sont enregistrées. Relancez-le : rien ne sera créé en double.",
        )
    imp.refresh_from_db()
    return imp


@transaction.atomic
def _finish(imp: DirectoryImport, report: Report, *, status: str, error: str = "") -> None:
    imp = DirectoryImport.objects.select_for_update().get(pk=imp.pk)
    imp.status = status
    imp.error = error
    imp.finished_at = timezone.now()
    imp.created_count = report.created
    imp.updated_count = report.updated
    imp.unchanged_count = report.unchanged
    imp.rejected_count = report.rejected
    # Rows are checked before they are written; keep the report in the files' order.
    imp.rejections = sorted(
        report.rejections, key=lambda r: (r["resource"] != "structures", r["line"])
    )
    if status == enums.ImportStatus.DONE:
        imp.processed_rows = imp.total_rows
    imp.structures_payload = None
    imp.services_payload = None
    imp.save()
    record_change(
        user=imp.created_by,
        verb="directory_import_run",
        obj=imp,
        before={},
        after={
            "status": status,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
        },
    )
