"""Reads on collective actions, through the policy querysets."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from relais.accounts.models import Employer
from relais.cases.models import Case, Concern
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
