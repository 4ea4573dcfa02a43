"""Follow-up rules: the usual tasks an event calls for, configurable per organisation.

"A request marked urgent → call back within 48 h", "a case opened after a traumatic event
at work → call back within 48 h", "a sick leave → offer a pre-return visit at 3 months".
The rules are rows (FollowUpRule), seeded from relais/cases/data/followup_rules.json.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from relais.accounts.models import User
from relais.audit.log import record_change, snapshot
from relais.cases import enums
from relais.cases.models import Case, CaseReferent, Concern, FollowUpRule, Request, Task
from relais.people.enums import WorkSituation

SICK_LEAVE_SITUATIONS = frozenset(
    {WorkSituation.SICK_LEAVE, WorkSituation.LONG_SICK_LEAVE, WorkSituation.WORK_ACCIDENT}
)


def _concern_codes(concerns: Iterable[Concern]) -> set[int]:
    """The concerns and their parents: a rule on "Santé" applies to "Arrêt maladie"."""
    ids: set[int] = set()
    for concern in concerns:
        ids.add(concern.pk)
        if concern.parent_id:
            ids.add(concern.parent_id)
    return ids


def followup_tasks_create(
    *,
    by: User | None,
    trigger: str,
    organisation_id: int,
    start: datetime.date,
    assignee: User,
    case: Case | None = None,
    request: Request | None = None,
    urgency: str = "",
    concerns: Iterable[Concern] = (),
) -> list[Task]:
    """Create the tasks of the active rules that match (not while the same one is still
    open for the case or request).

    Runs inside the caller's transaction (every service that calls it is atomic).
    """
    matching = FollowUpRule.objects.filter(
        organisation_id=organisation_id, trigger=trigger, is_active=True
    )
    concern_ids = _concern_codes(concerns)
    rules = [
        rule
        for rule in matching
        if (not rule.urgency or rule.urgency == urgency)
        and (rule.concern_id is None or rule.concern_id in concern_ids)
    ]
    if not rules:
        return []
    already = Task.objects.filter(
        organisation_id=organisation_id, rule__in=rules, done_at__isnull=True
    )
    already = already.filter(case=case) if case is not None else already.filter(request=request)
    already_ids = set(already.values_list("rule_id", flat=True))
    tasks = []
    for rule in rules:
        if rule.pk in already_ids:
            continue
        task = Task.objects.create(
            organisation_id=organisation_id,
            case=case,
            request=request,
            assignee=assignee,
            title=rule.task_title,
            due_on=start + datetime.timedelta(days=rule.delay_days),
            created_by=by,
            rule=rule,
        )
        record_change(user=by, verb="task_create", obj=task, after=snapshot(task))
        tasks.append(task)
    return tasks


def apply_sick_leave_rules(*, by: User, person) -> list[Task]:
    """On each open case of the person, the tasks a sick leave calls for."""
    start = person.work_situation_since or timezone.localdate()
    tasks = []
    open_cases = (
        Case.objects.filter(organisation_id=person.organisation_id, person=person)
        .exclude(status=enums.CaseStatus.CLOSED)
        .prefetch_related(
            Prefetch("referent_links", queryset=CaseReferent.objects.select_related("user"))
        )
    )
    for case in open_cases:
        referent = primary_referent(case)
        if referent is None:
            continue
        tasks += followup_tasks_create(
            by=by,
            trigger=enums.FollowUpTrigger.SICK_LEAVE,
            organisation_id=case.organisation_id,
            start=start,
            assignee=referent,
            case=case,
        )
    return tasks


def primary_referent(case: Case) -> User | None:
    links = sorted(case.referent_links.all(), key=lambda link: (not link.is_primary, link.pk))
    return links[0].user if links else None
