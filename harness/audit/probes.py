"""Probe statements, and running them in batches through harness_audit.run().

No probe reads a column of its target table: SELECT reads keys (that *is* the select probe), and
UPDATE / DELETE have no WHERE and no RETURNING. The first probe trigger narrows a statement to
one row (harness.target) and makes an UPDATE a no-op; the last one records the rows that got
through in harness.hits. So what a write can reach is decided by the write policies alone, as for
any client that sends a write which reads no column. INSERT probes never use RETURNING.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from harness.audit.model import Actor, Outcome, RowLike, TableFacts, WorldRow
from harness.audit.world import AuditWorld, identity_sql, table_sql
from harness.world.prerequest import pre_request_call

METHOD = {"select": "GET", "insert": "POST", "update": "PATCH", "delete": "DELETE"}


@dataclass(frozen=True)
class Probe:
    table: str  # the audited table (for a view probe: the view)
    operation: str
    kind: str  # select, update, update-row, move, pull, delete, delete-row, insert, view
    statement: str
    mode: str = ""  # harness.mode: noop | move | collect | insert
    target: str = ""  # harness.target: the identity of the one row to touch
    row: RowLike | None = None  # insert: the row it tries to create
    move: tuple[str, str] | None = None  # move: (column, where the row is sent)
    base: str | None = None  # view: the audited table it reads

    def payload(self) -> dict[str, str]:
        return {"method": METHOD[self.operation], "mode": self.mode, "target": self.target, "sql": self.statement}


@dataclass
class ProbeRun:
    """The probes of one actor and their outcomes, in order."""

    actor: Actor
    probes: list[Probe] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    _index: dict[tuple[str, str], list[tuple[Probe, Outcome]]] | None = field(default=None, repr=False)

    def pairs(self, table: str, kind: str) -> list[tuple[Probe, Outcome]]:
        if self._index is None:
            self._index = {}
            for probe, outcome in zip(self.probes, self.outcomes):
                self._index.setdefault((probe.table, probe.kind), []).append((probe, outcome))
        return self._index.get((table, kind), [])


class Payload(Protocol):
    def payload(self) -> dict[str, str]: ...


def run_batch(conn: psycopg.Connection, actor: Actor, probes: Sequence[Payload], pre_request: str | None = None,
              settings: dict[str, str] | None = None) -> list[Outcome]:
    """One round trip; every probe in its own rolled-back subtransaction (and the call rolled back),
    each after the project's db-pre-request function as PostgREST calls it. `settings`: configuration
    parameters set for the batch first (as a client such as the storage API sets them)."""
    if not probes:
        return []
    call = pre_request_call(pre_request) if pre_request else None
    with conn.transaction(force_rollback=True):
        for name, value in (settings or {}).items():
            conn.execute("select set_config(%s, %s, true)", [name, value])
        row = conn.execute(
            "select harness_audit.run(%s, %s, %s, %s)",
            [actor.db_role, json.dumps(actor.claims, sort_keys=True), Jsonb([p.payload() for p in probes]), call],
        ).fetchone()
    results: list[dict[str, Any]] = list(row[0]) if row else []
    return [_outcome(r) for r in results]


def _outcome(result: dict[str, Any]) -> Outcome:
    if result.get("ok"):
        hits = frozenset(h for h in (result.get("hits") or "").split("\n") if h)
        return Outcome(ok=True, rows=int(result.get("rows") or 0), hits=hits)
    return Outcome(ok=False, state=result.get("state"), message=result.get("message"))


def _target(row: WorldRow | None) -> dict[str, Any]:
    return {"target": row.identity} if row else {}


class Statements:
    """The probe statements of one world, each rendered once (actors share them)."""

    def __init__(self, world: AuditWorld) -> None:
        self.world = world
        self._memo: dict[tuple[Any, ...], str] = {}

    def _once(self, key: tuple[Any, ...], make: Any) -> str:
        text = self._memo.get(key)
        if text is None:
            text = self._memo[key] = make().as_string(None)
        return text

    def select(self, facts: TableFacts) -> Probe:
        statement = self._once(("select", facts.name), lambda: sql.SQL(
            "select set_config('harness.hits', coalesce((select string_agg({}, e'\\n') from {} as r), ''), true)"
        ).format(identity_sql("r", facts.key), table_sql(facts.name)))
        return Probe(facts.name, "select", "select", statement)

    def view(self, view: str, base: str, columns: tuple[str, ...]) -> Probe:
        """Rows of `view` as JSON arrays of the columns that identify rows of `base`."""
        values = sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(c)) for c in columns)
        statement = self._once(("view", view, columns), lambda: sql.SQL(
            "select set_config('harness.hits', coalesce((select string_agg(jsonb_build_array({})::text, e'\\n') "
            "from {} as r), ''), true)"
        ).format(values, table_sql(view)))
        return Probe(view, "select", "view", statement, base=base)

    def _set(self, facts: TableFacts, column: str, value: str | None) -> str:
        def make() -> sql.Composable:
            target = sql.Identifier(column)
            if value is None:
                return sql.SQL("update {} set {} = default").format(table_sql(facts.name), target)
            return sql.SQL("update {} set {} = {}::{}").format(
                table_sql(facts.name), target, sql.Literal(value), sql.SQL(facts.columns[column].type))

        return self._once(("set", facts.name, column, value), make)

    def update(self, facts: TableFacts, actor: Actor, row: WorldRow | None = None) -> Probe:
        """A no-op UPDATE (the first trigger puts the old row back) of every row, or of one."""
        column, value = self.world.noop[facts.name][actor.db_role]
        return Probe(facts.name, "update", "update-row" if row else "update", self._set(facts, column, value),
                     mode="noop", **_target(row))

    def move(self, facts: TableFacts, row: WorldRow, column: str, value: str, destination: str) -> Probe:
        return Probe(facts.name, "update", "move", self._set(facts, column, value), mode="move",
                     move=(column, destination), **_target(row))

    def pull(self, facts: TableFacts, row: WorldRow, column: str, value: str) -> Probe:
        """An UPDATE of a row outside the actor's scope that would bring it into the scope."""
        return Probe(facts.name, "update", "pull", self._set(facts, column, value), mode="move",
                     move=(column, "into its own scope"), **_target(row))

    def delete(self, facts: TableFacts, row: WorldRow | None = None) -> Probe:
        """DELETE of every row (or one); the last trigger records and skips each row it reaches."""
        statement = self._once(("delete", facts.name), lambda: sql.SQL("delete from {}").format(table_sql(facts.name)))
        return Probe(facts.name, "delete", "delete-row" if row else "delete", statement, mode="collect",
                     **_target(row))

    @staticmethod
    def insert(table: str, statement: str, row: RowLike) -> Probe:
        """The last trigger records the owner and tenant each inserted row really got."""
        return Probe(table, "insert", "insert", statement, mode="insert", row=row)
