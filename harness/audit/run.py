"""The audit end to end on one database: catalog rules, the world, the probes, the verdicts."""

from __future__ import annotations

import dataclasses
import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg

from harness.audit import surfaces as S
from harness.audit.catalog_facts import api_tables, read_policies, read_table_facts
from harness.audit.compare import compare_run
from harness.audit.functions import uncovered_functions
from harness.audit.matrix import build_matrices
from harness.audit.model import Actor
from harness.audit.plan import ViewTarget, first_batch, second_batch
from harness.audit.probes import ProbeRun, Statements, run_batch
from harness.audit.verdicts import cell_findings
from harness.audit.world import AuditWorld, build_world, read_views
from harness.catalog import run_catalog
from harness.config import Config
from harness.findings import Finding, Severity
from harness.shard import Shard

Progress = Callable[[str], None]
Connect = Callable[[], psycopg.Connection]


@dataclass
class AuditResult:
    findings: list[Finding] = field(default_factory=list)  # check "audit" and "catalog"
    details: dict[str, Any] = field(default_factory=dict)  # JSON-serializable: matrices, world, timings


def audit_database(connect: Connect, config: Config, progress: Progress, *, in_place: bool = False,
                   workers: int = 2, shard: Shard | None = None) -> AuditResult:
    """Audit the database `connect` opens. `in_place`: everything happens in one transaction that is
    rolled back (an existing database); otherwise the world is committed in this throwaway database,
    and `workers` connections probe it side by side while the catalog rules run.

    `shard`: probe only that part of the spec's tables (by name); the catalog rules and the tables
    without a spec are reported by the first part alone, so the parts' findings add up to one run's."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    whole = config
    project_wide = shard is None or shard.first
    if shard is not None:
        config = dataclasses.replace(config, tables={n: config.tables[n] for n in shard.by_key(list(config.tables), str)})
        if not shard.first:  # functions and buckets are the first part's
            config = dataclasses.replace(config, functions={}, buckets={})
    if not config.audited:
        result = _catalog_only(connect, whole, started) if project_wide else AuditResult([], _nothing_probed(started))
        if whole.tables:  # the spec's tables are other parts' work
            result.findings = [f for f in result.findings if f.rule != "not-covered" or f.table not in whole.tables]
            result.details["not_covered"] = [t for t in result.details["not_covered"] if t not in whole.tables]
        return result
    with connect() as conn, ThreadPoolExecutor(max_workers=1) as side:
        findings = _catalog(lambda: conn, config, close=False) if in_place and project_wide else []
        facts = read_table_facts(conn, config)
        uncovered = [t for t in api_tables(conn, config) if t not in whole.tables] if project_wide else []
        policies = read_policies(conn, list(config.tables))
        mark = time.perf_counter()
        if in_place:
            with conn.transaction(force_rollback=True):
                world = build_world(conn, config, facts, progress)
                surfaces = S.prepare(conn, config, world)
                timings["world_s"] = time.perf_counter() - mark
                views = view_targets(conn, config, world)
                book = Statements(world)
                runs = [probe_actor(conn, config, book, actor, views) for actor in world.actors]
                more, surface_details = S.probe(conn, config, world, surfaces)
        else:
            with conn.transaction():
                world = build_world(conn, config, facts, progress)
                surfaces = S.prepare(conn, config, world)
            timings["world_s"] = time.perf_counter() - mark
            # The catalog rules only read; the probes only write rows: they run side by side (the
            # world's objects live in harness_audit or are triggers, which no rule looks at).
            catalog = side.submit(_catalog, connect, config) if project_wide else None
            views = view_targets(conn, config, world)
            runs = _probe_in_parallel(connect, conn, config, world, views, workers, progress)
            more, surface_details = S.probe(conn, config, world, surfaces, connect if workers > 1 else None)
            findings = catalog.result() if catalog is not None else []
        timings["probe_s"] = time.perf_counter() - mark - timings["world_s"]
    cells = [cell for run in runs for cell in compare_run(config, world, run, views)]
    if not project_wide:  # SECURITY DEFINER functions without a spec are the first part's to report
        more = [f for f in more if f.rule != "not-covered"]
    findings += cell_findings(cells, policies) + more
    findings += [_not_covered(t) for t in uncovered]
    findings += _not_probed(config, world)
    timings["audit_s"] = time.perf_counter() - started
    details = {
        "world": _world_details(world, runs),
        "tables": build_matrices(config, cells, list(config.tables), {n: f.rls for n, f in facts.items()}),
        "views": [{"view": v.view, "reads": v.base, "security_invoker": v.invoker,
                   "matched_by": list(v.columns)} for v in views],
        "not_covered": uncovered,
        **surface_details,
        "timings": {k: round(v, 4) for k, v in timings.items()},
    }
    if shard is not None:
        details["table_order"] = list(whole.tables)  # how `report merge` orders the parts' matrices
    return AuditResult(findings, details)


def _nothing_probed(started: float) -> dict[str, Any]:
    return {"world": None, "tables": [], "views": [], "not_covered": [],
            "timings": {"audit_s": round(time.perf_counter() - started, 4)}}


def _catalog_only(connect: Connect, config: Config, started: float) -> AuditResult:
    """No table has an access spec: no world to build, only the catalog rules and what is uncovered."""
    with connect() as conn:
        findings = _catalog(lambda: conn, config, close=False) + uncovered_functions(conn, config)
        uncovered = api_tables(conn, config)
    details = {"world": None, "tables": [], "views": [], "not_covered": uncovered,
               "timings": {"audit_s": round(time.perf_counter() - started, 4)}}
    return AuditResult(findings + [_not_covered(t) for t in uncovered], details)


def _catalog(connect: Connect, config: Config, close: bool = True) -> list[Finding]:
    conn = connect()
    try:
        return run_catalog(conn, config.project.api_schemas)
    finally:
        if close:
            conn.close()


def probe_actor(conn: psycopg.Connection, config: Config, book: Statements, actor: Actor,
                views: list[ViewTarget]) -> ProbeRun:
    """Two round trips at most: everything, then row-by-row where a whole statement failed."""
    probes = first_batch(book, config, actor, views)
    pre_request = book.world.pre_request
    outcomes = run_batch(conn, actor, probes, pre_request)
    again = second_batch(book, actor, probes, outcomes)
    if again:
        probes += again
        outcomes += run_batch(conn, actor, again, pre_request)
    return ProbeRun(actor, probes, outcomes)


def _probe_in_parallel(connect: Connect, first: psycopg.Connection, config: Config, world: AuditWorld,
                       views: list[ViewTarget], workers: int, progress: Progress) -> list[ProbeRun]:
    """One task per actor; each worker holds one connection (the world builder's, warm, is one)."""
    progress(f"probing {len(world.tables)} tables and {len({v.view for v in views})} views "
             f"as {len(world.actors)} actors")
    idle: queue.SimpleQueue[psycopg.Connection] = queue.SimpleQueue()
    idle.put(first)
    opened: list[psycopg.Connection] = []
    book = Statements(world)

    def task(actor: Actor) -> ProbeRun:
        try:
            conn = idle.get_nowait()
        except queue.Empty:
            conn = connect()
            opened.append(conn)
        try:
            return probe_actor(conn, config, book, actor, views)
        finally:
            idle.put(conn)

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            return list(pool.map(task, world.actors))
    finally:
        for conn in opened:
            conn.close()


def view_targets(conn: psycopg.Connection, config: Config, world: AuditWorld) -> list[ViewTarget]:
    """Views over audited tables, each with the columns that tell whose rows it shows."""
    targets = []
    for view, _relkind, invoker, base, columns in read_views(conn, config):
        spec, facts = config.tables[base], world.tables[base]
        if facts.key and set(facts.key) <= set(columns):
            targets.append(ViewTarget(view, base, facts.key, True, invoker))
            continue
        marks = tuple(c for c in (spec.owner, spec.tenant) if c and c in columns)
        if marks:
            targets.append(ViewTarget(view, base, marks, False, invoker))
    return targets


def _not_covered(table: str) -> Finding:
    return Finding(
        check="audit", rule="not-covered", severity=Severity.WARNING, table=table,
        message=f"{table} is in an API schema but has no access spec in harness.toml; only the catalog "
                "rules checked it",
        evidence={"remediation": f"add [tables.\"{table}\"] with owner/tenant and an access table"},
    )


def _not_probed(config: Config, world: AuditWorld) -> list[Finding]:
    findings = []
    for name, spec in config.tables.items():
        if spec.row or name in world.member_tables or name in world.tenant_tables:
            continue
        findings.append(Finding(
            check="audit", rule="insert-not-probed", severity=Severity.INFO, table=name, operation="insert",
            message=f"insert on {name} was not probed: the spec gives no `row` template for it",
            evidence={"remediation": f"add row = \"insert into {name} (...) values ('{{user}}', ...)\" "
                                     f"to [tables.\"{name}\"]"},
        ))
    return findings


def _world_details(world: AuditWorld, runs: list[ProbeRun]) -> dict[str, Any]:
    return {
        "tenants": {label: t.id for label, t in world.tenants.items()},
        "actors": [{"label": a.label, "persona": a.persona, "kind": a.kind, "tenants": list(a.tenants),
                    "user_id": a.user_id, **({"forged_user_metadata": a.forged} if a.forged else {})}
                   for a in world.actors],
        "multi_membership": world.multi_membership,
        "pre_request": world.pre_request,
        "member_tables": sorted(world.member_tables),
        "tenant_tables": sorted(world.tenant_tables),
        "rows": {name: len(rows) for name, rows in world.rows.items()},
        "probes": sum(len(r.probes) for r in runs),
    }
