"""Tampering with the audit tables as an attacker with database access would.

On PostgreSQL the append-only triggers refuse it; a database superuser can bypass them
(``session_replication_role = replica`` skips ordinary triggers), which is what these
helpers do, so that the tests can check that the hash chain still reveals the edit.
"""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def triggers_disabled():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = origin")


def execute(sql: str, params=()) -> None:
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)
