"""Reads of the social file, each with a fixed number of queries whatever the data size.

Every function takes the user and goes through the policy querysets; pages only render
what these return.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils import timezone

from relais.accounts.enums import Role
from relais.cases import contents, enums, page_reads
from relais.cases.models import (
    Appointment,
    Case,
    CaseConcern,
    CaseReferent,
    FinancialAid,
    Intervention,
    InterventionConcern,
    Note,
    Request,
    Task,
)
from relais.policy import rules
from relais.scale.prepared import set_prefetched

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


# --- Case page ------------------------------------------------------------------------


def case_for_page(*, user, public_id) -> Case | None:
    """The case the user may read, or None: the rows of ``Case.objects.visible_to(user)``.
    The row also says how the user reaches it, and the policy remembers that for the
    request: the page's sections (budget, reports, documents…) then ask "may they see this
    case?" without a query. Its referents and concern labels come with it."""
    org = rules.organisation_id(user)
    if org is None:
        return None
    found = page_reads.case_with_access(
        org=org,
        user=user.pk,
        public_id=public_id,
        today=timezone.localdate(),
        now=timezone.now(),
    )
    if not found:
        return None
    case = found[0]
    rules.remember_case_access(user, case)
    if not rules.can_see_case(user, case):
        return None
    set_prefetched(case, "referent_links", page_reads.referent_links(org=org, case=case.pk))
    case.concern_labels = page_reads.concern_labels(org=org, case=case.pk)
    return case


# Entries of these kinds happened on a day, not at a time of it.
DAY_KINDS = frozenset({"aid", "aid_decision", "request", "opened", "closed"})


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # intervention, note, task, appointment, aid, aid_decision, request, opened, closed
    obj: Any = None
    notes: list[Note] = field(default_factory=list)

    # The entry's moment in the current time zone (set by its Timeline, which asks for the
    # zone once: the timeline of a long case shows 50 entries).
    local_at: datetime.datetime | None = None

    # The entry's moment as the page prints it, made here once rather than by two ``date``
    # filters in the template.
    @property
    def at_iso(self) -> str:
        return (self.local_at or timezone.localtime(self.at)).isoformat()

    @property
    def at_text(self) -> str:
        pattern = "%d/%m/%Y" if self.kind in DAY_KINDS else "%d/%m/%Y %H:%M"
        return (self.local_at or timezone.localtime(self.at)).strftime(pattern)


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    # Where the older entries start (they are at this moment or before): the "voir plus"
    # link asks for ``until=older_until``. None when nothing older is left.
    older_until: datetime.datetime | None = None
    # The moment this page starts from (None: the most recent entries).
    until: datetime.datetime | None = None

    def __post_init__(self):
        zone = timezone.get_current_timezone()
        for entry in self.entries:
            entry.local_at = entry.at.astimezone(zone)

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
    if not rules.can_see_case(user, case):
        return Timeline([], until=until)
    ids = {"org": case.organisation_id, "case": case.pk}
    if until is not None:
        ids.update(until=until, until_day=timezone.localdate(until))
    # Each kind is read up to limit + 1 rows (see above).
    shape = {"until": until is not None, "limit": None if limit is None else limit + 1}
    interventions = page_reads.interventions(shape=shape, **ids)
    if interventions:
        span = {"oldest": interventions[-1].occurred_at, "newest": interventions[0].occurred_at}
        labels: dict[int, list[str]] = {}
        for intervention_id, label in page_reads.intervention_concern_labels(**ids, **span):
            labels.setdefault(intervention_id, []).append(label)
        for intervention in interventions:
            intervention.concern_labels = labels.get(intervention.pk, [])
    else:
        span = {}
    # One query for the notes: those of the interventions above, and the notes on their own
    # (read up to limit + 1, as every other kind of entry).
    notes_by_intervention: dict[int, list[Note]] = {}
    notes: list[Note] = []
    for note in page_reads.readable_notes(
        shape={**shape, "interventions": bool(interventions)}, user=user.pk, **ids, **span
    ):
        if note.intervention_id is None:
            notes.append(note)
        else:
            notes_by_intervention.setdefault(note.intervention_id, []).append(note)
    notes.reverse()
    _attach_readers([*notes, *(n for group in notes_by_intervention.values() for n in group)], ids)
    done_tasks = page_reads.done_tasks(shape=shape, **ids)
    appointments = page_reads.past_appointments(shape=shape, **ids)
    if aids is None:
        aids = page_reads.aids(**ids)
    requests = page_reads.requests(shape=shape, **ids)

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


def _attach_readers(notes: list[Note], ids: dict) -> None:
    """Sets on each note of the timeline ``readers`` (the colleagues its author named, for
    an assessment) and the moments the page prints: ``written_text``, and ``edited_text``
    when it was changed after (to the minute)."""
    if not notes:
        return
    moments = [note.created_at for note in notes]
    readers: dict[int, list] = {}
    for share in page_reads.note_readers(**ids, oldest=min(moments), newest=max(moments)):
        readers.setdefault(share.note_id, []).append(share.user)
    zone = timezone.get_current_timezone()
    for note in notes:
        note.readers = readers.get(note.pk, [])
        written = note.created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M")
        edited = note.updated_at.astimezone(zone).strftime("%d/%m/%Y %H:%M")
        note.written_text = written
        note.edited_text = edited if edited != written else None


def case_page(
    *,
    user,
    case: Case,
    timeline_limit: int | None = TIMELINE_LIMIT,
    timeline_until: datetime.datetime | None = None,
) -> dict:
    """Everything the case page shows besides its header, in a fixed number of queries.
    The caller has fetched ``case`` for this user (``case_for_page``)."""
    today = timezone.localdate()
    ids = {"org": case.organisation_id, "case": case.pk}
    open_tasks = page_reads.open_tasks(**ids)
    upcoming = page_reads.upcoming_appointments(**ids)
    plans = page_reads.latest_plan(**ids)
    plan = plans[0] if plans else None
    aids = page_reads.aids(**ids)
    shares = page_reads.active_shares(**ids, today=today)
    referent_ids = {link.user_id for link in case.referent_links.all()}
    is_referent = user.pk in referent_ids
    shared_with_me = any(
        share.shared_with_id == user.pk and share.starts_on <= today for share in shares
    )
    can_edit = rules.has_role(user, rules.CASEWORK_ROLES) and (is_referent or shared_with_me)
    members = (
        page_reads.household_members(org=case.organisation_id, household=case.person.household_id)
        if case.person.household_id
        else []
    )
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
        "today": today,
    }


# --- Lists ----------------------------------------------------------------------------


class _CaseloadRows:
    """The worker's open cases as the paginator reads them: their number, and one page,
    each a prepared query."""

    def __init__(self, *, organisation_id: int, user_id: int):
        self.ids = {"org": organisation_id, "user": user_id}

    def count(self) -> int:
        found = page_reads.caseload_size(**self.ids)
        return found[0] if found else 0

    def __getitem__(self, window: slice) -> list[Case]:
        return page_reads.caseload_rows(
            shape={"start": window.start, "stop": window.stop}, **self.ids
        )


def caseload_page(*, user, number) -> Page:
    """One page of the caseload list (``number`` as typed in the address), with the cases'
    concern labels."""
    org = rules.organisation_id(user)
    if org is None or not rules.has_role(user, rules.CASEWORK_ROLES):
        return Paginator([], CASELOAD_PAGE_SIZE).get_page(1)
    page = Paginator(
        _CaseloadRows(organisation_id=org, user_id=user.pk), CASELOAD_PAGE_SIZE
    ).get_page(number)
    page.object_list = attach_concern_labels(list(page.object_list), organisation_id=org)
    return page


def shared_with_me(*, user, limit: int = 20) -> list[Case]:
    """The open cases colleagues share with the user today (a prepared query: the caseload
    shows them)."""
    org = rules.organisation_id(user)
    if org is None:
        return []
    return page_reads.shared_with(
        shape={"limit": limit}, org=org, user=user.pk, today=timezone.localdate()
    )


def waiting_requests(*, user, scope: str = "mine"):
    """Requests waiting to be handled, the most urgent first.

    A worker sees those given to her and those given to nobody (``scope="mine"``); the
    secretary and the manager see all of them.
    """
    requests = Request.objects.visible_to(user).filter(status=enums.RequestStatus.WAITING)
    if rules.has_role(user, rules.CASEWORK_ROLES) and scope == "mine":
        requests = Request.objects.waiting_for_worker(
            organisation_id=rules.organisation_id(user), user_id=user.pk
        )
    elif scope == "unassigned":
        requests = requests.filter(assigned_to__isnull=True)
    return (
        requests.select_related("person", "assigned_to", "received_by")
        .annotate(urgency_rank=page_reads.urgency_rank())
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
    """The worker's day: a fixed number of queries whatever the size of the caseload.

    A worker's lists are prepared queries (``relais.cases.page_reads``) once her role is
    checked; the secretary's and the manager's are the policy's querysets.
    """
    today = timezone.localdate()
    org = rules.organisation_id(user)
    if not rules.has_role(user, rules.CASEWORK_ROLES):
        appointments = (
            Appointment.objects.visible_to(user)
            .filter(
                starts_at__gte=day_start(today),
                starts_at__lt=day_start(today + datetime.timedelta(days=1)),
            )
            .exclude(status=enums.AppointmentStatus.CANCELLED)
            .select_related("person", "worker", "case")
            .order_by("starts_at", "pk")
        )
        return {
            "today": today,
            "today_appointments": list(appointments[:50]),
            "waiting_requests": list(waiting_requests(user=user)[:HOME_LIST_LIMIT]),
        }
    ids = {"org": org, "user": user.pk}
    listed = {"limit": HOME_LIST_LIMIT}
    return {
        "today": today,
        "today_appointments": page_reads.day_appointments(
            **ids,
            start=day_start(today),
            end=day_start(today + datetime.timedelta(days=1)),
        ),
        "waiting_requests": page_reads.waiting_requests_of_worker(shape=listed, **ids),
        "overdue_tasks": page_reads.overdue_tasks(shape=listed, **ids, today=today),
        "upcoming_tasks": page_reads.tasks_due_between(
            shape=listed, **ids, today=today, until=today + datetime.timedelta(days=7)
        ),
        "caseload_count": _CaseloadRows(organisation_id=org, user_id=user.pk).count(),
        "caseload": page_reads.caseload_latest_activity(shape=listed, **ids),
        "recent_cases": page_reads.recently_opened(shape={"limit": 5}, **ids),
    }
