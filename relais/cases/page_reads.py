"""The reads of the case page and of the caseload, as prepared queries
(``relais.scale.prepared``): the same querysets the selectors would build, compiled once
per process.

The case page is the most read page of the product, and most of its cost was the ORM
making the same twenty queries again for every request (about 0.6 ms of Python each,
against 0.03 to 0.1 ms for SQLite or PostgreSQL to answer them). Each function here is a
query of the page; ``relais.cases.selectors`` calls them once the policy has answered
"may this user see this case?" (``rules.can_see_case``), exactly where it used to build
the queryset. Rows are scoped by organisation and case like every other read of a case.

``shape`` arguments change the SQL itself (an optional bound, a limit): one compiled
query each. The test settings check every call against the queryset it stands for.
"""

from django.db.models import Case as DbCase
from django.db.models import Count, IntegerField, Min, OuterRef, Prefetch, Q, Subquery, When

from relais.accounts.models import only_user_name
from relais.cases import enums
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
    NoteShare,
    Request,
    SupportPlan,
    Task,
)
from relais.people.models import HouseholdMember, only_person_name
from relais.scale.prepared import prepared

# --- The case itself ---------------------------------------------------------------------


@prepared
def case_with_access(p):
    """The case by its public id, with how the user reaches it (the policy's probes) and
    what its header shows."""
    return (
        Case.objects.with_access_flags(
            organisation_id=p.org, user_id=p.user, today=p.today, now=p.now
        )
        .filter(public_id=p.public_id)
        .select_related(
            "person", "person__employer", "person__establishment", "person__household", "team"
        )[:1]
    )


@prepared
def referent_links(p):
    return (
        CaseReferent.objects.filter(organisation_id=p.org, case_id=p.case)
        .select_related("user")
        .order_by("-is_primary", "pk")
    )


@prepared
def concern_labels(p):
    return (
        CaseConcern.objects.filter(organisation_id=p.org, case_id=p.case)
        .order_by("concern__position", "concern__label")
        .values_list("concern__label", flat=True)
    )


# --- The side column ---------------------------------------------------------------------


@prepared
def open_tasks(p):
    return (
        Task.objects.filter(organisation_id=p.org, case_id=p.case, done_at__isnull=True)
        .select_related("assignee")
        .defer(*only_user_name("assignee"))
        .order_by("due_on", "pk")[:100]
    )


@prepared
def upcoming_appointments(p):
    return (
        Appointment.objects.filter(
            organisation_id=p.org, case_id=p.case, status=enums.AppointmentStatus.PLANNED
        )
        .select_related("worker")
        .defer(*only_user_name("worker"))
        .order_by("starts_at")[:20]
    )


@prepared
def latest_plan(p):
    return (
        SupportPlan.objects.filter(organisation_id=p.org, case_id=p.case)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position")))
        .order_by("-started_on", "-pk")[:1]
    )


@prepared
def aids(p):
    return FinancialAid.objects.filter(organisation_id=p.org, case_id=p.case).order_by(
        "-requested_on"
    )


@prepared
def active_shares(p):
    return (
        CaseShare.objects.filter(
            organisation_id=p.org, case_id=p.case, revoked_at__isnull=True, ends_on__gte=p.today
        )
        .select_related("shared_with")
        .defer(*only_user_name("shared_with"))
        .order_by("ends_on")
    )


@prepared
def household_members(p):
    return HouseholdMember.objects.filter(organisation_id=p.org, household_id=p.household)


# --- The timeline ------------------------------------------------------------------------
# Shape: ``until`` (bool: entries at or before ``p.until`` only), ``limit`` (rows read, or
# None for the whole history).


def _bounded(queryset, moment: str, p, *, until: bool, limit: int | None, day: bool = False):
    if until:
        queryset = queryset.filter(**{f"{moment}__lte": p.until_day if day else p.until})
    return queryset if limit is None else queryset[:limit]


@prepared
def interventions(p, *, until: bool, limit: int | None):
    return _bounded(
        Intervention.objects.filter(organisation_id=p.org, case_id=p.case)
        .select_related("author")
        .defer(*only_user_name("author"))
        .order_by("-occurred_at", "-pk"),
        "occurred_at",
        p,
        until=until,
        limit=limit,
    )


@prepared
def intervention_concern_labels(p):
    """(intervention id, label) of the case's interventions between two moments (those
    the page shows, and any other at the same moments, which the caller ignores)."""
    return (
        InterventionConcern.objects.filter(
            organisation_id=p.org,
            intervention__case_id=p.case,
            intervention__occurred_at__gte=p.oldest,
            intervention__occurred_at__lte=p.newest,
        )
        .order_by("concern__position", "concern__label")
        .values_list("intervention_id", "concern__label")
    )


@prepared
def readable_notes(p, *, interventions: bool, until: bool, limit: int | None):
    """The notes the user may read (the policy's ``readable_in_case``): those of the
    interventions between two moments (``interventions``), and the notes on their own,
    the latest ``limit`` of them at or before ``p.until``."""
    readable = Note.objects.readable_in_case(organisation_id=p.org, case_id=p.case, user_id=p.user)
    on_their_own = readable.filter(intervention__isnull=True)
    if until:
        on_their_own = on_their_own.filter(created_at__lte=p.until)
    if limit is not None:
        on_their_own = on_their_own.order_by("-created_at", "-pk")[:limit]
    wanted = Q(pk__in=on_their_own.values("pk"))
    if interventions:
        wanted |= Q(
            intervention__occurred_at__gte=p.oldest, intervention__occurred_at__lte=p.newest
        )
    return (
        readable.filter(wanted)
        .select_related("author")
        .defer(*only_user_name("author"))
        .order_by("created_at", "pk")
    )


@prepared
def note_readers(p):
    """(note id, reader) for the case's notes written between two moments: the colleagues
    each assessment note's author named (the page shows them under the note)."""
    return (
        NoteShare.objects.filter(
            organisation_id=p.org,
            note__case_id=p.case,
            note__created_at__gte=p.oldest,
            note__created_at__lte=p.newest,
        )
        .select_related("user")
        .defer(*only_user_name("user"))
        .order_by("pk")
    )


@prepared
def done_tasks(p, *, until: bool, limit: int | None):
    return _bounded(
        Task.objects.filter(organisation_id=p.org, case_id=p.case, done_at__isnull=False)
        .select_related("assignee")
        .defer(*only_user_name("assignee"))
        .order_by("-done_at", "-pk"),
        "done_at",
        p,
        until=until,
        limit=limit,
    )


@prepared
def past_appointments(p, *, until: bool, limit: int | None):
    return _bounded(
        Appointment.objects.filter(organisation_id=p.org, case_id=p.case, intervention__isnull=True)
        .exclude(status=enums.AppointmentStatus.PLANNED)
        .select_related("worker")
        .defer(*only_user_name("worker"))
        .order_by("-starts_at", "-pk"),
        "starts_at",
        p,
        until=until,
        limit=limit,
    )


@prepared
def requests(p, *, until: bool, limit: int | None):
    return _bounded(
        Request.objects.filter(organisation_id=p.org, case_id=p.case)
        .select_related("received_by")
        .defer(*only_user_name("received_by"))
        .order_by("-received_on", "-pk"),
        "received_on",
        p,
        until=until,
        limit=limit,
        day=True,
    )


# --- The caseload ------------------------------------------------------------------------


@prepared
def caseload_size(p):
    """How many open cases the worker holds (one row: a count)."""
    return (
        Case.objects.open_referent_of(organisation_id=p.org, user_id=p.user)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


@prepared
def caseload_rows(p, *, start: int, stop: int):
    """One page of the worker's open cases, by name, with the next task's due date."""
    return (
        Case.objects.open_referent_of(organisation_id=p.org, user_id=p.user)
        .select_related("person", "person__employer")
        .defer(*only_person_name("person", keep=("employer",)))
        .annotate(next_due=open_tasks_due())
        .order_by("person__last_name", "person__first_name", "pk")[start:stop]
    )


@prepared
def shared_with(p, *, limit: int):
    """The open cases shared with the worker today, by name, with their referents."""
    shares = CaseShare.objects.filter(
        organisation_id=p.org,
        shared_with_id=p.user,
        starts_on__lte=p.today,
        ends_on__gte=p.today,
        revoked_at__isnull=True,
    )
    return (
        Case.objects.filter(organisation_id=p.org, pk__in=shares.values("case_id"))
        .exclude(status=enums.CaseStatus.CLOSED)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "referent_links",
                queryset=CaseReferent.objects.select_related("user").order_by("-is_primary", "pk"),
            )
        )
        .order_by("person__last_name", "pk")[:limit]
    )


# --- The worker's home page ---------------------------------------------------------------
# Read once her role is checked (``relais.cases.selectors.home``).


@prepared
def day_appointments(p):
    """Her appointments of the day (not cancelled), in time order."""
    return (
        Appointment.objects.with_worker(organisation_id=p.org, user_id=p.user)
        .filter(starts_at__gte=p.start, starts_at__lt=p.end)
        .exclude(status=enums.AppointmentStatus.CANCELLED)
        .select_related("person", "case")
        .defer(*only_person_name("person"))
        .order_by("starts_at", "pk")[:50]
    )


@prepared
def waiting_requests_of_worker(p, *, limit: int):
    """The waiting requests given to her or to nobody, the most urgent first.

    The first ``limit`` are chosen before their persons and workers are joined: a service
    may have hundreds of requests waiting for nobody (452 in the benchmark), which both
    databases otherwise joined one by one before sorting (PostgreSQL 1.55 ms)."""
    order = ("urgency_rank", "received_on", "pk")
    waiting = Request.objects.waiting_for_worker(organisation_id=p.org, user_id=p.user)
    first = waiting.annotate(urgency_rank=urgency_rank()).order_by(*order).values("pk")[:limit]
    return (
        waiting.filter(pk__in=first)
        .defer("summary")  # encrypted, not shown: not decrypted for nothing
        .select_related("person", "assigned_to")
        .defer(*only_user_name("assigned_to"), *only_person_name("person"))
        .annotate(urgency_rank=urgency_rank())
        .order_by(*order)
    )


def _my_open_tasks(p):
    return (
        Task.objects.assigned_to(organisation_id=p.org, user_id=p.user)
        .filter(done_at__isnull=True)
        .select_related("case__person", "request__person")
        .defer(
            "request__summary",
            *only_person_name("case__person"),
            *only_person_name("request__person"),
        )
        .order_by("due_on", "pk")
    )


@prepared
def overdue_tasks(p, *, limit: int):
    return _my_open_tasks(p).filter(due_on__lt=p.today)[:limit]


@prepared
def tasks_due_between(p, *, limit: int):
    return _my_open_tasks(p).filter(due_on__gte=p.today, due_on__lte=p.until)[:limit]


@prepared
def caseload_latest_activity(p, *, limit: int):
    """Her open cases, the most recently active first, with the next task's due date."""
    return (
        Case.objects.open_referent_of(organisation_id=p.org, user_id=p.user)
        .select_related("person")
        .defer(*only_person_name("person"))
        .annotate(next_due=open_tasks_due())
        .order_by("-last_activity_at", "-pk")[:limit]
    )


@prepared
def recently_opened(p, *, limit: int):
    # From her links by the case's opening date (a copy on the link, indexed): five index
    # entries whatever her number of cases (864 for a worker of the benchmark, which both
    # databases used to read and sort: 0.65 ms on SQLite, 0.9 ms on PostgreSQL).
    return (
        Case.objects.latest_opened_referent_of(organisation_id=p.org, user_id=p.user, limit=limit)
        .select_related("person")
        .defer(*only_person_name("person"))
        .order_by("-opened_on", "-pk")
    )


def urgency_rank():
    """0 same day, 1 soon, 2 otherwise: the order of the waiting requests."""
    return DbCase(
        When(urgency=enums.Urgency.SAME_DAY, then=0),
        When(urgency=enums.Urgency.SOON, then=1),
        default=2,
        output_field=IntegerField(),
    )


def open_tasks_due() -> Subquery:
    """The due date of the case's first open task (an annotation of cases)."""
    return Subquery(
        Task.objects.filter(case_id=OuterRef("pk"), done_at__isnull=True)
        .values("case_id")
        .annotate(first=Min("due_on"))
        .values("first")[:1]
    )
