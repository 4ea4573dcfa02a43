"""Reads about persons: search, possible duplicates, the person page."""

import datetime
import difflib
import functools
import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from relais.accounts.models import Employer
from relais.people.models import HouseholdMember, Person
from relais.people.search import normalise_name
from relais.policy import rules
from relais.scale.prepared import JsonIds, json_ids, prepared
from relais.scale.search import name_word_starts, ranked_ids

SEARCH_LIMIT = 50
DATE_PATTERN = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")


@dataclass
class SearchQuery:
    tokens: list[str]
    birth_date: datetime.date | None


def parse_search(text: str) -> SearchQuery:
    """ "Hélène Dupont 14/03/1980" → tokens ["helene", "dupont"] and the birth date."""
    birth_date = None
    words = []
    for word in text.split():
        match = DATE_PATTERN.match(word)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                birth_date = datetime.date(year, month, day)
            except ValueError:
                birth_date = None
            continue
        words.append(word)
    tokens = normalise_name(" ".join(words)).split()
    return SearchQuery(tokens=tokens, birth_date=birth_date)


@functools.lru_cache(maxsize=32)
def _normalised_names(names: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
    """The organisation's employer names, normalised once per process for a given list
    (285 names took 2 ms at every search); the list itself is read at every search, so a
    renamed or new employer counts at once."""
    return tuple((pk, normalise_name(name)) for pk, name in names)


def person_search_ids(*, user, text: str, limit: int = SEARCH_LIMIT) -> list[int]:
    """Ids of the persons of the user's organisation matching the words typed (name,
    birth name, employer) and the birth date if one is typed (dd/mm/yyyy), best first.
    A word that names an employer matches it or the start of a name; the other words are
    matched on the name with accents and typos tolerated, best match first
    (relais.scale.search). The employer names are matched first, on the organisation's
    short list."""
    query = parse_search(text)
    persons = Person.objects.visible_to(user)
    if not query.tokens and query.birth_date is None:
        return []
    organisation_id = rules.organisation_id(user)
    employers = Employer.objects.filter(organisation_id=organisation_id).values_list("pk", "name")
    normalised_employers = _normalised_names(tuple(employers))
    name_tokens = []
    for token in query.tokens:
        employer_ids = [pk for pk, name in normalised_employers if token in name]
        if employer_ids:
            # The start of a name word (through the name index), or the employer.
            persons = persons.filter(
                name_word_starts(persons, token) | Q(employer_id__in=employer_ids)
            )
        else:
            name_tokens.append(token)
    if query.birth_date is not None:
        persons = persons.filter(birth_date=query.birth_date)
    if name_tokens:
        return ranked_ids(persons, name_tokens, limit=limit, organisation_id=organisation_id)
    # Only the ids are sorted: the rows (and their flag) are read for the page's fifty.
    return list(
        persons.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)[:limit]
    )


@prepared
def _search_rows(p, *, flag_my_cases: bool):
    """The rows of a search's results, by their ids (one bound value: ``json_ids``)."""
    persons = (
        Person.objects.listed_in(organisation_id=p.org)
        .filter(pk__in=JsonIds(p.ids))
        .select_related("employer")
    )
    if flag_my_cases:
        persons = persons.with_readable_case_flag(
            organisation_id=p.org, user_id=p.user, today=p.today, now=p.now
        )
    return persons


def person_search(*, user, text: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """The persons ``person_search_ids`` finds, in its order, with their employer and
    ``has_my_case``: the person has a case the user may read (``Case.visible_to``).

    The rows come from a prepared query (``relais.scale.prepared``): building and
    compiling the ORM's query with its case-visibility probes cost about 4 ms of Python
    per search, against 0.5 ms for the database to answer it."""
    ids = person_search_ids(user=user, text=text, limit=limit)
    if not ids or not rules.has_role(user, rules.PERSON_ROLES):
        return []
    flag = rules.has_role(user, rules.CONTENT_ROLES)
    values = {"org": rules.organisation_id(user), "ids": json_ids(ids)}
    if flag:
        values.update(user=user.pk, today=timezone.localdate(), now=timezone.now())
    rows = {person.pk: person for person in _search_rows(shape={"flag_my_cases": flag}, **values)}
    persons = [rows[pk] for pk in ids if pk in rows]
    if not flag:
        for person in persons:
            person.has_my_case = False
    return persons


def person_duplicates(
    *,
    user,
    last_name: str,
    first_name: str = "",
    birth_name: str = "",
    birth_date: datetime.date | None = None,
) -> list[Person]:
    """Persons who may already be this one: same birth date and a similar name, or the
    same name when a birth date is missing on one side."""
    names = [name for name in (normalise_name(n) for n in (last_name, birth_name)) if name]
    if not names:
        return []
    first = normalise_name(first_name)
    persons = Person.objects.visible_to(user)
    condition = Q()
    for name in names:
        head = name.split()[0]
        condition |= name_word_starts(persons, head)
    if birth_date is not None:
        condition |= Q(birth_date=birth_date)
    candidates = persons.filter(condition).select_related("employer")[:200]

    def similar(person: Person) -> bool:
        theirs = [normalise_name(n) for n in (person.last_name, person.birth_name) if n]
        name_ratio = max(
            difflib.SequenceMatcher(None, mine, other).ratio() for mine in names for other in theirs
        )
        first_ratio = (
            difflib.SequenceMatcher(None, first, normalise_name(person.first_name)).ratio()
            if first and person.first_name
            else 1.0
        )
        if birth_date is not None and person.birth_date == birth_date:
            return name_ratio >= 0.75 or (first_ratio >= 0.85 and name_ratio >= 0.5)
        if birth_date is not None and person.birth_date is not None:
            return False
        return name_ratio >= 0.9 and first_ratio >= 0.85

    return [person for person in candidates if similar(person)][:10]


def person_for_page(*, user, public_id) -> Person | None:
    return (
        Person.objects.visible_to(user)
        .select_related("employer", "establishment", "household")
        .prefetch_related(
            Prefetch(
                "household__members",
                queryset=HouseholdMember.objects.order_by("birth_date", "pk"),
            )
        )
        .filter(public_id=public_id)
        .first()
    )
