from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _heal_sqlite_search_index(sender, using="default", **kwargs):
    from django.db import connections

    from relais.scale.search_index import (
        ensure_sqlite_name_vocabulary,
        ensure_sqlite_person_index,
        ensure_sqlite_statistics_indexes,
    )

    ensure_sqlite_person_index(connections[using])
    ensure_sqlite_name_vocabulary(connections[using])
    ensure_sqlite_statistics_indexes(connections[using])


class ScaleConfig(AppConfig):
    """Scale tooling: data generator, search indexes, replica router, benchmark hooks."""

    name = "relais.scale"
    verbose_name = "Montée en charge"

    def ready(self):
        # A migration of the people or cases app rebuilds its table on SQLite, dropping
        # the triggers and indexes this app added: put them back after each migrate.
        post_migrate.connect(_heal_sqlite_search_index, sender=self)
