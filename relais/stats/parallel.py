"""Run a report's statistics queries side by side, each on its own database connection.

A year's statistics are a dozen independent aggregates; one after the other they take
about a second at 100,000 persons, and each uses one processor core. Run on
``STATISTICS_PARALLEL_QUERIES`` connections at once (the request's own plus threads'),
they finish in about the time of half of them on two cores.

What the figures see:
- PostgreSQL: every connection reads the same snapshot. The request's connection opens a
  read-only REPEATABLE READ transaction and exports its snapshot; each thread's
  transaction imports it (``SET TRANSACTION SNAPSHOT``, also on a hot standby since
  PostgreSQL 10). A report is then as consistent as one long query: a case saved while
  it runs is in none of its tables or in all of them. One after the other in autocommit,
  the queries would each see the database as of their own start.
- SQLite: each query reads a snapshot of its own, as it does one after the other.

Never in parallel inside a transaction: other connections do not see its uncommitted
writes (the tests' transactions, for one). The threads' connections are closed when the
report is done: nothing stays open between reports.
"""

import re
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from contextvars import copy_context
from typing import TypeVar

from django.conf import settings
from django.db import connections, transaction

T = TypeVar("T")

_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+-[0-9]+")
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def parallel_queries() -> int:
    return max(1, int(getattr(settings, "STATISTICS_PARALLEL_QUERIES", 1)))


def _threads(size: int) -> ThreadPoolExecutor:
    """The process's pool, made at first use (after a pre-forking server has forked)."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < size:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="relais-stats")
            _pool_size = size
        return _pool


def run_side_by_side(calls: Sequence[Callable[[], T]], *, using: str) -> list[T]:
    """The results of ``calls`` (in their order), each run on some connection to ``using``.

    Calls are taken from one queue, first come first served: list the longest first. An
    exception in any call is raised here once they have all stopped.
    """
    width = min(parallel_queries(), len(calls))
    connection = connections[using]
    if width <= 1 or connection.in_atomic_block:
        return [call() for call in calls]
    queue = deque(enumerate(calls))
    results: dict[int, T] = {}

    def drain() -> None:
        while True:
            try:
                index, call = queue.popleft()
            except IndexError:
                return
            try:
                results[index] = call()
            except BaseException:
                queue.clear()  # the others stop after their current call
                raise

    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
            _drain_with_helpers(drain, width - 1, using, snapshot)
    else:
        _drain_with_helpers(drain, width - 1, using, None)
    return [results[index] for index in range(len(calls))]


def _drain_with_helpers(drain, helpers: int, using: str, snapshot: str | None) -> None:
    # Each helper runs in a copy of this context (the replica routing flag and the active
    # time zone are context variables), and its queries go through the execute wrappers
    # of the caller's connection (the benchmark's query count, for one).
    wrappers = list(connections[using].execute_wrappers)
    futures = [
        _threads(helpers).submit(copy_context().run, _helper, drain, using, snapshot, wrappers)
        for _ in range(helpers)
    ]
    try:
        drain()
    finally:
        errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error


def _helper(drain, using: str, snapshot: str | None, wrappers: list) -> None:
    connection = connections[using]
    try:
        with ExitStack() as stack:
            for wrapper in wrappers:
                stack.enter_context(connection.execute_wrapper(wrapper))
            if snapshot is None:
                drain()
                return
            if not _SNAPSHOT_ID.fullmatch(snapshot):
                raise ValueError(f"unexpected snapshot identifier {snapshot!r}")
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    # A utility statement takes no bound parameter; the identifier was
                    # checked above.
                    cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                drain()
    finally:
        connections.close_all()
