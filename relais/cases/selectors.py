"""Reads of the social file, each with a fixed number of queries whatever the data size.

Every function takes the user and goes through the policy querysets; pages only render
what these return.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Min, OuterRef, Prefetch, Q, Subquery, When, prefetch_related_objects
from django.utils import timezone

from relais.accounts.enums import Role
from relais.cases import contents, enums
from relais.cases.models import (
    Appointment,
    Case,
    CaseConcern,
    CaseReferent,
    CaseShare,
    FinancialAid,
    Goal,
    Intervention,
    InterventionConcern,
    Note,
    Request,
    SupportPlan,
    Task,
)
from relais.policy import rules

TIMELINE_LIMIT = 50
HOME_LIST_LIMIT = 15
CASELOAD_PAGE_SIZE = 50


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def attach_concern_labels(rows: list, *, organisation_id: int) -> list:
    """Sets ``concern_labels`` on each case or intervention of ``rows`` (all of one kind):
    the labels of its concerns, in their usual order, read in one query. Lists use this
    rather than ``prefetch_related("concerns")``, which builds a queryset per row (about
    60 µs each: 3 ms for a page of 50 cases)."""
    if not rows:
        return rows
    through, owner = (
        (InterventionConcern, "intervention_id")
        if isinstance(rows[0], Intervention)
        else (CaseConcern, "case_id")
    )
    labels: dict[int, list[str]] = {}
    for owner_id, label in (
        through.objects.filter(
            organisation_id=organisation_id, **{f"{owner}__in": [row.pk for row in rows]}
        )
        .order_by("concern__position", "concern__label")
        .values_list(owner, "concern__label")
    ):
        labels.setdefault(owner_id, []).append(label)
    for row in rows:
        row.concern_labels = labels.get(row.pk, [])
    return rows


def _referents_prefetch() -> Prefetch:
    return Prefetch(
        "referent_links",
        queryset=CaseReferent.objects.select_related("user").order_by("-is_primary", "pk"),
    )


def _open_tasks_due() -> Subquery:
    return Subquery(
        Task.objects.filter(case_id=OuterRef("pk"), done_at__isnull=True)
        .values("case_id")
        .annotate(first=Min("due_on"))
        .values("first")[:1]
    )


# --- Case page ------------------------------------------------------------------------


def case_for_page(*, user, public_id) -> Case | None:
    """The case the user may read, or None: the rows of ``Case.objects.visible_to(user)``.
    The row also says how the user reaches it, and the policy remembers that for the
    request: the page's sections (budget, reports, documents…) then ask "may they see this
    case?" without a query."""
    case = (
        Case.objects.with_access_flags_of(user)
        .filter(public_id=public_id)
        .select_related(
            "person", "person__employer", "person__establishment", "person__household", "team"
        )
        .first()
    )
    if case is None:
        return None
    rules.remember_case_access(user, case)
    if not rules.can_see_case(user, case):
        return None
    prefetch_related_objects([case], _referents_prefetch(), "concerns")
    return case


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # intervention, note, task, appointment, aid, aid_decision, request, opened, closed
    obj: Any = None
    notes: list[Note] = field(default_factory=list)


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    # Where the older entries start (they are at this moment or before): the "voir plus"
    # link asks for ``until=older_until``. None when nothing older is left.
    older_until: datetime.datetime | None = None
    # The moment this page starts from (None: the most recent entries).
    until: datetime.datetime | None = None

    @property
    def truncated(self) -> bool:
        return self.older_until is not None


def case_timeline(
    *,
    user,
    case: Case,
    limit: int | None = TIMELINE_LIMIT,
    until: datetime.datetime | None = None,
    aids: list[FinancialAid] | None = None,
) -> Timeline:
    """What happened on the case, newest first: interventions (with the notes the user may
    read), notes on their own, done tasks, appointments, aid requests and decisions,
    requests.

    At most ``limit`` entries at or before ``until``, in a fixed number of queries whatever
    the length of the case (``limit=None``: all of them). Each kind of entry is read up to
    ``limit + 1`` rows; the page stops before the moment of the first entry it cannot show,
    so that every entry later than that moment is on this page and the next page starts at
    that moment: nothing is lost or repeated from one page to the next. ``aids``: the case's
    aid requests when the caller already has them all.
    """
    org = case.organisation_id
    until_day = timezone.localdate(until) if until is not None else None

    def rows(queryset, moment: str, *, day: bool = False):
        if until is not None:
            queryset = queryset.filter(**{f"{moment}__lte": until_day if day else until})
        return list(queryset if limit is None else queryset[: limit + 1])

    interventions = attach_concern_labels(
        rows(
            Intervention.objects.filter(organisation_id=org, case=case)
            .select_related("author")
            .order_by("-occurred_at", "-pk"),
            "occurred_at",
        ),
        organisation_id=org,
    )
    # One query for the notes: those of the interventions above, and the notes on their own
    # (read up to limit + 1, as every other kind of entry).
    readable_notes = Note.objects.in_case_visible_to(user, case)
    on_their_own = readable_notes.filter(intervention__isnull=True)
    if until is not None:
        on_their_own = on_their_own.filter(created_at__lte=until)
    if limit is not None:
        on_their_own = on_their_own.order_by("-created_at", "-pk")[: limit + 1]
    notes_by_intervention: dict[int, list[Note]] = {}
    notes: list[Note] = []
    for note in (
        readable_notes.filter(
            Q(intervention_id__in=[i.pk for i in interventions])
            | Q(pk__in=on_their_own.values("pk"))
        )
        .select_related("author")
        .prefetch_related("shared_with")
        .order_by("created_at", "pk")
    ):
        if note.intervention_id is None:
            notes.append(note)
        else:
            notes_by_intervention.setdefault(note.intervention_id, []).append(note)
    notes.reverse()
    done_tasks = rows(
        Task.objects.filter(organisation_id=org, case=case, done_at__isnull=False)
        .select_related("assignee")
        .order_by("-done_at", "-pk"),
        "done_at",
    )
    appointments = rows(
        Appointment.objects.filter(organisation_id=org, case=case, intervention__isnull=True)
        .exclude(status=enums.AppointmentStatus.PLANNED)
        .select_related("worker")
        .order_by("-starts_at", "-pk"),
        "starts_at",
    )
    if aids is None:
        aids = list(
            FinancialAid.objects.filter(organisation_id=org, case=case).order_by("-requested_on")
        )
    requests = rows(
        Request.objects.filter(organisation_id=org, case=case)
        .select_related("received_by")
        .order_by("-received_on", "-pk"),
        "received_on",
        day=True,
    )

    entries = [TimelineEntry(note.created_at, "note", note) for note in notes]
    entries += [
        TimelineEntry(i.occurred_at, "intervention", i, notes=notes_by_intervention.get(i.pk, []))
        for i in interventions
    ]
    entries += [TimelineEntry(task.done_at, "task", task) for task in done_tasks]
    entries += [TimelineEntry(a.starts_at, "appointment", a) for a in appointments]
    for aid in aids:
        entries.append(TimelineEntry(day_start(aid.requested_on), "aid", aid))
        if aid.decided_on:
            entries.append(TimelineEntry(day_start(aid.decided_on), "aid_decision", aid))
    entries += [TimelineEntry(day_start(r.received_on), "request", r) for r in requests]
    entries.append(TimelineEntry(day_start(case.opened_on), "opened", case))
    if case.closed_on:
        entries.append(TimelineEntry(day_start(case.closed_on), "closed", case))
    if until is not None:
        entries = [entry for entry in entries if entry.at <= until]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    if limit is None or len(entries) <= limit:
        return Timeline(entries, until=until)
    # A kind of entry read in full (limit + 1 rows) may have more rows at the moment of its
    # last one or before, never after: everything later than ``first_left_out`` is here.
    first_left_out = entries[limit].at
    shown = [entry for entry in entries if entry.at > first_left_out]
    if not shown:
        # More than ``limit`` entries at the very same moment: show ``limit`` of them and go
        # on strictly before it ("tout afficher" still lists the others).
        return Timeline(
            entries[:limit],
            older_until=first_left_out - datetime.timedelta(microseconds=1),
            until=until,
        )
    return Timeline(shown, older_until=first_left_out, until=until)


def case_page(
    *,
    user,
    case: Case,
    timeline_limit: int | None = TIMELINE_LIMIT,
    timeline_until: datetime.datetime | None = None,
) -> dict:
    """Everything the case page shows besides its header, in a fixed number of queries."""
    org = case.organisation_id
    today = timezone.localdate()
    open_tasks = list(
        Task.objects.filter(organisation_id=org, case=case, done_at__isnull=True)
        .select_related("assignee")
        .order_by("due_on", "pk")[:100]
    )
    upcoming = list(
        Appointment.objects.filter(
            organisation_id=org,
            case=case,
            status=enums.AppointmentStatus.PLANNED,
        )
        .select_related("worker")
        .order_by("starts_at")[:20]
    )
    plan = (
        SupportPlan.objects.filter(organisation_id=org, case=case)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position")))
        .order_by("-started_on", "-pk")
        .first()
    )
    aids = list(
        FinancialAid.objects.filter(organisation_id=org, case=case).order_by("-requested_on")
    )
    shares = list(
        CaseShare.objects.filter(
            organisation_id=org, case=case, revoked_at__isnull=True, ends_on__gte=today
        )
        .select_related("shared_with")
        .order_by("ends_on")
    )
    referent_ids = {link.user_id for link in case.referent_links.all()}
    is_referent = user.pk in referent_ids
    shared_with_me = any(
        share.shared_with_id == user.pk and share.starts_on <= today for share in shares
    )
    can_edit = rules.has_role(user, rules.CASEWORK_ROLES) and (is_referent or shared_with_me)
    members = list(case.person.household.members.all()) if case.person.household_id else []
    return {
        # Which of the other apps' sections have rows (one query; see relais.cases.contents).
        "case_contents": contents.case_contents(case),
        "timeline": case_timeline(
            user=user, case=case, limit=timeline_limit, until=timeline_until, aids=aids
        ),
        "open_tasks": open_tasks,
        "next_task": open_tasks[0] if open_tasks else None,
        "upcoming_appointments": upcoming,
        "plan": plan,
        "aids": aids,
        "shares": shares,
        "household_members": members,
        "is_referent": is_referent,
        "can_edit": can_edit,
        "can_share": is_referent and rules.has_role(user, rules.CASEWORK_ROLES),
        "note_readers": [link.user for link in case.referent_links.all() if link.user_id != user.pk]
        + [share.shared_with for share in shares if share.shared_with_id != user.pk],
        "today": today,
    }


# --- Lists ----------------------------------------------------------------------------


def caseload(*, user):
    """The user's open cases (referent), by name; paginate the result, then
    ``attach_concern_labels`` to the page."""
    return (
        Case.objects.open_referent_is(user)
        .select_related("person", "person__employer")
        .annotate(next_due=_open_tasks_due())
        .order_by("person__last_name", "person__first_name", "pk")
    )


def shared_with_me(*, user, limit: int = 20) -> list[Case]:
    org = rules.organisation_id(user)
    if org is None:
        return []
    today = timezone.localdate()
    shares = CaseShare.objects.filter(
        organisation_id=org,
        shared_with_id=user.pk,
        starts_on__lte=today,
        ends_on__gte=today,
        revoked_at__isnull=True,
    )
    return list(
        Case.objects.filter(organisation_id=org, pk__in=shares.values("case_id"))
        .exclude(status=enums.CaseStatus.CLOSED)
        .select_related("person")
        .prefetch_related(_referents_prefetch())
        .order_by("person__last_name", "pk")[:limit]
    )


def _urgency_rank():
    return models.Case(
        When(urgency=enums.Urgency.SAME_DAY, then=0),
        When(urgency=enums.Urgency.SOON, then=1),
        default=2,
        output_field=models.IntegerField(),
    )


def waiting_requests(*, user, scope: str = "mine"):
    """Requests waiting to be handled, the most urgent first.

    A worker sees those given to her and those given to nobody (``scope="mine"``); the
    secretary and the manager see all of them.
    """
    requests = Request.objects.visible_to(user).filter(status=enums.RequestStatus.WAITING)
    if rules.has_role(user, rules.CASEWORK_ROLES) and scope == "mine":
        requests = requests.filter(Q(assigned_to_id=user.pk) | Q(assigned_to__isnull=True))
    elif scope == "unassigned":
        requests = requests.filter(assigned_to__isnull=True)
    return (
        requests.select_related("person", "assigned_to", "received_by")
        .annotate(urgency_rank=_urgency_rank())
        .order_by("urgency_rank", "received_on", "pk")
    )


def my_tasks(*, user, limit: int = 200) -> dict[str, list[Task]]:
    """The user's open tasks, grouped: overdue, today, this week, later."""
    today = timezone.localdate()
    tasks = list(
        Task.objects.visible_to(user)
        .filter(assignee_id=user.pk, done_at__isnull=True)
        .select_related("case__person", "request__person")
        .order_by("due_on", "pk")[:limit]
    )
    groups: dict[str, list[Task]] = {"overdue": [], "today": [], "week": [], "later": []}
    for task in tasks:
        if task.due_on < today:
            groups["overdue"].append(task)
        elif task.due_on == today:
            groups["today"].append(task)
        elif task.due_on <= today + datetime.timedelta(days=7):
            groups["week"].append(task)
        else:
            groups["later"].append(task)
    return groups


def agenda(*, user, worker, start: datetime.date, days: int) -> list[tuple[datetime.date, list]]:
    """A worker's appointments from ``start`` for ``days`` days, grouped by day."""
    begin = day_start(start)
    end = day_start(start + datetime.timedelta(days=days))
    appointments = list(
        Appointment.objects.visible_to(user)
        .filter(worker=worker, starts_at__gte=begin, starts_at__lt=end)
        .select_related("person", "case")
        .order_by("starts_at", "pk")
    )
    by_day: dict[datetime.date, list[Appointment]] = {
        start + datetime.timedelta(days=offset): [] for offset in range(days)
    }
    for appointment in appointments:
        by_day.setdefault(timezone.localtime(appointment.starts_at).date(), []).append(appointment)
    return list(by_day.items())


def person_file(*, user, person) -> dict:
    """What the person page shows of the social file, according to the user's role."""
    org = person.organisation_id
    if rules.has_role(user, rules.CONTENT_ROLES) and not rules.has_role(user, {Role.MANAGER}):
        cases = Case.objects.visible_to(user).prefetch_related("concerns")
    else:
        # Secretary and manager: the metadata that routes the person to their referent.
        cases = Case.objects.listable_by(user)
    cases = list(
        cases.filter(person=person)
        .prefetch_related(_referents_prefetch())
        .order_by("-opened_on", "-pk")[:20]
    )
    requests = list(
        Request.objects.visible_to(user)
        .filter(person=person)
        .select_related("assigned_to")
        .order_by("-received_on", "-pk")[:20]
    )
    appointments = list(
        Appointment.objects.visible_to(user)
        .filter(
            organisation_id=org,
            person=person,
            status=enums.AppointmentStatus.PLANNED,
            starts_at__gte=day_start(timezone.localdate()),
        )
        .select_related("worker")
        .order_by("starts_at")[:10]
    )
    return {"cases": cases, "person_requests": requests, "person_appointments": appointments}


# --- Home page ------------------------------------------------------------------------


def home(*, user) -> dict:
    """The worker's day: a fixed number of queries whatever the size of the caseload."""
    today = timezone.localdate()
    is_worker = rules.has_role(user, rules.CASEWORK_ROLES)
    appointments = (
        Appointment.objects.with_self(user) if is_worker else Appointment.objects.visible_to(user)
    )
    appointments = (
        appointments.filter(
            starts_at__gte=day_start(today),
            starts_at__lt=day_start(today + datetime.timedelta(days=1)),
        )
        .exclude(status=enums.AppointmentStatus.CANCELLED)
        .select_related("person", "worker", "case")
        .order_by("starts_at", "pk")
    )
    requests = waiting_requests(user=user)
    data: dict[str, Any] = {
        "today": today,
        "today_appointments": list(appointments[:50]),
        "waiting_requests": list(requests[:HOME_LIST_LIMIT]),
    }
    if is_worker:
        tasks = (
            Task.objects.assigned_to_self(user)
            .filter(done_at__isnull=True)
            .select_related("case__person", "request__person")
            .order_by("due_on", "pk")
        )
        mine = caseload(user=user)
        data.update(
            {
                "overdue_tasks": list(tasks.filter(due_on__lt=today)[:HOME_LIST_LIMIT]),
                "upcoming_tasks": list(
                    tasks.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=7))[
                        :HOME_LIST_LIMIT
                    ]
                ),
                "caseload_count": mine.count(),
                "caseload": list(mine.order_by("-last_activity_at", "-pk")[:HOME_LIST_LIMIT]),
                "recent_cases": list(
                    Case.objects.referent_is(user)
                    .select_related("person")
                    .order_by("-opened_on", "-pk")[:5]
                ),
            }
        )
    return data
