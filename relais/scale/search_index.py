"""The indexes behind the person name search, one per database engine.

``people_person.search_name`` holds the lower-case, accent-free "last first birth" name
(kept in step by ``Person.save()``). Both indexes are built on it by this app's
migrations; the people app's models are untouched.

- PostgreSQL: a GIN trigram index (``pg_trgm``, migration 0001), which serves
  ``word_similarity``.
- SQLite: an FTS5 word index with 2- and 3-letter prefixes (migration 0002), an
  *external content* table over ``people_person`` kept in step by triggers. Django
  rebuilds a SQLite table (and drops its triggers) when a migration alters it, so
  ``ensure_sqlite_person_index`` runs after every ``migrate`` and rebuilds the index if
  its triggers have gone.

On both, the names' vocabulary (``NameWord``: the distinct words of an organisation's
names) is filled by a trigger on ``people_person`` (PostgreSQL: migration 0003; SQLite:
0005, healed like the FTS index by ``ensure_sqlite_name_vocabulary``).
"""

from django.db.migrations.operations import RunSQL

# The SQL below is made of constants only (table and trigger names): no input reaches it.
# ruff: noqa: S608

PG_INDEX = "person_search_trgm"
SQLITE_TABLE = "scale_person_words"

_TRIGGERS = {
    f"{SQLITE_TABLE}_insert": (
        "AFTER INSERT ON people_person BEGIN "
        f"INSERT INTO {SQLITE_TABLE}(rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
    f"{SQLITE_TABLE}_delete": (
        "AFTER DELETE ON people_person BEGIN "
        f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); END"
    ),
    f"{SQLITE_TABLE}_update": (
        "AFTER UPDATE OF search_name ON people_person BEGIN "
        f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); "
        f"INSERT INTO {SQLITE_TABLE}(rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
}
# Same statements as migration 0002 (kept there verbatim: a migration must not change).
SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
    "search_name, content='people_person', content_rowid='id', tokenize='unicode61', "
    "prefix='2 3', detail='none')",
    *(f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in _TRIGGERS.items()),
    f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')",
]


class VendorRunSQL(RunSQL):
    """RunSQL for one database engine only; the others skip it."""

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Raw SQL operation ({self.vendor} only)"


def _person_triggers_after(connection, cursor, migration: str):
    """SQLite: the tables and the names of the triggers on ``people_person``, once this
    app's ``migration`` is applied; None before (or before the person table exists)."""
    from django.db.migrations.recorder import MigrationRecorder

    tables = connection.introspection.table_names(cursor)
    if "people_person" not in tables or MigrationRecorder.Migration._meta.db_table not in tables:
        return None
    if ("scale", migration) not in MigrationRecorder(connection).applied_migrations():
        return None
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_person'"
    )
    return set(tables), {row[0] for row in cursor.fetchall()}


def ensure_sqlite_person_index(connection) -> bool:
    """Recreate the FTS table and its triggers if a table rebuild dropped them.

    Returns True when the index had to be rebuilt. Does nothing before migration 0002.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        found = _person_triggers_after(connection, cursor, "0002_person_word_index")
        if found is None:
            return False
        tables, present = found
        if SQLITE_TABLE in tables and set(_TRIGGERS) <= present:
            return False
        for statement in SQLITE_INDEX:
            cursor.execute(statement)
    return True


# Same statements as migration 0005 (kept there verbatim). search_name holds words of
# letters and digits separated by single spaces: the JSON array needs no escaping.
_WORDS = "json_each('[\"' || replace({name}, ' ', '\",\"') || '\"]')"
_VOCABULARY_INSERT = (
    "INSERT OR IGNORE INTO scale_nameword (organisation_id, word) "
    "SELECT new.organisation_id, value FROM {words} WHERE value <> ''"
).format(words=_WORDS.format(name="new.search_name"))
_VOCABULARY_TRIGGERS = {
    "scale_person_vocabulary_insert": (
        f"AFTER INSERT ON people_person BEGIN {_VOCABULARY_INSERT}; END"
    ),
    "scale_person_vocabulary_update": (
        f"AFTER UPDATE OF search_name ON people_person BEGIN {_VOCABULARY_INSERT}; END"
    ),
}
_VOCABULARY_FILL = (
    "INSERT OR IGNORE INTO scale_nameword (organisation_id, word) "
    "SELECT p.organisation_id, w.value FROM people_person p, {words} w WHERE w.value <> ''"
).format(words=_WORDS.format(name="p.search_name"))


def ensure_sqlite_name_vocabulary(connection) -> bool:
    """Recreate the vocabulary's triggers if a table rebuild dropped them, and add the
    words of the names written meanwhile. Returns True when it had to.
    Does nothing before migration 0005."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        found = _person_triggers_after(connection, cursor, "0005_sqlite_name_vocabulary")
        if found is None:
            return False
        _, present = found
        if set(_VOCABULARY_TRIGGERS) <= present:
            return False
        for name, body in _VOCABULARY_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        cursor.execute(_VOCABULARY_FILL)
    return True


# Covering indexes for the statistics (migration 0004), unknown to relais.cases' models:
# a SQLite table rebuild by a cases migration drops them, post_migrate puts them back.
SQLITE_STATISTICS_INDEXES = {
    "scale_intervention_stats": (
        "cases_intervention",
        "(organisation_id, occurred_at, case_id, kind, duration_minutes)",
    ),
    "scale_case_stats": (
        "cases_case",
        "(organisation_id, opened_on, closed_on, person_id, closing_reason, status)",
    ),
}


def ensure_sqlite_statistics_indexes(connection) -> list[str]:
    """Recreate the statistics indexes a table rebuild dropped; returns their names."""
    if connection.vendor != "sqlite":
        return []
    from django.db.migrations.recorder import MigrationRecorder

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if MigrationRecorder.Migration._meta.db_table not in tables:
            return []
        applied = MigrationRecorder(connection).applied_migrations()
        if ("scale", "0004_sqlite_statistics_indexes") not in applied:
            return []
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        present = {row[0] for row in cursor.fetchall()}
        created = []
        for name, (table, columns) in SQLITE_STATISTICS_INDEXES.items():
            if name not in present and table in tables:
                cursor.execute(f"CREATE INDEX {name} ON {table} {columns}")
                created.append(name)
    return created
