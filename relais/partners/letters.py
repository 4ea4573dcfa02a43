"""The referral letter: written from the case with only the items the worker ticked.

Each shared item has one function that reads it from the case; an item that is not
ticked is never read, so it cannot end up in the letter by mistake.
"""

from django.utils import formats, timezone

from relais.cases.models import CaseConcern
from relais.partners.enums import SharedItem
from relais.partners.models import Referral
from relais.people import enums as people_enums


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _identity(referral: Referral) -> str:
    person = referral.case.person
    civility = person.get_civility_display() if person.civility not in ("", "none") else ""
    parts = (civility, person.first_name, person.last_name.upper())
    return " ".join(part for part in parts if part)


def _birth_date(referral: Referral) -> str:
    return _date(referral.case.person.birth_date)


def _address(referral: Referral) -> str:
    person = referral.case.person
    parts = [person.address, f"{person.postal_code} {person.city}".strip()]
    return ", ".join(part for part in parts if part)


def _phone(referral: Referral) -> str:
    return referral.case.person.phone


def _email(referral: Referral) -> str:
    return referral.case.person.email


def _family_situation(referral: Referral) -> str:
    return referral.case.person.get_family_situation_display()


def _household(referral: Referral) -> str:
    person = referral.case.person
    if person.household_id is None:
        return ""
    members = list(person.household.members.all())
    if not members:
        return "vit seul·e"
    relations = dict(people_enums.Relation.choices)
    counts: dict[str, int] = {}
    for member in members:
        label = relations.get(member.relation, member.relation).lower()
        counts[label] = counts.get(label, 0) + 1
    described = [f"{count} × {label}" if count > 1 else label for label, count in counts.items()]
    return f"{len(members) + 1} personnes au foyer ({', '.join(described)})"


def _accommodation(referral: Referral) -> str:
    return referral.case.person.get_accommodation_display()


def _income_sources(referral: Referral) -> str:
    labels = dict(people_enums.IncomeSource.choices)
    return ", ".join(labels.get(code, code) for code in referral.case.person.income_sources or [])


def _employment(referral: Referral) -> str:
    person = referral.case.person
    parts = [
        person.employer.name if person.employer_id else "",
        person.job_title,
        person.get_contract_kind_display(),
        person.get_working_time_display(),
    ]
    return ", ".join(part for part in parts if part)


def _work_situation(referral: Referral) -> str:
    person = referral.case.person
    situation = person.get_work_situation_display()
    if situation and person.work_situation_since:
        situation += f" depuis le {_date(person.work_situation_since)}"
    return situation


def _legal_protection(referral: Referral) -> str:
    return referral.case.person.get_legal_protection_display()


def _concerns(referral: Referral) -> str:
    labels = (
        CaseConcern.objects.filter(organisation_id=referral.organisation_id, case=referral.case_id)
        .select_related("concern")
        .order_by("concern__position", "concern__label")
        .values_list("concern__label", flat=True)
    )
    return ", ".join(labels)


READERS = {
    SharedItem.IDENTITY: _identity,
    SharedItem.BIRTH_DATE: _birth_date,
    SharedItem.ADDRESS: _address,
    SharedItem.PHONE: _phone,
    SharedItem.EMAIL: _email,
    SharedItem.FAMILY_SITUATION: _family_situation,
    SharedItem.HOUSEHOLD: _household,
    SharedItem.ACCOMMODATION: _accommodation,
    SharedItem.INCOME_SOURCES: _income_sources,
    SharedItem.EMPLOYMENT: _employment,
    SharedItem.WORK_SITUATION: _work_situation,
    SharedItem.LEGAL_PROTECTION: _legal_protection,
    SharedItem.CONCERNS: _concerns,
}


def shared_values(referral: Referral) -> list[tuple[str, str]]:
    """(label, value) of each ticked item, in the list's order; empty values are skipped."""
    rows = []
    for code in referral.shared_items:
        value = READERS[SharedItem(code)](referral)
        if value:
            rows.append((SharedItem(code).label, value))
    return rows


def letter_draft(referral: Referral, *, author) -> str:
    """The letter's text, which the worker then reads and edits before printing."""
    subject = "la personne que j'accompagne"
    if SharedItem.IDENTITY in referral.shared_items:
        subject = _identity(referral) or subject
    greeting = "Madame, Monsieur,"
    if referral.contact_id:
        greeting = f"À l'attention de {referral.contact.name},\n\n{greeting}"
    lines = [
        greeting,
        "",
        f"J'accompagne {subject} et vous l'oriente pour la demande suivante :",
        "",
        referral.request.strip(),
    ]
    values = shared_values(referral)
    if values:
        lines += ["", "Avec son accord, je vous transmets les informations suivantes :"]
        lines += [f"- {label} : {value}" for label, value in values]
    lines += [
        "",
        "Je reste à votre disposition pour tout complément et vous remercie de me tenir "
        "informé·e de la suite donnée.",
        "",
        "Je vous prie d'agréer, Madame, Monsieur, mes salutations distinguées.",
        "",
        author.display_name,
        "Assistant·e de service social",
    ]
    return "\n".join(lines)


def letter_context(referral: Referral, *, author, organisation) -> dict:
    """What the printable page and the PDF need, from the saved text or a fresh draft."""
    return {
        "referral": referral,
        "organisation": organisation,
        "partner": referral.partner,
        "letter_date": _date(timezone.localdate()),
        "letter_text": referral.letter_text or letter_draft(referral, author=author),
    }
