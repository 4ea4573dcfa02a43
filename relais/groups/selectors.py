"""Reads on collective actions, through the policy querysets."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from relais.accounts.models import Employer, Team
from relais.cases.models import Case, Concern
from relais.groups import enums
from relais.groups.models import GroupAction, GroupActionFacilitator, Participation
from relais.people.models import Person
from relais.policy import rules

LIST_PAGE_SIZE = 30


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period(queryset, start: datetime.date | None, end: datetime.date | None):
    """Actions whose date (local day) falls between start and end, both included."""
    if start is not None:
        queryset = queryset.filter(starts_at__gte=_day_start(start))
    if end is not None and end < datetime.date.max:
        queryset = queryset.filter(starts_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return queryset


def group_action_list(
    *,
    user,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    theme: Concern | None = None,
    employer: Employer | None = None,
):
    """The organisation's actions the user may see, most recent first, with what the
    list shows (theme, company, facilitators) fetched in a fixed number of queries."""
    actions = _period(GroupAction.objects.visible_to(user), start, end)
    if theme is not None:
        actions = actions.filter(theme=theme)
    if employer is not None:
        actions = actions.filter(employer=employer)
    return (
        actions.select_related("theme", "employer", "establishment", "team")
        .defer("summary")
        .prefetch_related(_facilitators(rules.organisation_id(user)))
        .order_by("-starts_at", "-pk")
    )


def _facilitators(organisation_id: int | None) -> Prefetch:
    return Prefetch(
        "facilitator_links",
        queryset=GroupActionFacilitator.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
    )


def group_action_for_page(*, user, public_id) -> GroupAction | None:
    return (
        GroupAction.objects.visible_to(user)
        .select_related("theme", "employer", "establishment", "team", "created_by")
        .prefetch_related(_facilitators(rules.organisation_id(user)), "partner_links__partner")
        .filter(public_id=public_id)
        .first()
    )


def visible_participations(*, user, group_action: GroupAction) -> list[Participation]:
    """The followed persons linked to the action that this user may know of, each with
    ``editable`` (the user writes in one of the person's cases)."""
    editable = Case.objects.editable_by(user).filter(person_id=OuterRef("person_id"))
    return list(
        Participation.objects.visible_to(user)
        .filter(group_action=group_action)
        .annotate(editable=Exists(editable))
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def linkable_persons(*, user, group_action: GroupAction):
    """Persons the user may link: those whose file they write in, not yet linked."""
    cases = Case.objects.editable_by(user).filter(person_id=OuterRef("pk"))
    linked = Participation.objects.filter(
        organisation_id=group_action.organisation_id,
        group_action=group_action,
        person_id=OuterRef("pk"),
    )
    return (
        Person.objects.visible_to(user)
        .filter(Exists(cases))
        .exclude(Exists(linked))
        .order_by("last_name", "first_name")
    )


# --- Figures for the statistics --------------------------------------------------------


@dataclass(frozen=True)
class GroupActionFigures:
    """What the service did collectively over a period (held actions only).

    - ``held``: number of actions that took place (status "réalisée") in the period;
      planned and cancelled ones are not counted.
    - ``by_kind``: that number split by kind of action, ``{kind value: count}``, kinds
      without an action left out (labels: ``enums.GroupActionKind``).
    - ``by_theme``: that number split by theme, ``[(label, count)]`` ordered by label;
      ``"Sans thème"`` gathers the actions without one.
    - ``attendees``: sum of the headcounts of those actions (anonymous: a person who came
      to two actions counts twice; most attendees are not followed persons).
    - ``minutes`` / ``hours``: sum of the durations of those actions (the time the action
      lasted, not multiplied by the number of facilitators).
    - ``linked_persons``: number of distinct followed persons linked to those actions and
      marked present (each person once, whatever the number of actions).

    Small cells are not masked here: the statistics pages do it before showing anything
    to an employer or a CSE.
    """

    held: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_theme: list[tuple[str, int]] = field(default_factory=list)
    attendees: int = 0
    minutes: int = 0
    linked_persons: int = 0

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


NO_THEME_LABEL = "Sans thème"


def group_action_figures(
    organisation,
    start: datetime.date,
    end: datetime.date,
    team: Team | None = None,
    employer: Employer | None = None,
) -> GroupActionFigures:
    """The figures of the organisation's collective actions held between ``start`` and
    ``end`` (local days, both included), optionally for one team or one company.

    Computed by the database (four aggregate queries, whatever the number of actions).
    The caller decides who may see them (``rules.can_see_statistics``).
    """
    organisation_id = getattr(organisation, "pk", organisation)
    held = _period(
        GroupAction.objects.filter(
            organisation_id=organisation_id, status=enums.GroupActionStatus.HELD
        ),
        start,
        end,
    )
    if team is not None:
        held = held.filter(team=team)
    if employer is not None:
        held = held.filter(employer=employer)
    totals = held.aggregate(
        held=Count("pk"), attendees=Sum("headcount"), minutes=Sum("duration_minutes")
    )
    by_kind = {
        row["kind"]: row["count"]
        for row in held.order_by().values("kind").annotate(count=Count("pk"))
    }
    by_theme = sorted(
        (
            (row["theme__label"] or NO_THEME_LABEL, row["count"])
            for row in held.order_by()
            .values("theme_id", "theme__label")
            .annotate(count=Count("pk"))
        ),
        key=lambda item: item[0],
    )
    linked_persons = (
        Participation.objects.filter(
            Q(group_action__in=held.values("pk")),
            organisation_id=organisation_id,
            attended=True,
        )
        .aggregate(persons=Count("person_id", distinct=True))
        .get("persons")
    )
    return GroupActionFigures(
        held=totals["held"],
        by_kind=by_kind,
        by_theme=by_theme,
        attendees=totals["attendees"] or 0,
        minutes=totals["minutes"] or 0,
        linked_persons=linked_persons or 0,
    )
