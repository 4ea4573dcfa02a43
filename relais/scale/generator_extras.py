"""Generated rows for the apps that hang on a case besides relais.cases: orientations to
partners (relais.partners) and social reports (relais.reports). Each loader is used only
if its app is installed; like the rest of the generator, it is a data load (bulk, no
audit row per generated row), and it draws from the generator's seeded random source.
"""

import datetime
import json

from django.apps import apps

from relais.people.search import normalise_name


class ReferralLoader:
    """Orientations to national bodies and local partners, with the consents behind them."""

    app = "relais.partners"
    LOCAL_PARTNERS = (
        ("Bailleur social {city}", "housing"),
        ("CCAS de {city}", "local_authority"),
        ("Épicerie solidaire de {city}", "charity"),
        ("Point conseil budget {city}", "debt"),
        ("Mission locale {city}", "employment"),
        ("Centre médico-psychologique {city}", "health"),
        ("Association d'aide aux victimes {city}", "association"),
        ("Secours populaire {city}", "charity"),
    )
    REQUESTS = (
        "Ouverture des droits et constitution du dossier.",
        "Demande d'aide financière pour une facture d'énergie.",
        "Accompagnement vers un logement adapté.",
        "Dossier de surendettement : aide à la constitution.",
        "Reconnaissance de la qualité de travailleur handicapé.",
        "Demande d'hébergement d'urgence.",
        "Soutien psychologique après un événement au travail.",
    )

    def __init__(self, generator):
        self.g = generator
        from relais.partners.models import Consent, Partner, PartnerService, Referral

        self.Consent, self.Partner, self.PartnerService, self.Referral = (
            Consent,
            Partner,
            PartnerService,
            Referral,
        )
        self.models = (Partner, Referral, Consent)

    def seed_references(self):
        from relais.partners.services import national_partners_seed

        national_partners_seed(organisation=self.g.organisation)

    def setup(self):
        g = self.g
        partners = []
        for _postcode, city in g.places[:40]:
            for name, kind in self.LOCAL_PARTNERS:
                if g.rng.random() < 0.4:
                    full_name = name.format(city=city)
                    partners.append(
                        g.tenant(
                            self.Partner,
                            created_at=g.at(g.start),
                            updated_at=g.at(g.start),
                            name=full_name,
                            kind=kind,
                            origin="local",
                            city=city,
                            search_name=normalise_name(full_name),
                            search_city=normalise_name(city),
                        )
                    )
        self.Partner.objects.using(g.using).bulk_create(partners)
        g.rows[self.Partner._meta.label] += len(partners)
        all_partners = list(
            self.Partner.objects.using(g.using)
            .filter(organisation=g.organisation)
            .values_list("id", "name")
        )
        services = dict(
            self.PartnerService.objects.using(g.using)
            .filter(organisation=g.organisation)
            .values_list("partner_id", "id")
        )
        # National bodies (CAF, CPAM…) take most orientations.
        self.partner_table = [(pk, 6 if pk in services else 1) for pk, _ in sorted(all_partners)]
        self.names = dict(all_partners)
        self.services = services

    def case(self, case, person, worker, opened, end, is_closed, interventions):
        g = self.g
        rng = g.rng
        if rng.random() > 0.3:
            return
        for _ in range(1 if rng.random() < 0.8 else 2):
            partner_id = g.pick(self.partner_table)
            prepared = g.day_between(opened, end)
            age = (g.today - prepared).days
            delay = rng.choice((15, 30, 60))
            if age < 3:
                status = "prepared"
            elif age < delay or (not is_closed and rng.random() < 0.3):
                status = rng.choice(("sent", "in_progress"))
            else:
                status = g.pick((("granted", 60), ("refused", 20), ("closed", 20)))
            sent = (
                prepared + datetime.timedelta(days=rng.randint(0, 3))
                if status != "prepared"
                else None
            )
            answered = (
                min(sent + datetime.timedelta(days=rng.randint(5, delay)), g.today)
                if status in ("granted", "refused")
                else None
            )
            referral = g.add(
                g.tenant(
                    self.Referral,
                    created_at=g.at(prepared),
                    updated_at=g.at(answered or sent or prepared),
                    case_id=case.id,
                    partner_id=partner_id,
                    service_id=self.services.get(partner_id),
                    created_by_id=worker,
                    request=rng.choice(self.REQUESTS),
                    shared_items=["identity", "birth_date", "address", "household"],
                    status=status,
                    prepared_on=prepared,
                    sent_on=sent,
                    in_progress_on=sent + datetime.timedelta(days=2)
                    if status == "in_progress"
                    else None,
                    answered_on=answered,
                    closed_on=answered if status == "closed" else None,
                    decision=status if status in ("granted", "refused") else "",
                    answer_delay_days=delay,
                    expected_answer_on=sent + datetime.timedelta(days=delay) if sent else None,
                )
            )
            if sent:
                g.add(
                    g.tenant(
                        self.Consent,
                        created_at=g.at(prepared),
                        case_id=case.id,
                        referral_id=referral.id,
                        given_by="person",
                        items=referral.shared_items,
                        recipient=self.names[partner_id],
                        given_on=prepared,
                        valid_until=prepared + datetime.timedelta(days=365),
                        form=rng.choice(("oral", "written")),
                        recorded_by_id=worker,
                    )
                )


class ReportLoader:
    """Social reports on the longer cases: signed versions, read to the person."""

    app = "relais.reports"
    TEXTS = (
        "{Civ} est accompagné·e depuis plusieurs mois ; la situation est décrite avec elle/lui.",
        "Le foyer se compose de la personne et de ses enfants ; les ressources sont détaillées "
        "dans le budget joint.",
        "La situation de logement est fragile : un impayé de loyer est en cours d'apurement.",
        "Les démarches engagées avec la CPAM et la CAF ont abouti en partie.",
        "Nous proposons une aide ponctuelle et la poursuite de l'accompagnement budgétaire.",
    )

    def __init__(self, generator):
        self.g = generator
        from relais.reports.models import Report, ReportTemplate, ReportVersion

        self.Report, self.ReportTemplate, self.ReportVersion = Report, ReportTemplate, ReportVersion
        self.models = (Report, ReportVersion)

    def seed_references(self):
        from relais.reports.services import report_templates_seed

        report_templates_seed(self.g.organisation.pk)

    def setup(self):
        g = self.g
        self.templates = [
            (template, 8 if template.kind == "social_report" else 2)
            for template in self.ReportTemplate.objects.using(g.using)
            .filter(organisation=g.organisation, is_active=True)
            .exclude(kind="child_concern")
            .order_by("pk")
        ]

    def case(self, case, person, worker, opened, end, is_closed, interventions):
        g = self.g
        rng = g.rng
        if len(interventions) < 6 or rng.random() > 0.12:
            return
        template = g.pick(self.templates)
        written = g.day_between(opened, end)
        final = is_closed or rng.random() < 0.7
        civ = "Madame" if person.sex == "f" else "Monsieur"
        report = g.tenant(
            self.Report,
            created_at=g.at(written),
            updated_at=g.at(written),
            case_id=case.id,
            template_id=template.id,
            kind=template.kind,
            title=f"{template.name} — {person.first_name} {person.last_name}",
            recipient=template.default_recipient,
            author_id=worker,
            status="final" if final else "draft",
        )
        versions = []
        for number in range(1, rng.choice((1, 2, 2, 3)) + 1):
            body = {
                section["key"]: rng.choice(self.TEXTS).format(Civ=civ)
                for section in template.sections
            }
            versions.append(
                g.tenant(
                    self.ReportVersion,
                    created_at=g.at(written),
                    report_id=report.id,
                    number=number,
                    author_id=worker,
                    body=json.dumps(body, ensure_ascii=False),
                    person_opinion="La personne a lu le rapport et l'approuve." if final else "",
                )
            )
        last = versions[-1]
        if final:
            last.signed_by_id = worker
            last.signed_at = g.at(written)
            if rng.random() < 0.7:
                last.read_to_person_on = written
                last.copy_given_on = written
        # The versions are inserted after the report in the same transaction: the foreign
        # keys are checked at commit (deferred on SQLite and PostgreSQL).
        report.latest_version_id = last.id
        report.signed_version_id = last.id if final else None
        g.add(report)
        for version in versions:
            g.add(version)


LOADERS = (ReferralLoader, ReportLoader)


def installed_loaders(generator) -> list:
    return [loader(generator) for loader in LOADERS if apps.is_installed(loader.app)]
