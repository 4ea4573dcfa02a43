"""Indexes for the person name search.

PostgreSQL: pg_trgm + unaccent and a GIN trigram index on people_person(search_name).
SQLite: an FTS5 trigram table over people_person, kept in step by triggers (replaced by
a word index in 0002). Each engine skips the other's statements. The SQL is written out
here, not imported, so that this migration keeps doing what it did.
"""

from django.db import migrations

from relais.scale.search_index import VendorRunSQL

TRIGGERS = {
    "scale_person_trigram_insert": (
        "AFTER INSERT ON people_person BEGIN "
        "INSERT INTO scale_person_trigram(rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
    "scale_person_trigram_delete": (
        "AFTER DELETE ON people_person BEGIN "
        "INSERT INTO scale_person_trigram(scale_person_trigram, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); END"
    ),
    "scale_person_trigram_update": (
        "AFTER UPDATE OF search_name ON people_person BEGIN "
        "INSERT INTO scale_person_trigram(scale_person_trigram, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); "
        "INSERT INTO scale_person_trigram(rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        VendorRunSQL(
            "postgresql",
            [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE EXTENSION IF NOT EXISTS unaccent",
                "CREATE INDEX IF NOT EXISTS person_search_trgm ON people_person "
                "USING gin (search_name gin_trgm_ops)",
            ],
            ["DROP INDEX IF EXISTS person_search_trgm"],
        ),
        VendorRunSQL(
            "sqlite",
            [
                "CREATE VIRTUAL TABLE IF NOT EXISTS scale_person_trigram USING fts5("
                "search_name, content='people_person', content_rowid='id', tokenize='trigram', "
                "detail='none')",
                *(f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in TRIGGERS.items()),
                "INSERT INTO scale_person_trigram(scale_person_trigram) VALUES ('rebuild')",
            ],
            [
                *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
                "DROP TABLE IF EXISTS scale_person_trigram",
            ],
        ),
    ]
