"""`audit --db-url` promises the audited database is as it was. Its probes run in a transaction that
is rolled back, but `nextval` is not transactional: every row a probe inserts advances a sequence for
good. So each sequence's position is read before and put back after (`setval`, with `is_called`),
and `pg_dump` of the database is byte-identical afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

Positions = dict[tuple[str, str], tuple[int, bool]]

SEQUENCES = """
select n.nspname, c.relname
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'S'  -- CASE: has_sequence_privilege raises on anything else, whatever the order
  and case when c.relkind = 'S' then has_sequence_privilege(c.oid, 'SELECT,UPDATE') else false end
  and n.nspname not in ('pg_catalog', 'information_schema')
"""


def _positions(conn: psycopg.Connection) -> Positions:
    found: Positions = {}
    for schema, name in conn.execute(SEQUENCES).fetchall():
        row = conn.execute(sql.SQL("select last_value, is_called from {}.{}").format(
            sql.Identifier(schema), sql.Identifier(name))).fetchone()
        if row is not None:
            found[(schema, name)] = (int(row[0]), bool(row[1]))
    return found


@contextmanager
def sequences_restored(connect: Callable[[], psycopg.Connection]) -> Iterator[None]:
    with connect() as conn:
        before = _positions(conn)
    try:
        yield
    finally:
        with connect() as conn:
            after = _positions(conn)
            for key, (value, called) in before.items():
                if after.get(key) != (value, called):
                    qualified = ".".join(sql.Identifier(part).as_string(conn) for part in key)
                    conn.execute("select setval(%s::regclass, %s, %s)", (qualified, value, called))
