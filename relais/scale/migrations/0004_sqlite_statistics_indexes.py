"""SQLite: covering indexes for the yearly statistics (relais.stats).

Measured on 100,000 persons / 1,000,000 interventions: the year's interventions
(≈ 230,000 rows) were read row by row from the table; with their columns in the index
the aggregate reads the index only (3.3 s → 0.7 s under load on 2 cores), and the cases
aggregates likewise (0.35 s → 0.1 s). PostgreSQL's planner keeps its bitmap scan on the
existing (organisation, occurred_at) index with or without such an index (measured): it
gets none. These indexes belong in relais.cases' Meta.indexes once the statistics
queries are settled (docs/benchmark.md).
"""

from django.db import migrations

from relais.scale.search_index import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [
        ("scale", "0003_person_name_vocabulary"),
        ("cases", "0001_initial"),
    ]

    operations = [
        VendorRunSQL(
            "sqlite",
            [
                "CREATE INDEX IF NOT EXISTS scale_intervention_stats ON cases_intervention "
                "(organisation_id, occurred_at, case_id, kind, duration_minutes)",
                "CREATE INDEX IF NOT EXISTS scale_case_stats ON cases_case "
                "(organisation_id, opened_on, closed_on, person_id, closing_reason, status)",
                "ANALYZE cases_intervention",
                "ANALYZE cases_case",
            ],
            [
                "DROP INDEX IF EXISTS scale_intervention_stats",
                "DROP INDEX IF EXISTS scale_case_stats",
            ],
        ),
    ]
