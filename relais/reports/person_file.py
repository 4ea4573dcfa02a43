"""Everything the service holds about a person, gathered for their own copy.

RGPD art. 15 (right of access) and CASF L311-3 (communication of one's file): the person
gets their identity, household, cases, interventions, notes — assessment notes included,
they are written to be read by the person —, plans, aid requests, reports, the list of
their documents and who consulted their file.

The copy covers the cases the producing worker sees. A case of the same person held by a
colleague who has not shared it is not opened here (secrecy between workers still
holds): the copy names it as not included, so that its referent completes the copy.

Each free text goes through ``PersonFileBuilder.text`` which registers it as a reviewable
item; the worker may withhold passages that concern a third party, and the copy then
shows a numbered marker and lists the redaction (place and reason, never the content).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import DateField, DateTimeField, Q
from django.utils import timezone

from relais.audit.models import AccessEvent
from relais.cases.models import (
    Appointment,
    Case,
    CaseReferent,
    FinancialAid,
    Intervention,
    Note,
    Request,
    SupportPlan,
    Task,
)
from relais.documents.models import Document
from relais.people.enums import IncomeSource
from relais.people.models import Person
from relais.reports.models import CopyRedaction, Report, ReportVersion

FORMAT = "relais/copie-du-dossier/1"
IDENTITY_FIELDS = [
    ("civilite", "civility"),
    ("nom", "last_name"),
    ("prenom", "first_name"),
    ("nom_de_naissance", "birth_name"),
    ("date_de_naissance", "birth_date"),
    ("sexe", "sex"),
    ("nationalite", "nationality"),
    ("telephone", "phone"),
    ("email", "email"),
    ("adresse", "address"),
    ("code_postal", "postal_code"),
    ("commune", "city"),
    ("employeur", "employer"),
    ("etablissement", "establishment"),
    ("poste", "job_title"),
    ("contrat", "contract_kind"),
    ("temps_de_travail", "working_time"),
    ("date_d_entree", "hired_on"),
    ("situation_professionnelle", "work_situation"),
    ("situation_professionnelle_depuis", "work_situation_since"),
    ("mode_d_hebergement", "accommodation"),
    ("situation_familiale", "family_situation"),
    ("sources_de_revenus", "income_sources"),
    ("mesure_de_protection", "legal_protection"),
    ("dernier_contact", "last_contact_at"),
]
OBJECT_LABELS = {
    "people.person": "fiche de la personne",
    "cases.case": "dossier d'accompagnement",
    "cases.note": "note",
    "cases.intervention": "intervention",
    "cases.request": "demande",
    "cases.supportplan": "plan d'accompagnement",
    "cases.financialaid": "aide financière",
    "reports.report": "rapport",
    "reports.personfilecopy": "copie du dossier",
    "documents.document": "document",
}


def iso(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def fr(value) -> str:
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value or "")


@dataclass
class TextItem:
    """A free text of the file the worker reviews (and may partly withhold)."""

    key: str
    label: str
    text: str


@dataclass
class PersonFile:
    data: dict
    items: list[TextItem] = field(default_factory=list)


class PersonFileBuilder:
    def __init__(self, *, user, person: Person, redactions=()):
        self.user = user
        self.person = person
        self.org = person.organisation_id
        self.items: list[TextItem] = []
        self.redactions = list(redactions)
        self.redactions_by_key: dict[str, list[CopyRedaction]] = defaultdict(list)
        for redaction in self.redactions:
            self.redactions_by_key[redaction.item_key].append(redaction)

    # --- free text, reviewed and redacted -------------------------------------------------

    def text(self, key: str, label: str, value: str | None) -> str:
        if not value:
            return ""
        self.items.append(TextItem(key, label, value))
        for redaction in self.redactions_by_key.get(key, []):
            marker = f"[passage retiré n°{redaction.number} : {redaction.get_reason_display()}]"
            value = value.replace(redaction.excerpt, marker) if redaction.excerpt else marker
        return value

    # --- the file -------------------------------------------------------------------------

    def build(self) -> PersonFile:
        person = Person.objects.select_related(
            "organisation", "employer", "establishment", "household"
        ).get(pk=self.person.pk, organisation_id=self.org)
        self.person = person
        all_cases = list(
            Case.objects.filter(organisation_id=self.org, person=person)
            .prefetch_related("concerns")
            .order_by("opened_on", "id")
        )
        visible_ids = set(
            Case.objects.visible_to(self.user)
            .filter(organisation_id=self.org, person=person)
            .values_list("id", flat=True)
        )
        cases = [case for case in all_cases if case.pk in visible_ids]
        hidden = [case for case in all_cases if case.pk not in visible_ids]
        case_ids = [case.pk for case in cases]
        referents = self._referents([case.pk for case in all_cases])

        data = {
            "format": FORMAT,
            "produite_le": iso(timezone.now()),
            "service": {"nom": person.organisation.name, "ville": person.organisation.city},
            "produite_par": getattr(self.user, "display_name", ""),
            "identite": self._identity(person),
            "foyer": self._household(person),
            "accompagnements": self._cases(cases, referents),
            "demandes_hors_accompagnement": self._requests(
                Request.objects.filter(
                    organisation_id=self.org, person=person, case__isnull=True
                ).prefetch_related("concerns")
            ),
            "rendez_vous": self._appointments(person, case_ids),
            "actions_collectives": self._group_actions(person),
            "documents_hors_accompagnement": self._documents(
                Document.objects.filter(organisation_id=self.org, person=person, case__isnull=True)
            ),
            "journal_des_acces": self._access_log(person, [case.pk for case in all_cases]),
            **self._budget(person),
            "non_inclus": [
                {
                    "accompagnement_ouvert_le": iso(case.opened_on),
                    "statut": case.get_status_display(),
                    "referents": referents.get(case.pk, []),
                    "explication": "Accompagnement suivi par un·e autre professionnel·le du "
                    "service : sa ou son référent·e complète cette copie.",
                }
                for case in hidden
            ],
        }
        data["occultations"] = [
            {
                "numero": redaction.number,
                "element": redaction.item_label,
                "motif": redaction.get_reason_display(),
                "portee": "passage" if redaction.excerpt else "texte entier",
            }
            for redaction in self.redactions
        ]
        return PersonFile(data=data, items=self.items)

    def _referents(self, case_ids) -> dict[int, list[str]]:
        names: dict[int, list[str]] = defaultdict(list)
        for link in CaseReferent.objects.filter(
            organisation_id=self.org, case_id__in=case_ids
        ).select_related("user"):
            names[link.case_id].append(link.user.display_name)
        return names

    def _identity(self, person: Person) -> dict:
        identity = {}
        for key, name in IDENTITY_FIELDS:
            model_field = Person._meta.get_field(name)
            value = getattr(person, name)
            if model_field.choices:
                value = getattr(person, f"get_{name}_display")()
            elif name == "income_sources":
                labels = dict(IncomeSource.choices)
                value = [labels.get(code, code) for code in value or []]
            elif model_field.is_relation:
                value = str(value) if value else None
            else:
                value = iso(value) if not isinstance(value, str) else value
            identity[key] = value if value not in ("", []) else None
        return identity

    def _household(self, person: Person) -> list[dict]:
        if not person.household_id:
            return []
        return [
            {
                "prenom": member.first_name or None,
                "nom": member.last_name or None,
                "lien": member.get_relation_display(),
                "date_de_naissance": iso(member.birth_date),
                "heberge": member.is_hosted,
                "a_charge": member.is_dependent,
            }
            for member in person.household.members.order_by("birth_date", "id")
        ]

    def _requests(self, requests) -> list[dict]:
        rows = []
        for request in sorted(requests, key=lambda r: (r.received_on, r.pk)):
            rows.append(
                {
                    "recue_le": iso(request.received_on),
                    "origine": request.get_origin_display(),
                    "canal": request.get_channel_display(),
                    "urgence": request.get_urgency_display(),
                    "statut": request.get_status_display(),
                    "motifs": [c.label for c in request.concerns.all()],
                    "resume": self.text(
                        f"request:{request.public_id}:summary",
                        f"Demande du {fr(request.received_on)} — résumé",
                        request.summary,
                    ),
                }
            )
        return rows

    def _cases(self, cases: list[Case], referents) -> list[dict]:
        if not cases:
            return []
        ids = [case.pk for case in cases]
        org = self.org
        by_case = defaultdict(lambda: defaultdict(list))
        for request in Request.objects.filter(
            organisation_id=org, case_id__in=ids
        ).prefetch_related("concerns"):
            by_case[request.case_id]["requests"].append(request)
        for intervention in (
            Intervention.objects.filter(organisation_id=org, case_id__in=ids)
            .select_related("author")
            .prefetch_related("concerns")
            .order_by("occurred_at", "id")
        ):
            by_case[intervention.case_id]["interventions"].append(intervention)
        for note in (
            Note.objects.filter(organisation_id=org, case_id__in=ids)
            .select_related("author", "intervention")
            .order_by("created_at", "id")
        ):
            by_case[note.case_id]["notes"].append(note)
        for plan in (
            SupportPlan.objects.filter(organisation_id=org, case_id__in=ids)
            .prefetch_related("goals__actions")
            .order_by("started_on", "id")
        ):
            by_case[plan.case_id]["plans"].append(plan)
        for aid in FinancialAid.objects.filter(organisation_id=org, case_id__in=ids).order_by(
            "requested_on", "id"
        ):
            by_case[aid.case_id]["aids"].append(aid)
        for task in Task.objects.filter(organisation_id=org, case_id__in=ids).order_by(
            "due_on", "id"
        ):
            by_case[task.case_id]["tasks"].append(task)
        for report in (
            Report.objects.filter(organisation_id=org, case_id__in=ids)
            .select_related("template", "author")
            .order_by("created_at", "id")
        ):
            by_case[report.case_id]["reports"].append(report)
        versions = self._report_versions(
            [r.pk for rows in by_case.values() for r in rows["reports"]]
        )
        documents = defaultdict(list)
        for document in Document.objects.filter(organisation_id=org, case_id__in=ids):
            documents[document.case_id].append(document)
        partners = self._partner_rows(ids)

        result = []
        for case in cases:
            rows = by_case[case.pk]
            entry = {
                "reference": str(case.public_id),
                "statut": case.get_status_display(),
                "ouvert_le": iso(case.opened_on),
                "clos_le": iso(case.closed_on),
                "motif_de_cloture": case.get_closing_reason_display() or None,
                "referents": referents.get(case.pk, []),
                "motifs": [c.label for c in case.concerns.all()],
                "demandes": self._requests(rows["requests"]),
                "interventions": [self._intervention(i) for i in rows["interventions"]],
                "notes": [self._note(n) for n in rows["notes"]],
                "plans": [self._plan(p) for p in rows["plans"]],
                "aides_financieres": [self._aid(a) for a in rows["aids"]],
                "taches": [
                    {"tache": t.title, "echeance": iso(t.due_on), "faite_le": iso(t.done_at)}
                    for t in rows["tasks"]
                ],
                "rapports": [self._report(r, versions.get(r.pk, [])) for r in rows["reports"]],
                "documents": self._documents(documents[case.pk]),
            }
            for key, builder in partners.items():
                entry[key] = builder(case.pk)
            result.append(entry)
        return result

    def _intervention(self, intervention: Intervention) -> dict:
        label = f"{intervention.get_kind_display()} du {fr(intervention.occurred_at)}"
        return {
            "date": iso(intervention.occurred_at),
            "type": intervention.get_kind_display(),
            "duree_minutes": intervention.duration_minutes,
            "lieu": intervention.place or None,
            "participants": self.text(
                f"intervention:{intervention.public_id}:participants",
                f"{label} — autres participants",
                intervention.participants,
            )
            or None,
            "auteur": intervention.author.display_name,
            "motifs": [c.label for c in intervention.concerns.all()],
        }

    def _note(self, note: Note) -> dict:
        label = (
            f"Note du {fr(note.created_at)} ({note.get_kind_display().lower()}, "
            f"{note.author.display_name})"
        )
        intervention = note.intervention
        return {
            "date": iso(note.created_at),
            "nature": note.get_kind_display(),
            "auteur": note.author.display_name,
            "intervention": f"{intervention.get_kind_display()} du {fr(intervention.occurred_at)}"
            if intervention
            else None,
            "texte": self.text(f"note:{note.public_id}:body", label, note.body),
        }

    def _plan(self, plan: SupportPlan) -> dict:
        label = f"Plan du {fr(plan.started_on)}"
        goals = []
        for goal in plan.goals.all():
            short = goal.person_words[:40] + ("…" if len(goal.person_words) > 40 else "")
            goals.append(
                {
                    "avec_les_mots_de_la_personne": self.text(
                        f"goal:{goal.public_id}:person_words",
                        f"{label} — objectif « {short} »",
                        goal.person_words,
                    ),
                    "reformulation": self.text(
                        f"goal:{goal.public_id}:worker_wording",
                        f"{label} — reformulation de l'objectif « {short} »",
                        goal.worker_wording,
                    )
                    or None,
                    "statut": goal.get_status_display(),
                    "actions": [
                        {
                            "action": self.text(
                                f"action:{action.public_id}:description",
                                f"{label} — action de l'objectif « {short} »",
                                action.description,
                            ),
                            "qui": action.get_owner_display(),
                            "partenaire": action.partner_name or None,
                            "pour_le": iso(action.due_on),
                            "statut": action.get_status_display(),
                            "fait_le": iso(action.done_on),
                        }
                        for action in goal.actions.all()
                    ],
                }
            )
        return {
            "elabore_le": iso(plan.started_on),
            "bilan_prevu_le": iso(plan.review_on),
            "bilan_fait_le": iso(plan.reviewed_on),
            "bilan": self.text(f"plan:{plan.public_id}:review", f"{label} — bilan", plan.review)
            or None,
            "objectifs": goals,
        }

    def _aid(self, aid: FinancialAid) -> dict:
        return {
            "type": aid.get_kind_display(),
            "financeur": aid.funder,
            "montant_demande": str(aid.amount_requested),
            "montant_accorde": str(aid.amount_granted) if aid.amount_granted is not None else None,
            "objet": self.text(
                f"aid:{aid.public_id}:purpose",
                f"Aide demandée le {fr(aid.requested_on)} — objet",
                aid.purpose,
            )
            or None,
            "demandee_le": iso(aid.requested_on),
            "commission_le": iso(aid.committee_on),
            "decision_le": iso(aid.decided_on),
            "statut": aid.get_status_display(),
        }

    def _report_versions(self, report_ids) -> dict[int, list[ReportVersion]]:
        """Per report, the versions the person reads: the last signed one and, when an
        amendment is being written, the latest."""
        chosen: dict[int, list[ReportVersion]] = defaultdict(list)
        if not report_ids:
            return chosen
        reports = Report.objects.filter(organisation_id=self.org, pk__in=report_ids)
        wanted = set()
        for latest_id, signed_id in reports.values_list("latest_version_id", "signed_version_id"):
            wanted.update(filter(None, [latest_id, signed_id]))
        for version in (
            ReportVersion.objects.filter(organisation_id=self.org, pk__in=wanted)
            .select_related("signed_by")
            .order_by("number")
        ):
            chosen[version.report_id].append(version)
        return chosen

    def _report(self, report: Report, versions: list[ReportVersion]) -> dict:
        rows = []
        for version in versions:
            label = f"{report.get_kind_display()} « {report.title} », version {version.number}"
            texts = version.sections
            rows.append(
                {
                    "version": version.number,
                    "date": iso(version.created_at),
                    "signee_par": version.signed_by.display_name if version.signed_by else None,
                    "signee_le": iso(version.signed_at),
                    "lue_a_la_personne_le": iso(version.read_to_person_on),
                    "copie_remise_le": iso(version.copy_given_on),
                    "sections": [
                        {
                            "titre": section["title"],
                            "texte": self.text(
                                f"reportversion:{version.public_id}:{section['key']}",
                                f"{label} — {section['title']}",
                                texts.get(section["key"], ""),
                            ),
                        }
                        for section in report.template.sections
                    ],
                    "avis_de_la_personne": self.text(
                        f"reportversion:{version.public_id}:person_opinion",
                        f"{label} — {report.template.person_opinion_label or 'avis'}",
                        version.person_opinion,
                    )
                    or None,
                    "motif_amendement": version.amendment_reason or None,
                }
            )
        return {
            "reference": str(report.public_id),
            "type": report.get_kind_display(),
            "titre": report.title,
            "destinataire": report.recipient or None,
            "statut": report.get_status_display(),
            "auteur": report.author.display_name,
            "versions": rows,
        }

    def _documents(self, documents) -> list[dict]:
        return [
            {
                "reference": str(document.public_id),
                "type": document.get_kind_display(),
                "intitule": document.title,
                "date_du_document": iso(document.document_date),
                "depose_le": iso(document.created_at),
                "format": document.content_type,
                "taille_octets": document.size,
            }
            for document in sorted(documents, key=lambda d: (d.created_at, d.pk))
        ]

    def _appointments(self, person: Person, case_ids) -> list[dict]:
        appointments = (
            Appointment.objects.filter(organisation_id=self.org, person=person)
            .filter(Q(case__isnull=True) | Q(case_id__in=case_ids))
            .select_related("worker")
            .order_by("starts_at", "id")
        )
        return [
            {
                "date": iso(a.starts_at),
                "type": a.get_kind_display(),
                "lieu": a.place or None,
                "avec": a.worker.display_name,
                "statut": a.get_status_display(),
            }
            for a in appointments
        ]

    def _group_actions(self, person: Person) -> list[dict]:
        """The collective actions a worker linked the person to (their own participation:
        the other attendees are only a number, never named)."""
        from relais.groups.models import Participation

        participations = (
            Participation.objects.visible_to(self.user)
            .filter(organisation_id=self.org, person=person)
            .select_related("group_action")
            .order_by("group_action__starts_at", "id")
        )
        return [
            {
                "date": iso(p.group_action.starts_at),
                "intitule": p.group_action.title,
                "type": p.group_action.get_kind_display(),
                "statut": p.group_action.get_status_display(),
                "presence": "présent·e" if p.attended else "absent·e",
            }
            for p in participations
        ]

    def _access_log(self, person: Person, case_ids) -> list[dict]:
        events = (
            AccessEvent.objects.filter(organisation_id=self.org)
            .filter(Q(person_id=person.pk) | Q(case_id__in=case_ids))
            .select_related("user")
            .order_by("-at", "-seq")
        )
        actions = dict(AccessEvent._meta.get_field("action").choices)
        return [
            {
                "date": iso(event.at),
                "qui": event.user.display_name if event.user else "système",
                "action": actions.get(event.action, event.action),
                "objet": OBJECT_LABELS.get(event.object_type, event.object_type),
                "motif": event.reason or None,
            }
            for event in events
        ]

    def _budget(self, person: Person) -> dict:
        """Budgets, debts and the over-indebtedness file, when the budget app is installed."""
        if not apps.is_installed("relais.budget"):
            return {}
        budget_model = apps.get_model("budget", "Budget")
        debt_model = apps.get_model("budget", "Debt")
        file_model = apps.get_model("budget", "OverindebtednessFile")
        budgets = []
        for budget in (
            budget_model.objects.filter(organisation_id=self.org, person=person)
            .prefetch_related("lines")
            .order_by("month", "id")
        ):
            label = f"Budget de {budget.month:%m/%Y}"
            budgets.append(
                {
                    "mois": iso(budget.month),
                    "remarques": self.text(f"budget:{budget.public_id}:note", label, budget.note)
                    or None,
                    "lignes": [
                        {
                            "type": line.get_kind_display(),
                            "categorie": line.category_label,
                            "precision": self.text(
                                f"budgetline:{line.public_id}:label",
                                f"{label} — {line.category_label}",
                                line.label,
                            )
                            or None,
                            "montant_mensuel": str(line.amount),
                            "pour_qui": line.get_holder_display(),
                        }
                        for line in budget.lines.all()
                    ],
                }
            )
        debts = [
            {
                "creancier": debt.creditor,
                "nature": debt.get_kind_display(),
                "montant_restant_du": str(debt.amount_owed),
                "mensualite": str(debt.monthly_payment)
                if debt.monthly_payment is not None
                else None,
                "dont_impayes": str(debt.arrears),
                "situation": debt.get_status_display(),
                "procedure": debt.get_court_action_display(),
                "date_de_la_procedure": iso(debt.court_action_on),
                "remarques": self.text(
                    f"debt:{debt.public_id}:notes", f"Dette — {debt.creditor}", debt.notes
                )
                or None,
            }
            for debt in debt_model.objects.filter(organisation_id=self.org, person=person).order_by(
                "creditor", "id"
            )
        ]
        overindebtedness = None
        file = file_model.objects.filter(organisation_id=self.org, person=person).first()
        if file is not None:
            label = "Dossier de surendettement"
            key = f"overindebtedness:{file.public_id}"
            overindebtedness = {
                "depose_le": iso(file.sent_on),
                "depot_a_deux": file.joint_filing,
                "epargne_disponible": str(file.savings) if file.savings is not None else None,
                "biens_immobiliers": self.text(
                    f"{key}:real_estate", f"{label} — biens immobiliers", file.real_estate
                )
                or None,
                "vehicules": self.text(f"{key}:vehicles", f"{label} — véhicules", file.vehicles)
                or None,
                "autres_biens": self.text(
                    f"{key}:other_assets", f"{label} — autres biens", file.other_assets
                )
                or None,
                "ce_qui_a_conduit_a_la_situation": self.text(
                    f"{key}:causes", f"{label} — ce qui a conduit à la situation", file.causes
                )
                or None,
                "pieces": file.documents,
            }
        return {"budgets": budgets, "dettes": debts, "dossier_de_surendettement": overindebtedness}

    def _partner_rows(self, case_ids) -> dict:
        """Referrals and consents, when the partners app is installed."""
        if not apps.is_installed("relais.partners"):
            return {}
        from relais.partners.enums import SharedItem

        referral_model = apps.get_model("partners", "Referral")
        consent_model = apps.get_model("partners", "Consent")
        items = dict(SharedItem.choices)
        referrals, consents = defaultdict(list), defaultdict(list)
        for referral in (
            referral_model.objects.filter(organisation_id=self.org, case_id__in=case_ids)
            .select_related("partner", "service", "created_by")
            .order_by("prepared_on", "id")
        ):
            label = f"Orientation vers {referral.partner.name} du {fr(referral.prepared_on)}"
            key = f"referral:{referral.public_id}"
            referrals[referral.case_id].append(
                {
                    "vers": referral.recipient_label(),
                    "par": referral.created_by.display_name,
                    "demande": self.text(f"{key}:request", f"{label} — demande", referral.request),
                    "informations_transmises": [
                        items.get(code, code) for code in referral.shared_items or []
                    ],
                    "statut": referral.get_status_display(),
                    "preparee_le": iso(referral.prepared_on),
                    "envoyee_le": iso(referral.sent_on),
                    "prise_en_charge_le": iso(referral.in_progress_on),
                    "reponse_le": iso(referral.answered_on),
                    "close_le": iso(referral.closed_on),
                    "reponse_du_partenaire": referral.get_decision_display() or None,
                    "envoi_sans_consentement_motif": self.text(
                        f"{key}:emergency_reason",
                        f"{label} — motif de l'envoi sans consentement",
                        referral.emergency_reason,
                    )
                    or None,
                    "resultat": self.text(f"{key}:outcome", f"{label} — résultat", referral.outcome)
                    or None,
                    "courrier": self.text(
                        f"{key}:letter_text", f"{label} — courrier", referral.letter_text
                    )
                    or None,
                }
            )
        for consent in (
            consent_model.objects.filter(organisation_id=self.org, case_id__in=case_ids)
            .select_related("referral__partner")
            .order_by("given_on", "id")
        ):
            label = f"Consentement du {fr(consent.given_on)}"
            consents[consent.case_id].append(
                {
                    "pour_l_orientation_vers": consent.referral.partner.name,
                    "donne_par": consent.get_given_by_display(),
                    "representant": consent.representative_name or None,
                    "informations": [items.get(code, code) for code in consent.items or []],
                    "a_qui": consent.recipient,
                    "donne_le": iso(consent.given_on),
                    "valable_jusqu_au": iso(consent.valid_until),
                    "forme": consent.get_form_display(),
                    "precisions": self.text(
                        f"consent:{consent.public_id}:note", f"{label} — précisions", consent.note
                    )
                    or None,
                    "retire_le": iso(consent.withdrawn_on),
                }
            )
        return {
            "orientations": lambda case_id: referrals[case_id],
            "consentements": lambda case_id: consents[case_id],
        }


def identity_rows(identity: dict) -> list[tuple[str, str]]:
    from relais.reports.templatetags.reports_tags import frdate

    rows = []
    for key, name in IDENTITY_FIELDS:
        value = identity.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(Person._meta.get_field(name), DateField | DateTimeField):
            value = frdate(value)
        label = str(Person._meta.get_field(name).verbose_name) if name != "last_contact_at" else ""
        label = label or "dernier contact avec le service"
        rows.append((label[:1].upper() + label[1:], value))
    return rows


def render_person_file_pdf(data: dict) -> bytes:
    from relais.reports.pdf import render_pdf

    identity = data["identite"]
    return render_pdf(
        "reports/pdf/person_file.html",
        {
            "data": data,
            "identity_rows": identity_rows(identity),
            "full_name": " ".join(filter(None, [identity.get("prenom"), identity.get("nom")])),
        },
    )
