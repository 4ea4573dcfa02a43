"""Exit 0 when the PostgreSQL server given as argument accepts a connection."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1], connect_timeout=5) as conn:
        conn.execute("SELECT 1")
except psycopg.Error as error:
    print(f"PostgreSQL : {error}".strip(), file=sys.stderr)
    sys.exit(1)
