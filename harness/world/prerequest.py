"""PostgREST's `db-pre-request`: a function it calls in every request, after setting the role and the
claims and before the request's own query. Whatever the function does (set claims, refuse the
request) happens to every persona query of the world as well."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql

PRE_REQUEST_SQL = (Path(__file__).parent / "sql" / "pre_request.sql").read_text(encoding="utf-8")


def read_pre_request(conn: psycopg.Connection) -> str | None:
    """The configured function ("schema.name" or "name"), or None."""
    row = conn.execute(PRE_REQUEST_SQL).fetchone()
    return str(row[0]).strip().strip("'\"") if row and row[0] else None


def pre_request_call(name: str) -> str:
    """`select "schema"."name"()`: the statement PostgREST runs (the name quoted as an identifier)."""
    parts = [p for p in name.split(".") if p]
    return sql.SQL("select {}()").format(sql.Identifier(*parts)).as_string(None)
