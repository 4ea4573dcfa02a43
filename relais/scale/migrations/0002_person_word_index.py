"""SQLite: replace the trigram FTS table by a word index (FTS5 unicode61 with prefixes).

Measured on 100,000 persons: an OR of the query's trigrams matched tens of thousands of
rows for common names (10–50 ms of CPU to rank them); exact words, their one-edit
variants and prefixes are index lookups (see relais/scale/search.py). PostgreSQL keeps
its pg_trgm index: nothing to do there.
"""

from django.db import migrations

from relais.scale.search_index import VendorRunSQL

OLD_TRIGGERS = (
    "scale_person_trigram_insert",
    "scale_person_trigram_delete",
    "scale_person_trigram_update",
)
TRIGGERS = {
    "scale_person_words_insert": (
        "AFTER INSERT ON people_person BEGIN "
        "INSERT INTO scale_person_words(rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
    "scale_person_words_delete": (
        "AFTER DELETE ON people_person BEGIN "
        "INSERT INTO scale_person_words(scale_person_words, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); END"
    ),
    "scale_person_words_update": (
        "AFTER UPDATE OF search_name ON people_person BEGIN "
        "INSERT INTO scale_person_words(scale_person_words, rowid, search_name) "
        "VALUES ('delete', old.id, old.search_name); "
        "INSERT INTO scale_person_words(rowid, search_name) VALUES (new.id, new.search_name); END"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("scale", "0001_person_search_indexes"),
    ]

    operations = [
        VendorRunSQL(
            "sqlite",
            [
                *(f"DROP TRIGGER IF EXISTS {name}" for name in OLD_TRIGGERS),
                "DROP TABLE IF EXISTS scale_person_trigram",
                "CREATE VIRTUAL TABLE IF NOT EXISTS scale_person_words USING fts5("
                "search_name, content='people_person', content_rowid='id', "
                "tokenize='unicode61', prefix='2 3', detail='none')",
                *(f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in TRIGGERS.items()),
                "INSERT INTO scale_person_words(scale_person_words) VALUES ('rebuild')",
            ],
            [
                *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
                "DROP TABLE IF EXISTS scale_person_words",
            ],
        ),
    ]
