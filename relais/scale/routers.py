"""Send statistics reads to a PostgreSQL streaming replica, everything else to the primary.

Configured by ``DATABASE_REPLICA_URL`` (the ``replica`` alias). Without it, the router
answers nothing and Django uses ``default`` as usual.

What goes to the replica:
- reads of the models of the apps in ``REPLICA_APPS`` (the statistics app's own tables);
- every read made inside ``replica_reads()`` (or a view decorated with
  ``@use_replica``): statistics are computed from the cases and interventions tables,
  which belong to other apps, so the *caller* says "this is a statistics read".

Never to the replica: writes, and reads inside a transaction on the primary (they must
see that transaction's own writes). A replica lags by a fraction of a second to a few
seconds: acceptable for statistics, not for a page that just saved something.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"
REPLICA_APPS = frozenset({"stats"})

_replica_reads = contextvars.ContextVar("relais_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


@contextmanager
def replica_reads():
    """Within this block, reads go to the replica when one is configured."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def use_replica(view):
    """Decorate a read-only view (statistics) so that its reads go to the replica."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        if model._meta.app_label not in REPLICA_APPS and not _replica_reads.get():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # read your own writes
        return REPLICA_ALIAS

    def db_for_write(self, model, **hints):
        # Explicit, or Django would write an object read from the replica back to it.
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA_ALIAS}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica replays the primary's WAL: never migrate it directly.
        return False if db == REPLICA_ALIAS else None
