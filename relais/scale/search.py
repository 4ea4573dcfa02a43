"""Person search by name (accents and typos tolerated) and birth date, on both databases.

    person_search(Person.objects.visible_to(user), "dupomt jean 12/03/1980", limit=20)

takes a queryset (already scoped by the policy: the search never widens it) and returns
the best matches, best first. Two steps:

1. *Candidates* from the database's trigram index on ``people_person.search_name`` (the
   lower-case, accent-free name): on PostgreSQL the ``pg_trgm`` GIN index and
   ``word_similarity``; on SQLite the FTS5 ``trigram`` table (see search_index.py),
   ranked by bm25 over the query's trigrams. At most ``CANDIDATES`` rows, as
   ``(id, search_name)`` pairs: no full row is loaded yet.
2. *Ranking* in Python, the same on both databases: each query word is compared to the
   name's words (exact = 1, prefix = 0.9, else the better of trigram similarity and
   edit-distance similarity, so that "durnad" still finds "durand"); the mean over the
   query's words is the score, and a query word that matches nothing rules the row out.
   The top ``limit`` rows are then loaded through the caller's queryset
   (``ranked_persons`` returns that queryset, ordered by rank, for callers that annotate).

Three queries on PostgreSQL (threshold, candidates, rows) and two on SQLite, whatever
the size of the organisation.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections, transaction
from django.db.models import BooleanField, F, Func, Value, When
from django.db.models import Case as SqlCase
from django.db.models.expressions import RawSQL

from relais.people.search import normalise_name
from relais.scale.search_index import SQLITE_TABLE

CANDIDATES = 300
MIN_SCORE = 0.45
MIN_WORD_SCORE = 0.3
# pg_trgm word_similarity below which a row is not even a candidate.
PG_WORD_SIMILARITY_THRESHOLD = 0.3

_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class PersonQuery:
    words: tuple[str, ...]
    birth_date: datetime.date | None = None

    @property
    def is_empty(self) -> bool:
        return not self.words and self.birth_date is None


def parse_query(text: str) -> PersonQuery:
    """Split what was typed into name words and an optional birth date (JJ/MM/AAAA)."""
    birth_date = None
    match = _DATE.search(text or "")
    if match:
        if match.group(4):
            year, month, day = int(match.group(4)), int(match.group(5)), int(match.group(6))
        else:
            day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
            if year < 100:
                year += 1900 if year > datetime.date.today().year % 100 else 2000
        try:
            birth_date = datetime.date(year, month, day)
        except ValueError:
            birth_date = None
        text = text[: match.start()] + " " + text[match.end() :]
    words = tuple(word for word in normalise_name(text or "").split() if not word.isdigit())
    return PersonQuery(words, birth_date)


# --- ranking ---------------------------------------------------------------------------


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition counts as one edit)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def word_score(query_word: str, name_word: str) -> float:
    if query_word == name_word:
        return 1.0
    if len(query_word) >= 2 and name_word.startswith(query_word):
        return 0.9
    q, n = _trigrams(query_word), _trigrams(name_word)
    trigram = len(q & n) / len(q | n)
    # Typos allowed grow with the word typed: none up to 2 letters, one up to 5, then two
    # (so "durnad" finds "durand", but "pont" does not find "dupont").
    allowed = 0 if len(query_word) <= 2 else 1 if len(query_word) <= 5 else 2
    if not allowed:
        return trigram
    distance = _edit_distance(query_word, name_word, allowed)
    longest = max(len(query_word), len(name_word))
    return max(trigram, 1 - distance / longest if distance <= allowed else 0.0)


def name_score(query_words: tuple[str, ...], search_name: str) -> float:
    """Mean of each query word's best match; 0 if a query word matches nothing at all
    ("martin paul" must not bring up every Paul)."""
    name_words = search_name.split()
    if not name_words:
        return 0.0
    best = [max(word_score(q, n) for n in name_words) for q in query_words]
    if min(best) < MIN_WORD_SCORE:
        return 0.0
    return sum(best) / len(best)


# --- candidates ------------------------------------------------------------------------


class _WordSimilar(Func):
    """``query <% search_name``: pg_trgm's indexable word-similarity test."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _candidates_postgresql(queryset, words) -> list[tuple[int, str]]:
    text = " ".join(words)
    # No savepoint when nested: SET LOCAL then lasts until the caller's transaction ends,
    # which changes nothing but this threshold.
    with transaction.atomic(using=queryset.db, savepoint=False):
        with connections[queryset.db].cursor() as cursor:
            # SET LOCAL: holds for this transaction only (safe behind a transaction pooler).
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(PG_WORD_SIMILARITY_THRESHOLD)],
            )
        return list(
            queryset.filter(_WordSimilar(Value(text), F("search_name")))
            .annotate(similarity=TrigramWordSimilarity(Value(text), "search_name"))
            .order_by("-similarity")
            .values_list("id", "search_name")[:CANDIDATES]
        )


def _fts_match(words) -> str:
    """An FTS5 query: any of the words' trigrams (quoted: they are data, not syntax)."""
    trigrams = {w[i : i + 3] for w in words for i in range(len(w) - 2)}
    trigrams |= {w for w in words if len(w) < 3}  # "li" still narrows as a substring…
    return " OR ".join(f'"{t}"' for t in sorted(trigrams) if len(t) >= 3)


def _candidates_sqlite(queryset, words) -> list[tuple[int, str]]:
    match = _fts_match(words)
    if not match:
        return _candidates_scan(queryset, words)
    ranked = (
        f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s "  # noqa: S608
        f"ORDER BY rank LIMIT {CANDIDATES * 4}"
    )
    # The FTS query string is a parameter; the SQL around it is constant.
    rows = queryset.filter(pk__in=RawSQL(ranked, [match]))  # noqa: S611
    return list(rows.values_list("id", "search_name"))


def _candidates_scan(queryset, words) -> list[tuple[int, str]]:
    """Short words only (two letters): a prefix scan of the name index."""
    query = queryset
    for word in words:
        query = query.filter(search_name__contains=word)
    return list(query.values_list("id", "search_name")[:CANDIDATES])


def ranked_ids(queryset, words: tuple[str, ...] | list[str], *, limit: int) -> list[int]:
    """Ids of the rows of ``queryset`` whose name best matches ``words``, best first."""
    words = tuple(words)
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        candidates = _candidates_postgresql(queryset, words)
    elif vendor == "sqlite":
        candidates = _candidates_sqlite(queryset, words)
    else:
        candidates = _candidates_scan(queryset, words)
    scored = sorted(
        ((name_score(words, name), name, pk) for pk, name in candidates),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    return [pk for score, _, pk in scored if score >= MIN_SCORE][:limit]


def ranked_persons(queryset, words, *, limit: int = 20):
    """``queryset`` narrowed to the best matches of ``words``, in rank order (a queryset:
    the caller may still annotate it or add select_related)."""
    ids = ranked_ids(queryset, words, limit=limit)
    if not ids:
        return queryset.none()
    rank = SqlCase(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)))
    return queryset.filter(pk__in=ids).order_by(rank)


def person_search(queryset, text: str, *, limit: int = 20) -> list:
    """The persons of ``queryset`` whose name (or birth date) best matches ``text``."""
    query = parse_query(text)
    if query.is_empty:
        return []
    if query.birth_date is not None:
        queryset = queryset.filter(birth_date=query.birth_date)
    if not query.words:
        return list(queryset.order_by("last_name", "first_name", "id")[:limit])
    return list(ranked_persons(queryset, query.words, limit=limit))
