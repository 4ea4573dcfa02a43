"""Reads of the access log: "who consulted this file", and the admin's filtered log."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, router
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from relais.accounts.models import User
from relais.audit.models import AccessEvent
from relais.people.models import Person
from relais.people.search import normalise_name
from relais.policy import rules
from relais.scale.prepared import prepared

CONSULTATIONS_LIMIT = 20
LOG_PAGE_SIZE = 50
PERSON_MATCH_LIMIT = 200


def consultations_of(*, user, subject, limit: int = CONSULTATIONS_LIMIT):
    """The latest reads of a case or a person's file by others than the viewer.

    ``None`` when the viewer may not see this (only referents do). One query for the
    events with their readers (the policy decision is remembered for the request).
    """
    label = subject._meta.label_lower
    if label == "cases.case":
        allowed = rules.can_see_access_log_of_case(user, subject)
        scope = "case_id"
    elif label == "people.person":
        allowed = rules.can_see_access_log_of_person(user, subject)
        scope = "person_id"
    else:
        raise ValueError(f"Pas de journal des consultations pour {label}.")
    if not allowed:
        return None
    return _reads_by_others(
        shape={"scope": scope, "limit": limit},
        org=subject.organisation_id,
        subject=subject.pk,
        user=user.pk,
    )


@prepared
def _reads_by_others(p, *, scope: str, limit: int):
    """The latest ``limit`` reads by others than ``p.user``. Prepared (relais.scale.prepared):
    the case page shows this section to its referents.

    Most reads of a file are its referent's own, and she is the one who looks at this
    section: read with ``user_id <> me``, the latest reads by others would be found by
    walking past all of hers (a case opened daily for years: thousands of rows, 0.7 ms on
    SQLite for 3,000). The index (organisation, subject, user, at) gives the users before
    hers, those after hers and the deleted accounts as three ranges that skip hers; each
    gives its latest ``limit`` rows, of which the latest ``limit`` are kept.

    The three ranges are one ``UNION ALL`` where the database takes a limit in each part
    (PostgreSQL: the planner then reads the rows by their ids; with three ``IN`` joined by
    ``OR`` it walks the whole log by date), three ``IN`` joined by ``OR`` elsewhere (SQLite
    refuses a limit there, and its planner reads each range on its own: "MULTI-INDEX OR")."""

    def latest(**user):
        return (
            AccessEvent.objects.filter(organisation_id=p.org, **{scope: p.subject}, **user)
            .order_by("-at")
            .values("pk")[:limit]
        )

    parts = [latest(user_id__lt=p.user), latest(user_id__gt=p.user), latest(user_id__isnull=True)]
    features = connections[router.db_for_read(AccessEvent)].features
    if features.supports_slicing_ordering_in_compound:
        others = Q(pk__in=parts[0].union(*parts[1:], all=True))
    else:
        others = Q(pk__in=parts[0]) | Q(pk__in=parts[1]) | Q(pk__in=parts[2])
    return (
        AccessEvent.objects.filter(others)
        .select_related("user", "user__membership")
        .order_by("-at")[:limit]
    )


@dataclass
class LogRow:
    event: AccessEvent
    person_name: str

    @property
    def object_label(self) -> str:
        return object_label(self.event.object_type)


def object_label(object_type: str) -> str:
    """ "cases.note" → "Note" (the model's French name; no query)."""
    if object_type == "audit.accessevent":
        return "Journal des accès"
    try:
        return capfirst(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@dataclass
class LogPage:
    rows: list[LogRow]
    # Where the next (older) page starts: ``LogCursor.parse`` reads it back. None on the
    # last page.
    next_cursor: str | None
    # True when this page does not start at the most recent event.
    is_continuation: bool


@dataclass(frozen=True)
class LogCursor:
    """The last event of a page, (time, sequence number): the next page lists the events
    strictly older, so that reading page 10,000 costs what reading the first one does (an
    OFFSET would read and drop every event before it)."""

    at: datetime.datetime
    seq: int

    def __str__(self) -> str:
        return f"{self.at.astimezone(datetime.UTC).isoformat()}~{self.seq}"

    @classmethod
    def parse(cls, text: str | None) -> "LogCursor | None":
        """None for a missing or unreadable cursor (the page then starts from the newest)."""
        moment, _, seq = (text or "").partition("~")
        try:
            at = datetime.datetime.fromisoformat(moment)
            number = int(seq)
        except ValueError:
            return None
        if timezone.is_naive(at):
            return None
        return cls(at, number)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def users_of_organisation(*, user):
    org = rules.organisation_id(user)
    return User.objects.filter(membership__organisation_id=org).order_by(
        "last_name", "first_name", "email"
    )


def access_log_page(
    *,
    user,
    reader=None,
    person_query: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    after: LogCursor | None = None,
    page_size: int = LOG_PAGE_SIZE,
) -> LogPage:
    """The organisation's access log, newest first, filtered (admin role only); ``after``:
    the events older than that cursor (keyset pagination).

    Three queries at most whatever the size of the log and the page: matching persons (when
    a name is given), the page of events with their readers, the names of the persons on
    the page.
    """
    events = AccessEvent.objects.filterable_by(user)
    if reader is not None:
        events = events.filter(user_id=reader.pk)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if person_query.strip():
        ids = list(
            Person.objects.of_organisation(user)
            .filter(search_name__contains=normalise_name(person_query))
            .values_list("pk", flat=True)[:PERSON_MATCH_LIMIT]
        )
        events = events.filter(person_id__in=ids)
    if after is not None:
        events = events.filter(Q(at__lt=after.at) | Q(at=after.at, seq__lt=after.seq))
    window = list(events.select_related("user").order_by("-at", "-seq")[: page_size + 1])
    has_next = len(window) > page_size
    window = window[:page_size]
    person_ids = {event.person_id for event in window if event.person_id}
    names = {}
    if person_ids:
        names = {
            person.pk: person.full_name
            for person in Person.objects.of_organisation(user)
            .filter(pk__in=person_ids)
            .only("first_name", "last_name", "birth_name", "sex", "organisation_id")
        }
    rows = [
        LogRow(event, names.get(event.person_id, "") if event.person_id else "") for event in window
    ]
    next_cursor = str(LogCursor(window[-1].at, window[-1].seq)) if has_next else None
    return LogPage(rows=rows, next_cursor=next_cursor, is_continuation=after is not None)
