"""The indexes behind the person name search, one per database engine.

``people_person.search_name`` holds the lower-case, accent-free "last first birth" name
(kept in step by ``Person.save()``). Both indexes are built on it:

- PostgreSQL: a GIN trigram index (``pg_trgm``), which serves ``word_similarity``.
- SQLite: an FTS5 table with the ``trigram`` tokenizer, an *external content* table over
  ``people_person`` kept in step by triggers. Django rebuilds a SQLite table (and drops
  its triggers) when a migration alters it, so ``ensure_sqlite_person_index`` runs after
  every ``migrate`` and rebuilds the index if its triggers had gone.

Both are created by this app's migrations only; the people app's models are untouched.
"""

from django.db.migrations.operations import RunSQL

# The SQL below is made of constants only (table and trigger names): no input reaches it.
# ruff: noqa: S608

PG_INDEX = "person_search_trgm"
SQLITE_TABLE = "scale_person_trigram"

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Not needed by the person search (search_name is normalised in Python, like the
    # query); created for searches on columns stored with their accents.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON people_person USING gin (search_name gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [f"DROP INDEX IF EXISTS {PG_INDEX}"]

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
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
    "search_name, content='people_person', content_rowid='id', tokenize='trigram', "
    "detail='none')",
    *(f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in _TRIGGERS.items()),
    f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS),
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
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


def ensure_sqlite_person_index(connection) -> bool:
    """Recreate the FTS table and its triggers if a table rebuild dropped them.

    Returns True when the index had to be rebuilt.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "people_person" not in tables:
            return False
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_person'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if SQLITE_TABLE in tables and set(_TRIGGERS) <= present:
            return False
        for statement in SQLITE_FORWARD:
            cursor.execute(statement)
    return True
