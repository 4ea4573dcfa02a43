"""Person search by name (accents and typos tolerated) and birth date, on both databases.

    person_search(Person.objects.visible_to(user), "dupomt jean 12/03/1980", limit=20)

takes a queryset (already scoped by the policy: the search never widens it) and returns
the best matches, best first. Three steps:

1. *Words*: each typed word (lower case, no accents: ``normalise_name``) stands for
   itself, any word it starts, and any word one edit away (deletion, transposition,
   substitution, insertion) that is a word of the organisation's names (the vocabulary,
   ``NameWord``, a few thousand rows; one query for all the typed words). On PostgreSQL
   pg_trgm also proposes the similar words there, which forgives a second typo in long
   names.
2. *Candidates*: the persons whose name holds, for every typed word, one of its words —
   from a word index (SQLite: FTS5; PostgreSQL: a GIN index on the name's tsvector).
   Only ``(id, search_name)`` pairs, at most ``MAX_CANDIDATES``. Only real words go into
   the index query: one term costs about 17 µs in SQLite's FTS5 (the few hundred
   variants of a word took 7.5 ms) and a tsquery of every variant took seconds.
3. *Ranking* in Python, the same on both databases: each typed word against the name's
   words (exact 1, prefix 0.9, else the better of trigram and edit-distance similarity),
   the last name before the first name; the mean is the score, and a typed word that
   matches nothing rules the row out. The best ``limit`` rows are then loaded through
   the caller's queryset (``ranked_persons`` returns that queryset, in rank order).

Three queries (vocabulary, candidates, rows) whatever the size of the organisation; two
when no typed word may hold a typo. Measured with ``relais bench_search``.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, Q, When
from django.db.models import Case as SqlCase
from django.db.models.expressions import RawSQL, Value

from relais.people.search import normalise_name
from relais.scale.search_index import SQLITE_TABLE

# Every person bearing a matching word is a candidate (all the "Martin"s): ranking them
# is cheap (a dictionary lookup per word), loading them is what costs.
MAX_CANDIDATES = 2000
MIN_SCORE = 0.45
MIN_WORD_SCORE = 0.3
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
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


def allowed_typos(word: str) -> int:
    """None up to 2 letters, one up to 5, then two: "durnad" finds "durand", but "pont"
    does not find "dupont"."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def word_score(query_word: str, name_word: str) -> float:
    if query_word == name_word:
        return 1.0
    if len(query_word) >= 2 and name_word.startswith(query_word):
        return 0.9
    q, n = _trigrams(query_word), _trigrams(name_word)
    trigram = len(q & n) / len(q | n)
    allowed = allowed_typos(query_word)
    if not allowed:
        return trigram
    distance = _edit_distance(query_word, name_word, allowed)
    longest = max(len(query_word), len(name_word))
    return max(trigram, 1 - distance / longest if distance <= allowed else 0.0)


def name_score(
    query_words: tuple[str, ...],
    search_name: str,
    memo: dict | None = None,
    expansions: dict[str, set[str]] | None = None,
) -> float:
    """Mean of each query word's best match; 0 if a query word matches nothing at all
    ("martin paul" must not bring up every Paul). ``memo`` caches word scores across the
    candidates of one search (names repeat: thousands of "martin"). ``expansions`` (the
    words the index matched for each query word) spares scoring the other words of the
    name, which cannot match: the edit distance is the costly part."""
    name_words = search_name.split()
    if not name_words:
        return 0.0
    if memo is None:
        memo = {}
    best = []
    for q in query_words:
        score = 0.0
        allowed = expansions.get(q) if expansions is not None else None
        for position, n in enumerate(name_words):
            key = (q, n)
            value = memo.get(key)
            if value is None:
                if allowed is not None and n not in allowed and not n.startswith(q):
                    value = 0.0
                else:
                    value = word_score(q, n)
                memo[key] = value
            # Equal matches: the last name (first in search_name) before the first name,
            # before the birth name.
            score = max(score, value * (1 - 0.02 * min(position, 5)))
        best.append(score)
    if min(best) < MIN_WORD_SCORE:
        return 0.0
    return sum(best) / len(best)


# --- words and candidates ----------------------------------------------------------------


def one_edit_variants(word: str) -> set[str]:
    """Every word one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    variants |= {a + c + b for a, b in splits for c in _ALPHABET}
    return variants


def _looked_up(words) -> list[str]:
    """The words worth an index lookup: an initial ("d" of d'Aubigné) is too broad when
    other words are typed; it still counts in the ranking."""
    return [w for w in words if len(w) > 1 or len(words) == 1]


def _fts_match(vocabulary: dict[str, list[str]]) -> str:
    """An FTS5 query: each typed word (AND), as itself, a prefix, or one of the words of
    the vocabulary it may stand for (OR).

    Terms are quoted: they are data, not query syntax (words hold only letters and digits).
    """
    groups = []
    for word, name_words in vocabulary.items():
        terms = {word, *name_words}
        alternatives = [f'"{term}"' for term in sorted(terms)] + [f'"{word}"*']
        groups.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


def name_word_starts(queryset, word: str) -> Q:
    """Persons one of whose name words starts with ``word``: ``search_name LIKE 'word%'
    OR LIKE '% word%'``, through the name index. PostgreSQL's trigram index serves the
    LIKE; on SQLite a LIKE reads every person of the organisation (100 ms at 100,000
    persons), so the FTS5 index answers (its words are also split on hyphens: "pierre"
    finds "jean-pierre" there)."""
    if connections[queryset.db].vendor == "sqlite" and word.isalnum():
        indexed = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"  # noqa: S608
        # The word is quoted: data, not FTS query syntax (it holds only letters and digits).
        return Q(pk__in=RawSQL(indexed, [f'"{word}"*']))  # noqa: S611
    return Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")


def _expansions(words) -> dict[str, set[str]]:
    return {w: {w} | (one_edit_variants(w) if allowed_typos(w) else set()) for w in words}


def _vocabulary_sqlite(queryset, words, organisation_id) -> dict[str, list[str]]:
    """For each typed word, its one-edit variants that are words of the organisation's
    names, in one query (the variants go in as one JSON array: no limit on their number).
    Prefixes need no lookup: the FTS query matches them (``"word"*``)."""
    variants = {word: one_edit_variants(word) for word in words if allowed_typos(word)}
    found: dict[str, list[str]] = {word: [] for word in words}
    if variants:
        everything = sorted(set().union(*variants.values()))
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT word FROM scale_nameword WHERE organisation_id = %s "
                "AND word IN (SELECT value FROM json_each(%s))",
                [organisation_id, json.dumps(everything)],
            )
            known = {row[0] for row in cursor.fetchall()}
        for word, candidates in variants.items():
            found[word] = sorted(candidates & known)
    return found


def _organisation_id(queryset, organisation_id):
    if organisation_id is None:
        organisation_id = queryset.values_list("organisation_id", flat=True).first()
    return organisation_id


def _candidates_sqlite(queryset, words, organisation_id):
    looked_up = _looked_up(words)
    if not looked_up:
        return [], None
    organisation_id = _organisation_id(queryset, organisation_id)
    vocabulary = _vocabulary_sqlite(queryset, looked_up, organisation_id)
    indexed = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"  # noqa: S608
    # The FTS query string is a parameter; the SQL around it is constant.
    rows = queryset.filter(pk__in=RawSQL(indexed, [_fts_match(vocabulary)]))  # noqa: S611
    return list(rows.values_list("id", "search_name")[:MAX_CANDIDATES]), _expansions(words)


# For one typed word: its one-edit variants that are words of the organisation's names (a
# join on the unique (organisation, word) index), and the words pg_trgm finds similar.
# `%` filters at pg_trgm's default threshold (0.3); the explicit similarity keeps the close
# words only, the closest first.
_VOCABULARY_SQL = (
    "(SELECT %s, v.word FROM unnest(%s::text[]) AS x(word) "
    "JOIN scale_nameword v ON v.organisation_id = %s AND v.word = x.word) "
    "UNION (SELECT %s, word FROM scale_nameword WHERE organisation_id = %s "
    "AND word %% %s AND similarity(word, %s) >= %s ORDER BY similarity(word, %s) DESC LIMIT %s)"
)
VOCABULARY_SIMILARITY = 0.4
VOCABULARY_WORDS = 30


def _vocabulary_postgresql(queryset, words, organisation_id) -> dict[str, list[str]]:
    """For each typed word, the organisation's name words it may stand for, in one query.
    Prefixes need no lookup: the tsquery matches them (``word:*``). A tsquery listing
    every variant instead took seconds at 100,000 persons: only real words go into it."""
    parts, params = [], []
    for word in words:
        if not allowed_typos(word):
            continue
        parts.append(_VOCABULARY_SQL)
        params += [word, sorted(one_edit_variants(word)), organisation_id]
        params += [word, organisation_id, word, word, VOCABULARY_SIMILARITY, word]
        params += [VOCABULARY_WORDS]
    found: dict[str, list[str]] = {word: [] for word in words}
    if parts:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for word, name_word in cursor.fetchall():
                found[word].append(name_word)
    return found


class _TsMatch(RawSQL):
    def __init__(self, tsquery: str):
        super().__init__(
            "to_tsvector('simple'::regconfig, people_person.search_name) "
            "@@ to_tsquery('simple'::regconfig, %s)",
            [tsquery],
            output_field=BooleanField(),
        )


def _candidates_postgresql(queryset, words, organisation_id):
    looked_up = _looked_up(words)
    if not looked_up:
        return [], None
    organisation_id = _organisation_id(queryset, organisation_id)
    vocabulary = _vocabulary_postgresql(queryset, looked_up, organisation_id)
    # Words hold only a-z and 0-9 (normalise_name): nothing to escape in the tsquery.
    tsquery = " & ".join(
        "(" + " | ".join([f"{word}:*", *sorted(set(name_words) - {word})]) + ")"
        for word, name_words in vocabulary.items()
    )
    rows = queryset.filter(_TsMatch(tsquery))
    expansions = _expansions(words)
    for word, name_words in vocabulary.items():
        expansions[word] |= set(name_words)
    return list(rows.values_list("id", "search_name")[:MAX_CANDIDATES]), expansions


def _candidates_scan(queryset, words):
    """Other databases: every word inside the name (no typo tolerance)."""
    for word in words:
        queryset = queryset.filter(search_name__contains=word)
    return list(queryset.values_list("id", "search_name")[:MAX_CANDIDATES]), None


# --- the search ----------------------------------------------------------------------------


def ranked_ids(
    queryset, words: tuple[str, ...] | list[str], *, limit: int, organisation_id=None
) -> list[int]:
    """Ids of the rows of ``queryset`` whose name best matches ``words``, best first.

    ``organisation_id`` (PostgreSQL: whose name vocabulary to use) saves a query when the
    caller knows it; otherwise it is read from the queryset.
    """
    words = tuple(words)
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        candidates, expansions = _candidates_postgresql(queryset, words, organisation_id)
    elif vendor == "sqlite":
        candidates, expansions = _candidates_sqlite(queryset, words, organisation_id)
    else:
        candidates, expansions = _candidates_scan(queryset, words)
    memo: dict = {}
    # Full names repeat too (about half of the 2,000 "martin"s of a large service): each
    # distinct name is scored once.
    by_name: dict[str, float] = {}
    scored = []
    for pk, name in candidates:
        score = by_name.get(name)
        if score is None:
            score = by_name[name] = name_score(words, name, memo, expansions)
        scored.append((score, name, pk))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [pk for score, _, pk in scored if score >= MIN_SCORE][:limit]


def ranked_persons(queryset, words, *, limit: int = 20, organisation_id=None):
    """``queryset`` narrowed to the best matches of ``words``, in rank order (a queryset:
    the caller may still annotate it or add select_related)."""
    ids = ranked_ids(queryset, words, limit=limit, organisation_id=organisation_id)
    if not ids:
        return queryset.none()
    rank = SqlCase(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)))
    return queryset.filter(pk__in=ids).order_by(rank)


def person_search(queryset, text: str, *, limit: int = 20, organisation_id=None) -> list:
    """The persons of ``queryset`` whose name (or birth date) best matches ``text``."""
    query = parse_query(text)
    if query.is_empty:
        return []
    if query.birth_date is not None:
        queryset = queryset.filter(birth_date=query.birth_date)
    if not query.words:
        return list(queryset.order_by("last_name", "first_name", "id")[:limit])
    return list(ranked_persons(queryset, query.words, limit=limit, organisation_id=organisation_id))
