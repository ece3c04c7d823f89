"""RPC functions in the access spec ([functions."schema.fn"], CONTRACT.md §3): every actor calls each
one aimed at its own tenant and itself, at another member of its tenant, and at the other tenant.

A call runs exactly like a probe (harness_audit.run: the persona's role and claims, a rolled-back
subtransaction). What it returned is read through the spec's `owner` / `tenant` columns of the
result; what it changed is recorded by an AFTER trigger on every audited table (watch.sql) and
undone with the subtransaction. Rows returned or changed outside the persona's `execute` scope are a
`leak`; a call the scope allows that fails, or that returns nothing, is `denied`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from harness.audit.catalog_facts import origin, query
from harness.audit.compare import describe_row
from harness.audit.model import DUAL, FORGED, Actor, Outcome, WorldRow
from harness.audit.probes import run_batch
from harness.audit.scope import in_scope
from harness.audit.world import AuditWorld as World, table_sql
from harness.config import Config, ConfigError, FunctionSpec
from harness.findings import Finding, Severity

EXAMPLES = 5
CALL_MISTAKES = ("42601", "42703", "42883", "42P01", "42804", "42725", "22P02")  # the call itself is wrong


@dataclass(frozen=True)
class FunctionFacts:
    name: str
    returns_void: bool
    volatile: bool
    security_definer: bool


@dataclass(frozen=True)
class Target:
    tenant: str  # label of {target_tenant}
    user: Actor  # {target_user}
    description: str  # "its own tenant and itself", ...


@dataclass(frozen=True)
class Call:
    function: str
    target: Target
    statement: str
    allowed: bool  # the persona's scope covers the target

    def payload(self) -> dict[str, str]:
        return {"method": "POST", "mode": "watch", "target": "", "sql": self.statement}


@dataclass
class FunctionCell:
    """One actor against one function: every call it made, judged."""

    actor: Actor
    function: str
    spec: str
    leaks: list[dict[str, Any]] = field(default_factory=list)
    denials: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0

    @property
    def status(self) -> str:
        return "leak" if self.leaks else "denied" if self.denials else "ok"


def read_function_facts(conn: psycopg.Connection, config: Config) -> dict[str, FunctionFacts]:
    names = list(config.functions)
    if not names:
        return {}
    facts = {}
    for name, overloads, void, volatile, definer in conn.execute(query("function_facts.sql"), {"names": names}):
        if not overloads:
            raise ConfigError(f"{origin(config)}: [functions.\"{name}\"] names a function that does not exist "
                              "after the migrations (check the schema and the spelling)")
        facts[name] = FunctionFacts(name, void, volatile, definer)
    return facts


def uncovered_functions(conn: psycopg.Connection, config: Config) -> list[Finding]:
    """`audit/not-covered` for every SECURITY DEFINER function the API lets anon or authenticated call
    that the spec does not cover: it runs with its owner's rights, so only probing it proves it safe."""
    rows = conn.execute(query("uncovered_functions.sql"),
                        {"schemas": list(config.project.api_schemas), "names": list(config.functions)}).fetchall()
    findings = []
    for name, signature, callers in rows:
        if not callers:
            continue
        findings.append(Finding(
            check="audit", rule="not-covered", severity=Severity.WARNING, table=name, operation="execute",
            message=f"{signature} is SECURITY DEFINER and {' and '.join(callers)} may call it over /rpc, but the "
                    "access spec does not cover it: nothing proves what it returns or changes",
            evidence={"function": signature, "callers": list(callers),
                      "remediation": f"add [functions.\"{name}\"] with call, owner/tenant and an access table, "
                                     "or revoke execute from the API roles"},
        ))
    return findings


def install_watchers(conn: psycopg.Connection, config: Config, world: World) -> None:
    """The change watcher on every audited table (inside the world's transaction)."""
    if not config.functions:
        return
    conn.execute(query("watch.sql").encode())
    for name in world.tables:
        spec = config.tables[name]
        args = sql.SQL(", ").join(sql.Literal(a) for a in (spec.owner or "", spec.tenant or ""))
        conn.execute(sql.SQL(
            "create trigger {} after insert or update or delete on {} for each row "
            "execute function harness_audit.watch_trigger({})"
        ).format(sql.Identifier("~harness_watch"), table_sql(name), args))


def check_calls(conn: psycopg.Connection, config: Config, world: World) -> None:
    """Each `call` once as the superuser: a call that cannot even be planned is the user's mistake."""
    member = world.member_of("A")[0]
    for name, spec in config.functions.items():
        statement = _statement(spec, _render(spec.call, world.tenants["A"].id, member.user_id or ""))
        try:
            with conn.transaction(force_rollback=True):
                conn.execute(statement.encode())
        except psycopg.Error as exc:
            if exc.sqlstate in CALL_MISTAKES:
                message = (exc.diag.message_primary or str(exc)).strip()
                raise ConfigError(f"{origin(config)}: [functions.\"{name}\"] call fails: {message}\n"
                                  f"  statement: {statement}") from None


def targets(world: World, actor: Actor) -> list[Target]:
    """Its own tenant and itself, another member of each of its tenants, and every other tenant."""
    found = []
    for tenant in actor.tenants:
        me = world.by_user.get(actor.user_id or "")
        if me is not None and tenant == actor.tenants[0]:
            found.append(Target(tenant, me, f"its own tenant {tenant} and itself"))
        colleague = world.member_of(tenant, exclude=actor.user_id)[0]
        found.append(Target(tenant, colleague, f"another member of its tenant {tenant} ({colleague.label})"))
    for tenant in (t for t in world.tenants if t not in actor.tenants):
        victim = world.member_of(tenant)[0]
        found.append(Target(tenant, victim, f"tenant {tenant} ({victim.label})"))
    return found


def plan_calls(config: Config, world: World, actor: Actor) -> list[Call]:
    calls = []
    for name, spec in config.functions.items():
        scope = spec.scope(actor.persona)
        for target in targets(world, actor):
            text = _render(spec.call, world.tenants[target.tenant].id, target.user.user_id or "")
            allowed = in_scope(scope, actor, target.user.user_id, frozenset([target.tenant]))
            calls.append(Call(name, target, _statement(spec, text), allowed))
    return calls


def run_calls(conn: psycopg.Connection, actor: Actor, calls: list[Call], pre_request: str | None = None) -> list[Outcome]:
    return run_batch(conn, actor, calls, pre_request)


def judge(config: Config, world: World, facts: dict[str, FunctionFacts], actor: Actor,
          calls: list[Call], outcomes: list[Outcome]) -> list[FunctionCell]:
    cells: dict[str, FunctionCell] = {}
    for call, outcome in zip(calls, outcomes):
        spec = config.functions[call.function]
        scope = spec.scope(actor.persona)
        cell = cells.setdefault(call.function, FunctionCell(actor, call.function, scope))
        cell.calls += 1
        where = {"aimed_at": call.target.description, "statement": call.statement}
        if not outcome.ok:
            if call.allowed:
                cell.denials.append({**where, "category": "the call fails", "sqlstate": outcome.state,
                                     "error": outcome.message})
            continue
        returned, changed = _read_hits(config, world, spec, outcome.hits)
        described = [describe_row(r, actor, bool(spec.owner)) for r in returned
                     if not in_scope(scope, actor, r.owner, r.tenants)]
        if described:
            cell.leaks.append({**where, "category": "returned", "rows": described})
        moved = [c for c in changed if not c["in_scope"](scope, actor)]
        if moved:
            cell.leaks.append({**where, "category": "changed",
                               "changes": [{k: v for k, v in c.items() if k != "in_scope"} for c in moved]})
        judged_by_rows = bool(spec.owner or spec.tenant) and not facts[call.function].returns_void
        if call.allowed and judged_by_rows and not returned:
            cell.denials.append({**where, "category": "returns nothing"})
    return list(cells.values())


def findings(cells: list[FunctionCell]) -> list[Finding]:
    """One `leak` and one `denied` per function and persona (members of both tenants and forged-claims
    attackers apart, where they fail differently)."""
    groups: dict[tuple[str, str, str], list[FunctionCell]] = {}
    for cell in cells:
        kind = cell.actor.kind if cell.actor.kind in (DUAL, FORGED) else ""
        groups.setdefault((cell.function, cell.actor.persona, kind), []).append(cell)
    ordinary: list[Finding] = []
    special: list[Finding] = []
    for (_function, _persona, kind), group in groups.items():
        (special if kind else ordinary).extend(_leak(group) + _denied(group))
    seen = {(f.rule, f.table, f.persona) for f in ordinary}
    return ordinary + [f for f in special if (f.rule, f.table, f.persona) not in seen]


def matrix(config: Config, cells: list[FunctionCell]) -> list[dict[str, Any]]:
    """Per function: personas down, one `execute` cell each (the worst actor speaks for the group)."""
    order = {p: i for i, p in enumerate(config.personas)}
    result = []
    for name in config.functions:
        rows: dict[str, list[FunctionCell]] = {}
        for cell in sorted((c for c in cells if c.function == name),
                           key=lambda c: (order.get(c.actor.persona, 99), c.actor.kind in (DUAL, FORGED))):
            label = cell.actor.persona + {DUAL: " (both tenants)", FORGED: " (forged metadata)"}.get(cell.actor.kind, "")
            rows.setdefault(label, []).append(cell)
        result.append({"function": name, "operations": ["execute"], "rows": [
            {"persona": label, "actors": sorted(c.actor.label for c in group),
             "cells": {"execute": _cell(group)}}
            for label, group in rows.items()]})
    return result


def _cell(group: list[FunctionCell]) -> dict[str, Any]:
    """Shaped like a table cell (matrix.py): `observed` says "more" or "less" than the spec."""
    status = min((c.status for c in group), key=("leak", "denied", "ok").index)
    spec = group[0].spec
    observed = {"leak": "more", "denied": "less"}.get(status, spec)
    return {"spec": spec, "observed": observed, "partial": False, "status": status, "moved": False,
            "leaks": sum(len(c.leaks) for c in group), "denials": sum(len(c.denials) for c in group), "errors": 0}


def _leak(group: list[FunctionCell]) -> list[Finding]:
    leaking = [c for c in group if c.leaks]
    if not leaking:
        return []
    first = leaking[0]
    leak = first.leaks[0]
    who = first.actor.describe()
    if leak["category"] == "returned":
        counts = Counter(r["category"] for r in leak["rows"])
        what = " and ".join(f"{n} row{'s' if n != 1 else ''} of {c}" for c, n in counts.most_common())
        how = f"gets {what}"
    else:
        counts = Counter(f"{c['operation']} on {c['table']}" for c in leak["changes"])
        how = "changes rows outside its scope (" + ", ".join(f"{n} × {c}" for c, n in counts.most_common()) + ")"
    message = (f"{who} calling {first.function} aimed at {leak['aimed_at']} {how} (spec: execute = "
               f"{first.spec}){_also(leaking)}")
    evidence = {"actors": [c.actor.label for c in leaking], "spec": first.spec, "function": first.function,
                "calls": [x for c in leaking for x in c.leaks][:EXAMPLES]}
    return [_finding("leak", Severity.CRITICAL, first, message, evidence)]


def _denied(group: list[FunctionCell]) -> list[Finding]:
    denied = [c for c in group if c.denials and not c.leaks]
    if not denied:
        return []
    first = denied[0]
    refused = first.denials[0]
    why = (f"fails: {refused['error']} (SQLSTATE {refused['sqlstate']})" if refused["category"] == "the call fails"
           else "returns nothing")
    message = (f"{first.actor.describe()} calling {first.function} aimed at {refused['aimed_at']} {why}, "
               f"which the spec allows (spec: execute = {first.spec}){_also(denied)}")
    evidence = {"actors": [c.actor.label for c in denied], "spec": first.spec, "function": first.function,
                "calls": [x for c in denied for x in c.denials][:EXAMPLES]}
    return [_finding("denied", Severity.ERROR, first, message, evidence)]


def _finding(rule: str, severity: Severity, cell: FunctionCell, message: str, evidence: dict[str, Any]) -> Finding:
    if cell.actor.forged is not None:
        evidence["forged_user_metadata"] = cell.actor.forged
    return Finding(check="audit", rule=rule, severity=severity, message=message, table=cell.function,
                   persona=cell.actor.persona, operation="execute", evidence=evidence)


def _also(cells: list[FunctionCell]) -> str:
    others = len(cells) - 1
    return f" (and {others} more {cells[0].actor.persona} actor{'s' if others != 1 else ''} likewise)" if others else ""


def _render(call: str, tenant: str, user: str) -> str:
    return call.replace("{target_tenant}", tenant).replace("{target_user}", user)


def _statement(spec: FunctionSpec, call: str) -> str:
    """The call as a probe: with `owner`/`tenant`, each returned row's values of those columns (and
    nothing else) go into harness.hits after whatever the watcher recorded during the call."""
    if not (spec.owner or spec.tenant):
        return call
    columns = [sql.SQL("r.{}::text").format(sql.Identifier(c)) if c else sql.SQL("null")
               for c in (spec.owner, spec.tenant)]
    return sql.SQL(
        "select set_config('harness.hits', x.rows || coalesce(current_setting('harness.hits', true), ''), true) "
        "from (select coalesce(string_agg(jsonb_build_array('row', {}, {})::text, e'\\n'), '') || e'\\n' as rows "
        "from ({}) as r) as x"
    ).format(*columns, sql.SQL(call.strip().rstrip(";"))).as_string(None)


def _row(world: World, has_tenant: bool, owner: str | None, tenant: str | None, identity: str) -> WorldRow:
    member = world.by_user.get(owner or "")
    if has_tenant:
        label = world.tenant_label(tenant)
        tenants = frozenset([label] if label else [])
    else:
        tenants = frozenset(member.tenants) if member else frozenset()
    return WorldRow(identity, owner, tenants, member.label if member else owner)


def _read_hits(config: Config, world: World, spec: FunctionSpec,
               hits: frozenset[str]) -> tuple[list[WorldRow], list[dict[str, Any]]]:
    returned: list[WorldRow] = []
    changed: list[dict[str, Any]] = []
    for hit in sorted(hits):
        entry = json.loads(hit)
        if entry[0] == "row":
            owner, tenant = (str(v) if v is not None else None for v in entry[1:3])
            if owner is None and tenant is None:
                continue  # a NULL answer (a scalar function with nothing to say) names nobody's data
            returned.append(_row(world, bool(spec.tenant), owner, tenant, hit))
        elif entry[0] == "change":
            changed.append(_change(config, world, entry))
    return returned, changed


def _change(config: Config, world: World, entry: list[Any]) -> dict[str, Any]:
    _, table, operation, old_owner, old_tenant, new_owner, new_tenant = entry
    table_spec = config.tables.get(table)
    has_tenant = bool(table_spec and table_spec.tenant)
    attributable = bool(table_spec and (table_spec.owner or table_spec.tenant))
    rows = []
    if operation != "insert":
        rows.append(_row(world, has_tenant, _text(old_owner), _text(old_tenant), "old"))
    if operation != "delete":
        rows.append(_row(world, has_tenant, _text(new_owner), _text(new_tenant), "new"))

    def inside(scope: str, actor: Actor) -> bool:
        return not attributable or all(in_scope(scope, actor, r.owner, r.tenants) for r in rows)

    return {"table": table, "operation": operation, "in_scope": inside,
            "rows": [{"owner": r.owner_label, "tenant": "+".join(sorted(r.tenants)) or None, "which": r.identity}
                     for r in rows]}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
