"""The demo service's collective actions: held, planned and cancelled ones, at the client
companies, with a partner now and then, and two followed persons linked to one of them.

Idempotent: nothing is added once the demo has a collective action.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from relais.accounts.enums import Role
from relais.accounts.models import Employer, Establishment, Membership, Organisation
from relais.cases.models import CaseReferent, Concern
from relais.groups import enums, services
from relais.groups.models import GroupAction
from relais.partners.models import Partner

# (title, kind, theme code, company, establishment, place, days from today, hour, minutes,
#  facilitators (demo worker numbers), partner codes, status, headcount, summary)
ACTIONS = [
    (
        "Réunion d'information : faire son budget, prévenir le surendettement",
        enums.GroupActionKind.INFORMATION_MEETING,
        "budget",
        "Transports Garonne",
        "Dépôt de Bègles",
        "Dépôt de Bègles, salle de pause",
        -60,
        12,
        90,
        [1],
        ["point-conseil-budget"],
        enums.GroupActionStatus.HELD,
        23,
        "Présentation du service social et du point conseil budget ; construire un budget "
        "mensuel ; les aides en cas de coup dur ; questions sur le crédit renouvelable.",
    ),
    (
        "Sensibilisation au handicap au travail : RQTH et maintien dans l'emploi",
        enums.GroupActionKind.PREVENTION,
        "handicap",
        "Clinique des Chartrons",
        "Clinique",
        "Clinique des Chartrons, salle de formation",
        -30,
        14,
        120,
        [2, 3],
        ["mdph"],
        enums.GroupActionStatus.HELD,
        31,
        "Ce qu'est la RQTH, comment la demander, ce qu'elle change ; rôle du médecin du "
        "travail et du service social ; témoignage de la référente handicap de la clinique.",
    ),
    (
        "Marche de la pause de midi",
        enums.GroupActionKind.OUTING,
        "",
        "Transports Garonne",
        "Siège",
        "Départ devant le siège, quais de Bordeaux",
        -14,
        12,
        60,
        [1],
        [],
        enums.GroupActionStatus.HELD,
        42,
        "Marche de cinq kilomètres le long des quais ; présentation du service social au "
        "départ ; beaucoup de salariés qui ne nous connaissaient pas.",
    ),
    (
        "Atelier logement : déposer une demande de logement social",
        enums.GroupActionKind.WORKSHOP,
        "logement",
        "",
        "",
        "Locaux du service, salle 2",
        21,
        10,
        150,
        [3],
        ["action-logement"],
        enums.GroupActionStatus.PLANNED,
        None,
        "",
    ),
    (
        "Groupe de parole des salariés aidants",
        enums.GroupActionKind.DISCUSSION_GROUP,
        "aidants",
        "Communauté de communes du Val de l'Eyre",
        "",
        "Hôtel communautaire, Belin-Béliet",
        -7,
        17,
        90,
        [2],
        [],
        enums.GroupActionStatus.CANCELLED,
        None,
        "",
    ),
]


def _workers(organisation: Organisation) -> list:
    memberships = Membership.objects.filter(
        organisation=organisation, is_active=True, role=Role.SOCIAL_WORKER
    ).select_related("user", "team")
    return [m.user for m in memberships.order_by("user__email")]


@transaction.atomic
def create_demo_group_actions(organisation: Organisation) -> int:
    """Create the demo's collective actions once; returns how many were created."""
    if GroupAction.objects.filter(organisation=organisation).exists():
        return 0
    workers = _workers(organisation)
    if not workers:
        return 0
    concerns = {
        c.code: c for c in Concern.objects.filter(organisation=organisation, parent__isnull=True)
    }
    partners = {
        p.national_code: p
        for p in Partner.objects.filter(organisation=organisation).exclude(national_code="")
    }
    employers = {e.name: e for e in Employer.objects.filter(organisation=organisation)}
    today = timezone.localdate()
    created = []
    for (
        title,
        kind,
        theme,
        company,
        establishment_name,
        place,
        days,
        hour,
        minutes,
        facilitator_numbers,
        partner_codes,
        status,
        headcount,
        summary,
    ) in ACTIONS:
        facilitators = [workers[n - 1] for n in facilitator_numbers if n <= len(workers)]
        employer = employers.get(company)
        establishment = (
            Establishment.objects.filter(
                organisation=organisation, employer=employer, name=establishment_name
            ).first()
            if employer and establishment_name
            else None
        )
        by = facilitators[0] if facilitators else workers[0]
        team = Membership.objects.get(user=by).team
        day = today + datetime.timedelta(days=days)
        action = services.group_action_create(
            by=by,
            title=title,
            kind=kind,
            theme=concerns.get(theme),
            starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))),
            duration_minutes=minutes,
            place=place,
            employer=employer,
            establishment=establishment,
            team=team,
            facilitators=facilitators or [by],
            partners=[partners[code] for code in partner_codes if code in partners],
        )
        if status == enums.GroupActionStatus.HELD:
            services.group_action_mark_held(
                by=by, group_action=action, headcount=headcount, summary=summary
            )
        elif status == enums.GroupActionStatus.CANCELLED:
            services.group_action_cancel(by=by, group_action=action)
        created.append((action, by, employer))
    _link_followed_persons(*created[0])
    return len(created)


def _link_followed_persons(action: GroupAction, worker, employer) -> None:
    """Two employees the facilitator follows came to the budget meeting."""
    if employer is None:
        return
    links = (
        CaseReferent.objects.filter(
            organisation_id=action.organisation_id,
            user=worker,
            case__status__in=["open", "active"],
            case__person__employer=employer,
        )
        .select_related("case__person")
        .order_by("case_id")
    )
    persons = list(dict.fromkeys(link.case.person for link in links[:4]))[:2]
    for person in persons:
        services.participation_add(by=worker, group_action=action, person=person)
