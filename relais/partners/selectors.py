"""Reads of the partners app, always scoped through the policy querysets."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet

from relais.cases.models import Case, CaseConcern
from relais.partners import enums, vocabulary
from relais.partners.models import (
    Partner,
    PartnerService,
    Referral,
    ServiceThematique,
)
from relais.people.search import normalise_name
from relais.policy import rules


def _thematique_filter(qs: QuerySet, thematique: str) -> QuerySet:
    links = ServiceThematique.objects.filter(
        organisation_id=OuterRef("organisation_id"), partner_id=OuterRef("pk")
    )
    field = "code" if "--" in thematique else "group"
    links = links.filter(**{field: thematique})
    return qs.filter(Exists(links))


def directory_search(
    user, *, q: str = "", thematique: str = "", commune: str = "", kind: str = ""
) -> QuerySet[Partner]:
    """Active partners of the user's organisation matching name, thématique, commune, kind."""
    partners = Partner.objects.visible_to(user).filter(is_active=True)
    if q:
        partners = partners.filter(search_name__contains=normalise_name(q))
    if commune:
        commune = commune.strip()
        if commune.isdigit():
            partners = partners.filter(postal_code__startswith=commune)
        else:
            partners = partners.filter(search_city__contains=normalise_name(commune))
    if kind:
        partners = partners.filter(kind=kind)
    if thematique:
        partners = _thematique_filter(partners, thematique)
    active_services = PartnerService.objects.filter(is_active=True).only(
        "partner_id", "name", "thematiques"
    )
    return partners.prefetch_related(
        Prefetch("services", queryset=active_services, to_attr="active_services")
    ).order_by("name", "pk")


def partner_services(partner: Partner) -> QuerySet[PartnerService]:
    return PartnerService.objects.filter(
        organisation_id=partner.organisation_id, partner=partner
    ).order_by("-is_active", "name")


def case_thematiques(case: Case) -> set[str]:
    """The data.inclusion thématiques the case's concerns map to."""
    codes = CaseConcern.objects.filter(organisation_id=case.organisation_id, case=case).values_list(
        "concern__datainclusion_thematique", flat=True
    )
    return {code for code in codes if code}


def suggested_partners(user, case: Case, limit: int = 8) -> list[Partner]:
    """Partners whose services match the case's concerns: the exact thématique first,
    then the same group of thématiques."""
    thematiques = case_thematiques(case)
    if not thematiques:
        return []
    known = vocabulary.thematique_labels()
    exact = {code for code in thematiques if code in known}
    groups = {vocabulary.thematique_group(code) for code in thematiques}
    links = ServiceThematique.objects.filter(
        organisation_id=OuterRef("organisation_id"), partner_id=OuterRef("pk")
    )
    partners = (
        Partner.objects.visible_to(user)
        .filter(is_active=True)
        .annotate(
            exact=Exists(links.filter(code__in=exact)),
            near=Exists(links.filter(group__in=groups)),
        )
        .filter(Q(exact=True) | Q(near=True))
        .order_by("-exact", "name")
    )
    return list(partners[:limit])


def case_referrals(user, case: Case) -> QuerySet[Referral]:
    # The case question is asked once for the case, not probed again for each referral.
    return (
        Referral.objects.in_case_visible_to(user, case)
        .select_related("partner", "service")
        .order_by("-prepared_on", "-pk")
    )


def referral_for_user(user, public_id, *, editable: bool = False) -> Referral | None:
    qs = Referral.objects.editable_by(user) if editable else Referral.objects.visible_to(user)
    return (
        qs.select_related(
            "case__person", "partner", "service", "contact", "chase_task", "created_by"
        )
        .filter(public_id=public_id)
        .first()
    )


@dataclass
class FollowUp:
    overdue: list[Referral]
    awaiting: list[Referral]
    prepared: list[Referral]
    recently_answered: list[Referral]


def my_referrals(user, today: datetime.date) -> FollowUp:
    """The worker's referrals: those they made, and those of the cases they are referent of."""
    mine = Case.objects.referent_is(user).values("pk")
    base = (
        Referral.objects.visible_to(user)
        .filter(Q(created_by=user) | Q(case__in=mine))
        .select_related("case__person", "partner", "service")
    )
    waiting = list(
        base.filter(status__in=enums.AWAITING_STATUSES).order_by(
            "expected_answer_on", "sent_on", "pk"
        )
    )
    return FollowUp(
        overdue=[r for r in waiting if r.is_overdue(today)],
        awaiting=[r for r in waiting if not r.is_overdue(today)],
        prepared=list(base.filter(status=enums.ReferralStatus.PREPARED).order_by("prepared_on")),
        recently_answered=list(
            base.filter(
                status__in=enums.ANSWERED_STATUSES,
                answered_on__gte=today - datetime.timedelta(days=30),
            ).order_by("-answered_on")[:20]
        ),
    )


@dataclass
class PartnerOutcome:
    partner_name: str
    partner_kind: str
    total: int
    awaiting: int
    granted: int
    refused: int
    closed_without_answer: int
    average_days: float | None


def outcomes_by_partner(user, *, start: datetime.date, end: datetime.date) -> list[PartnerOutcome]:
    """Counts and average time to answer per partner, for referrals prepared in the period.

    Aggregated in SQL: no person, no worker, no case appears in the result.
    """
    if not rules.can_see_referral_outcomes(user):
        return []
    rows = (
        Referral.objects.of_organisation(user)
        .filter(prepared_on__gte=start, prepared_on__lte=end)
        .values("partner_id", "partner__name", "partner__kind")
        .annotate(
            total=Count("pk"),
            awaiting=Count("pk", filter=Q(status__in=enums.AWAITING_STATUSES)),
            granted=Count("pk", filter=Q(decision=enums.ReferralDecision.GRANTED)),
            refused=Count("pk", filter=Q(decision=enums.ReferralDecision.REFUSED)),
            closed_without_answer=Count(
                "pk", filter=Q(status=enums.ReferralStatus.CLOSED, decision="")
            ),
            average_days=Avg("answer_delay_days"),
        )
        .order_by("-total", "partner__name")
    )
    kinds = dict(enums.PartnerKind.choices)
    return [
        PartnerOutcome(
            partner_name=row["partner__name"],
            partner_kind=kinds.get(row["partner__kind"], ""),
            total=row["total"],
            awaiting=row["awaiting"],
            granted=row["granted"],
            refused=row["refused"],
            closed_without_answer=row["closed_without_answer"],
            average_days=row["average_days"],
        )
        for row in rows
    ]
