"""Catalog snapshots and their differences, in words a DBA reads at a glance."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg
from psycopg import sql

CONTENT_SCHEMAS_EXCLUDED = ("pg_catalog", "information_schema", "pg_toast", "supabase_migrations")


def _query(name: str) -> bytes:
    return (resources.files("harness.migrate") / name).read_bytes()


@dataclass(frozen=True)
class Snapshot:
    objects: dict[tuple[str, str], dict[str, Any]]  # (kind, name) -> detail
    contents: dict[str, tuple[int, str]]  # table -> (rows, digest)


def take_snapshot(conn: psycopg.Connection) -> Snapshot:
    """Every user object of the database plus a digest of every table's rows."""
    objects = {(kind, name): detail for kind, name, detail in conn.execute(_query("snapshot.sql")).fetchall()}
    return Snapshot(objects=objects, contents=table_contents(conn))


def table_contents(conn: psycopg.Connection) -> dict[str, tuple[int, str]]:
    tables = conn.execute(
        """
        select n.nspname, c.relname
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname <> all(%s) and n.nspname not like 'pg\\_temp\\_%%'
          and not exists (select 1 from pg_depend d where d.deptype = 'e'
                          and d.classid = 'pg_class'::regclass and d.objid = c.oid)
        order by 1, 2
        """,
        (list(CONTENT_SCHEMAS_EXCLUDED),),
    ).fetchall()
    contents: dict[str, tuple[int, str]] = {}
    # One round trip per hundred tables (a long history has hundreds).
    for start in range(0, len(tables), 100):
        query = sql.SQL(" union all ").join(
            sql.SQL(
                "(select {}, count(*), md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from only {} t)"
            ).format(sql.Literal(f"{schema}.{table}"), sql.Identifier(schema, table))
            for schema, table in tables[start:start + 100]
        )
        for name, rows, digest in conn.execute(query).fetchall():
            contents[name] = (rows, digest)
    return contents


@dataclass(frozen=True)
class Change:
    kind: str
    name: str
    what: str  # "appeared", "disappeared", "changed"
    text: str  # one line for a reader
    before: Any = None
    after: Any = None


def diff_snapshots(before: Snapshot, after: Snapshot) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(before.objects.keys() | after.objects.keys()):
        kind, name = key
        old, new = before.objects.get(key), after.objects.get(key)
        if old is None:
            changes.append(Change(kind, name, "appeared", f"{kind} {name} appeared", None, new))
        elif new is None:
            changes.append(Change(kind, name, "disappeared", f"{kind} {name} disappeared", old, None))
        elif old != new:
            changes.extend(_attribute_changes(kind, name, old, new))
    for table in sorted(before.contents.keys() & after.contents.keys()):
        (old_rows, old_digest), (new_rows, new_digest) = before.contents[table], after.contents[table]
        if old_digest == new_digest:
            continue
        if old_rows != new_rows:
            delta = new_rows - old_rows
            text = f"table {table} has {abs(delta)} row{'s' if abs(delta) != 1 else ''} {'more' if delta > 0 else 'fewer'} ({old_rows} -> {new_rows})"
        else:
            text = f"table {table}: rows changed ({old_rows} rows, same count, different contents)"
        changes.append(Change("rows", table, "changed", text, old_rows, new_rows))
    return changes


def _attribute_changes(kind: str, name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for attribute in sorted(old.keys() | new.keys()):
        a, b = old.get(attribute), new.get(attribute)
        if a == b:
            continue
        text = f"{kind} {name}: {attribute} changed from {show_value(a)} to {show_value(b)}"
        out.append(Change(kind, name, "changed", text, {attribute: a}, {attribute: b}))
    return out


def show_value(value: Any, limit: int = 160) -> str:
    if value is None:
        return "none"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
