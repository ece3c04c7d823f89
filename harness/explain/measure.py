"""Run one query as one persona under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), repeatedly.

Every run is its own transaction, rolled back (a query that writes leaves nothing behind), in
which the persona is set exactly as PostgREST sets it: RLS is part of every plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors

from harness.explain.model import MEASURED_RUNS, WARMUP_RUNS, Timings
from harness.personas import Persona, as_persona

POLICIES_SQL = (Path(__file__).parent / "policies.sql").read_text(encoding="utf-8")
STATEMENT_TIMEOUT_MS = 60_000  # a run that takes longer than this is reported, not waited for


class QueryError(Exception):
    """The target's query failed under its persona."""

    def __init__(self, message: str, sqlstate: str | None, timed_out: bool = False) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.timed_out = timed_out


@dataclass
class Measurement:
    timings: Timings
    plan: dict[str, Any]  # the EXPLAIN JSON of the median run
    policies: dict[str, list[str]]  # table -> policies that apply to the persona


def explain_once(conn: psycopg.Connection, persona: Persona, query: str, timeout_ms: int,
                 pre_request: str | None = None) -> dict[str, Any]:
    statement = "explain (analyze, buffers, format json) " + query
    try:
        with as_persona(conn, persona, pre_request=pre_request):
            conn.execute("select set_config('statement_timeout', %s, true)", (str(timeout_ms),))
            row = conn.execute(statement).fetchone()
    except errors.QueryCanceled:
        raise QueryError(f"did not finish within {timeout_ms / 1000:g} s", "57014", timed_out=True) from None
    except psycopg.Error as exc:
        raise QueryError(str(exc).strip(), exc.sqlstate) from None
    if row is None:
        raise QueryError("EXPLAIN returned nothing", None)
    document = row[0]
    plan: dict[str, Any] = document[0] if isinstance(document, list) else document
    return plan


def measure(conn: psycopg.Connection, persona: Persona, query: str,
            timeout_ms: int = STATEMENT_TIMEOUT_MS, pre_request: str | None = None) -> Measurement:
    """`pre_request`: the project's db-pre-request function, called before the query as PostgREST does."""
    for _ in range(WARMUP_RUNS):
        explain_once(conn, persona, query, timeout_ms, pre_request)
    runs = [explain_once(conn, persona, query, timeout_ms, pre_request) for _ in range(MEASURED_RUNS)]
    execution = [float(r["Execution Time"]) for r in runs]
    planning = [float(r.get("Planning Time", 0.0)) for r in runs]
    median_run = sorted(runs, key=lambda r: float(r["Execution Time"]))[len(runs) // 2]
    return Measurement(Timings(execution, planning), median_run, read_policies(conn, persona.role))


def read_policies(conn: psycopg.Connection, role: str) -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for table, policy in conn.execute(POLICIES_SQL, {"role": role}).fetchall():
        tables.setdefault(table, []).append(policy)
    return tables


def normalise_query(query: str) -> str:
    """EXPLAIN takes one statement: drop trailing semicolons and blank space."""
    return query.strip().rstrip(";").strip()
