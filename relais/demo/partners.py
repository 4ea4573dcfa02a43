"""The demo service's partner directory, and a few referrals if the demo has cases.

Idempotent: running it again adds nothing. Names and addresses are fictitious.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from relais.accounts.models import Organisation
from relais.cases.models import Case, CaseReferent
from relais.partners import enums, services
from relais.partners.models import Partner, Referral

LOCAL_PARTNERS = [
    {
        "partner": {
            "name": "CCAS de Bègles",
            "kind": enums.PartnerKind.LOCAL_AUTHORITY,
            "address": "Place de la mairie",
            "postal_code": "33130",
            "city": "Bègles",
            "phone": "05 00 00 01 30",
            "email": "ccas@begles.example.fr",
            "description": "Aides facultatives, domiciliation, épicerie sociale pour les Béglais.",
        },
        "services": [
            {
                "name": "Aides facultatives et secours d'urgence",
                "service_type": "aide-financiere",
                "thematiques": [
                    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
                    "equipement-et-alimentation--alimentation",
                ],
                "publics": ["familles", "beneficiaires-des-minimas-sociaux"],
                "modes_accueil": ["en-presentiel"],
                "access_conditions": "Résider à Bègles.",
            }
        ],
        "contacts": [
            {"name": "Sandrine Lefort", "role": "Travailleuse sociale", "phone": "05 00 00 01 31"}
        ],
    },
    {
        "partner": {
            "name": "Épicerie solidaire des Capucins",
            "kind": enums.PartnerKind.CHARITY,
            "address": "12 place des Capucins",
            "postal_code": "33800",
            "city": "Bordeaux",
            "description": "Épicerie à petits prix, sur orientation d'un travailleur social.",
        },
        "services": [
            {
                "name": "Accès à l'épicerie solidaire (3 mois renouvelables)",
                "service_type": "aide-materielle",
                "thematiques": ["equipement-et-alimentation--alimentation"],
                "modes_accueil": ["en-presentiel"],
            }
        ],
        "contacts": [{"name": "Marc Olivier", "role": "Coordinateur", "notes": "Le mardi."}],
    },
    {
        "partner": {
            "name": "CIDFF de la Gironde",
            "kind": enums.PartnerKind.LEGAL,
            "postal_code": "33000",
            "city": "Bordeaux",
            "description": "Information juridique des femmes et des familles, aide aux victimes.",
        },
        "services": [
            {
                "name": "Permanence juridique (séparation, violences)",
                "service_type": "information",
                "thematiques": [
                    "famille--surmonter-conflits-separation-violence",
                    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
                ],
                "publics": ["femmes", "familles"],
                "modes_accueil": ["en-presentiel", "a-distance"],
            }
        ],
        "contacts": [],
    },
]

CAF_LOCAL_DETAILS = {
    "address": "Accueil de Bordeaux-Bastide",
    "postal_code": "33100",
    "city": "Bordeaux",
}


@transaction.atomic
def create_demo_partners(organisation: Organisation) -> None:
    services.national_partners_seed(organisation=organisation)
    caf = Partner.objects.get(organisation=organisation, national_code="caf")
    if not caf.city:
        services.partner_update(by=None, partner=caf, **CAF_LOCAL_DETAILS)
    for item in LOCAL_PARTNERS:
        if Partner.objects.filter(organisation=organisation, name=item["partner"]["name"]).exists():
            continue
        partner = services.partner_create(by=None, organisation=organisation, **item["partner"])
        for service in item["services"]:
            services.partner_service_create(by=None, partner=partner, **service)
        for contact in item["contacts"]:
            services.contact_create(by=None, partner=partner, **contact)
    _demo_referrals(organisation, caf)


def _demo_referrals(organisation: Organisation, caf: Partner) -> None:
    """Two referrals on the demo's first cases, when the demo has cases and none yet."""
    if Referral.objects.filter(organisation=organisation).exists():
        return
    links = (
        CaseReferent.objects.filter(organisation=organisation, case__status__in=["open", "active"])
        .select_related("case", "user")
        .order_by("case_id")[:2]
    )
    today = timezone.localdate()
    for index, link in enumerate(links):
        case: Case = link.case
        worker = link.user
        sent_on = today - datetime.timedelta(days=30 + 10 * index)
        referral = services.referral_create(
            by=worker,
            case=case,
            partner=caf,
            service=caf.services.order_by("name").first(),
            request="Réexamen des droits aux aides au logement après la baisse des revenus.",
            shared_items=["identity", "address", "income_sources"],
            expected_answer_on=today - datetime.timedelta(days=2) if index == 0 else today,
            prepared_on=sent_on,
        )
        services.consent_record(
            by=worker,
            referral=referral,
            given_by=enums.ConsentGiver.PERSON,
            items=referral.shared_items,
            given_on=sent_on,
            valid_until=sent_on + datetime.timedelta(days=365),
            form=enums.ConsentForm.ORAL,
        )
        referral = services.referral_send(by=worker, referral=referral, sent_on=sent_on)
        if index == 1:
            services.referral_set_status(
                by=worker,
                referral=referral,
                status=enums.ReferralStatus.GRANTED,
                on=sent_on + datetime.timedelta(days=18),
                outcome="Droits révisés, rappel versé.",
            )
