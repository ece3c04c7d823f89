"""The dynamic foreign-policy check: what one migration file changed on tables it did not create.

The policy surface (RLS flags, policies, functions the policies call) of every table is read once;
after each file, a DDL watch (event triggers, ddl_watch.sql) names the tables the file touched, and
only their surfaces are read again, so the cost of a file follows what it touches, not the size of
the history. Any net change on a table that existed before the file is a `foreign-policy` finding
naming the file, the table and the change. Where event triggers cannot be created (a database
given with --db-url as a role that is not a superuser) every surface is read after every file.
With a change set (`one_change`), tables the change set created are its own; a new policy on
storage.objects, storage.buckets or realtime.messages is the documented pattern and not foreign (nor
a later change to a policy the change set created there).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterable

import psycopg

from harness.changeset import OPEN_PLATFORM_TABLES
from harness.findings import Finding, Severity
from harness.migrate.waivers import foreign_policy_waivers


@dataclass(frozen=True)
class TableSurface:
    name: str
    rls: bool
    force_rls: bool
    policies: dict[str, dict[str, Any]]
    functions: dict[str, dict[str, Any]]


def _sql(name: str) -> bytes:
    return (resources.files("harness.migrate") / name).read_bytes()


def read_surfaces(conn: psycopg.Connection, tables: Iterable[int] | None = None) -> dict[int, TableSurface]:
    """The surface of every table, or of the given tables (by oid) that still exist."""
    query = _sql("policy_surface.sql")
    if tables is None:
        rows = conn.execute(query).fetchall()
    else:  # the planner pushes the condition into the query: only these tables are read
        rows = conn.execute(b"select * from (\n" + query + b"\n) surface where table_oid = any(%s)",
                            ([int(t) for t in tables],)).fetchall()
    return {oid: TableSurface(name, rls, force, policies, functions)
            for oid, name, rls, force, policies, functions in rows}


class PolicyWatch:
    """The policy surface of every table, kept current file by file: `judge(file)` after each file."""

    def __init__(self, conn: psycopg.Connection, one_change: bool = False,
                 admin: psycopg.Connection | None = None) -> None:
        """`conn` applies the migrations; `admin`, a superuser's connection to the same database,
        installs and reads the watch (event triggers need a superuser, and the migrations under
        test can neither see nor empty its log). Without it, `conn` tries itself."""
        self.conn = conn
        self.watcher = admin if admin is not None else conn
        self.one_change = one_change  # every file watched is part of one change set
        self.own_policies: set[tuple[int, str]] = set()
        self.incremental = _install_watch(self.watcher)
        self.surfaces = read_surfaces(conn)
        self.roles = self._roles() if self.incremental else {}
        self.creators: dict[int, str] = {}  # table oid -> the file that created it

    def _roles(self) -> dict[int, str]:
        return {oid: name for oid, name in self.conn.execute("select oid, rolname::text from pg_roles").fetchall()}

    def judge(self, file: str, sql_text: str) -> list[Finding]:
        """What the file just applied changed on tables it did not create (waived tables excepted)."""
        touched = self._touched()
        if touched is None:  # every table, before and after
            before, after = self.surfaces, read_surfaces(self.conn)
            self.surfaces = after
        else:
            before = {oid: self.surfaces[oid] for oid in touched if oid in self.surfaces}
            after = read_surfaces(self.conn, touched)
            for oid in touched:
                self.surfaces.pop(oid, None)
            self.surfaces.update(after)
        own = set(self.creators) if self.one_change else set()
        findings = foreign_changes(before, after, file, self.creators, own, self.own_policies)
        if self.one_change:
            self.own_policies |= new_open_policies(before, after)
        self.creators.update({oid: file for oid in after.keys() - before.keys()})
        if findings:
            waivers = foreign_policy_waivers(sql_text)
            findings = [f for f in findings if not (f.table and waivers.waives(f.table))]
        return findings

    def _touched(self) -> set[int] | None:
        """The tables the last file touched; None when every table must be read again."""
        if not self.incremental:
            return None
        tables: set[int] = set()
        rescan = False
        roles: dict[int, str] = {}
        for kind, oid, role in self.watcher.execute(_sql("ddl_touched.sql")).fetchall():
            if kind == "rescan":
                rescan = True
            elif kind == "role":
                roles[oid] = role
            elif oid is not None:
                tables.add(oid)
        # A renamed or dropped role changes how every policy naming it reads.
        rescan = rescan or any(roles.get(oid) != name for oid, name in self.roles.items())
        self.roles = roles
        return None if rescan else tables

    def table_creators(self) -> dict[str, str]:
        """table name -> the file that created it (tables that still exist)."""
        return {self.surfaces[oid].name: file for oid, file in self.creators.items() if oid in self.surfaces}

    def close(self) -> None:
        """Remove the watch from the database (before anything snapshots or clones it)."""
        if self.incremental:
            self.watcher.execute(_sql("ddl_unwatch.sql"))
            self.incremental = False


def _install_watch(conn: psycopg.Connection) -> bool:
    """True when the event triggers are in place; False when the role may not create them."""
    try:
        with conn.transaction():
            conn.execute(_sql("ddl_watch.sql"))
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


def foreign_changes(
    before: dict[int, TableSurface],
    after: dict[int, TableSurface],
    file: str,
    creators: dict[int, str],
    own_tables: frozenset[int] | set[int] = frozenset(),
    own_policies: frozenset[tuple[int, str]] | set[tuple[int, str]] = frozenset(),
) -> list[Finding]:
    """Findings for every table in `before` (and not in `own_tables`) whose surface differs in `after`."""
    findings = []
    for oid, old in sorted(before.items(), key=lambda item: item[1].name):
        new = after.get(oid)
        if new is None or oid in own_tables:
            continue  # dropped (its policies went with it), or the change's own table
        owner = creators.get(oid)
        for change in _describe(old, new):
            policy = change.get("policy")
            if new.name in OPEN_PLATFORM_TABLES and policy and (change["before"] is None or (oid, policy) in own_policies):
                continue  # a new policy on storage/realtime (or one the change set created there)
            owned = f" (created by {owner})" if owner else ""
            findings.append(
                Finding(
                    check="migrate",
                    rule="foreign-policy",
                    severity=Severity.ERROR,
                    message=f"{change['text']} on {new.name}, a table this file did not create{owned}",
                    file=file,
                    table=new.name,
                    evidence={k: v for k, v in change.items() if k not in ("text", "policy")} | {"created_by": owner},
                )
            )
    return findings


def _describe(old: TableSurface, new: TableSurface) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    if old.rls != new.rls:
        changes.append({"text": "enabled row level security" if new.rls else "disabled row level security",
                        "object": "row level security", "before": old.rls, "after": new.rls})
    if old.force_rls != new.force_rls:
        changes.append({"text": "forced row level security" if new.force_rls else "stopped forcing row level security",
                        "object": "force row level security", "before": old.force_rls, "after": new.force_rls})
    for name in sorted(old.policies.keys() | new.policies.keys()):
        a, b = old.policies.get(name), new.policies.get(name)
        if a == b:
            continue
        if a is None:
            verb = "created policy"
        elif b is None:
            verb = "dropped policy"
        else:
            differing = ", ".join(k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k))
            verb = f"changed ({differing}) of policy"
        changes.append({"text": f"{verb} \"{name}\"", "object": f"policy {name}", "before": a, "after": b,
                        "policy": name})
    for name in sorted(old.functions.keys() & new.functions.keys()):
        a, b = old.functions[name], new.functions[name]
        if a != b:
            differing = ", ".join(k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k))
            changes.append({"text": f"redefined function {name} ({differing}), which policies call,",
                            "object": f"function {name}", "before": a, "after": b})
    return changes



def new_open_policies(before: dict[int, TableSurface], after: dict[int, TableSurface]) -> set[tuple[int, str]]:
    """(table, policy) for every policy created on storage.objects, storage.buckets or realtime.messages."""
    return {
        (oid, name)
        for oid, new in after.items() if new.name in OPEN_PLATFORM_TABLES
        for name in new.policies.keys() - (before[oid].policies.keys() if oid in before else set())
    }
