"""Indexes for the person name search (see relais/scale/search_index.py).

PostgreSQL: pg_trgm + unaccent and a GIN trigram index on people_person(search_name).
SQLite: an FTS5 trigram table over people_person, kept in step by triggers.
Each engine skips the other's statements.
"""

from django.db import migrations

from relais.scale.search_index import (
    POSTGRESQL_BACKWARD,
    POSTGRESQL_FORWARD,
    SQLITE_BACKWARD,
    SQLITE_FORWARD,
    VendorRunSQL,
)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        VendorRunSQL("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
        VendorRunSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
