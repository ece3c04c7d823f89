"""Run every `[[explain]]` target: seed databases in parallel, then measure one target at a time.

Seeding is bulk work and may overlap; measuring may not (a neighbour's seed would be in the
timings), so runs are serial once every database is ready.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from harness.config import Config, ExplainTarget
from harness.engine.server import Server
from harness.explain.findings import target_findings
from harness.explain.measure import QueryError, measure, normalise_query
from harness.explain.model import ExplainResult, TargetResult
from harness.explain.placeholders import render
from harness.explain.plan import analyse
from harness.explain.seed import Seeded, SeedKey, quoted, seed_database
from harness.findings import HarnessError
from harness.personas import Persona
from harness.pgtap.runner import seed_finding
from harness.workspace import SeedError, Workspace
from harness.world import World, plan_world

Progress = Callable[[str], None]
SYNTAX_ERROR = "42601"  # the target's own mistake: exit 2, not a finding


@dataclass(frozen=True)
class Job:
    target: ExplainTarget
    persona: Persona
    key: SeedKey
    query: str


def run_explain(workspace: Workspace, rows_override: int | None, progress: Progress) -> ExplainResult:
    """Every target of the workspace's configuration; `rows_override` replaces every target's rows."""
    if not workspace.config.explain:
        return ExplainResult(skipped="no [[explain]] targets in the configuration")
    if workspace.migration.template is None:
        return ExplainResult(skipped="the migrations did not apply")
    try:
        template = workspace.test_template()  # the seed file too, as `harness test` and the audit load it
    except SeedError as error:
        return ExplainResult(skipped="the seed file did not apply",
                             findings=[seed_finding(error, "explain", "no target was measured")])
    assert template is not None
    return run_targets(workspace.server, template, workspace.config, rows_override, progress)


def run_targets(server: Server, template: str, config: Config, rows_override: int | None,
                progress: Progress) -> ExplainResult:
    """The targets of `config` on clones of `template` (the benchmark passes a modified template)."""
    world = plan_world(config)
    jobs = [_job(target, world, rows_override) for target in config.explain]
    seeded: dict[SeedKey, Seeded] = {}
    try:
        _seed_all(server, template, config, world, jobs, seeded, progress)
        result = ExplainResult()
        for job in jobs:
            progress(f'explain: measuring "{job.target.name}" as {job.persona.name}')
            target = _measure(server, seeded[job.key], job)
            result.targets.append(target)
            result.findings.extend(target_findings(target))
        return result
    finally:
        for done in seeded.values():
            server.drop_database(done.database)


def _job(target: ExplainTarget, world: World, rows_override: int | None) -> Job:
    persona = world.persona(target.persona)
    rows = target.rows if rows_override is None else rows_override
    values = {
        "rows": str(rows),
        "tenant": world.tenants["A"].id,
        "other_tenant": world.tenants["B"].id,
        "user": str(world.placeholder_user(persona)),
    }
    seed = render(target.seed or "", values)
    return Job(target, persona, SeedKey(seed, rows), normalise_query(render(target.query, values)))


def _seed_all(server: Server, template: str, config: Config, world: World, jobs: list[Job],
              seeded: dict[SeedKey, Seeded], progress: Progress) -> None:
    keys: dict[SeedKey, list[str]] = {}
    for job in jobs:
        keys.setdefault(job.key, []).append(job.target.name)
    workers = max(1, min(len(keys), os.cpu_count() or 1))

    def one(key: SeedKey) -> None:
        progress(f"explain: seeding {key.rows} rows for {quoted(keys[key])}")
        seeded[key] = seed_database(server, template, config, world, key, keys[key])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, key) for key in keys]
        errors = [f.exception() for f in futures]  # waits for all, so every database is accounted for
    for error in errors:
        if error is not None:
            raise error


def _measure(server: Server, seeded: Seeded, job: Job) -> TargetResult:
    target = job.target
    result = TargetResult(
        name=target.name, persona=target.persona, rows=job.key.rows, max_ms=target.max_ms,
        forbid_seq_scan=target.forbid_seq_scan, query=job.query, seed_s=seeded.seconds,
    )
    with server.connect(seeded.database) as conn:
        try:
            # the persona as the seeded world issued it (claims its triggers maintain), after PostgREST's pre-request
            persona = seeded.world.persona(target.persona) if job.persona.user_id else job.persona
            measurement = measure(conn, persona, job.query, pre_request=seeded.world.pre_request)
        except QueryError as exc:
            if exc.sqlstate == SYNTAX_ERROR:
                raise HarnessError(f"[[explain]] {quoted([target.name])}: the query is not valid SQL: {exc}") from None
            result.error = str(exc)
            result.timed_out = exc.timed_out
            return result
    result.timings = measurement.timings
    result.plan_json = measurement.plan
    result.analysis = analyse(measurement.plan, measurement.policies)
    return result
