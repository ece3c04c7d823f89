"""Runs a selection of checks on one run context and gathers one Report.

Every command that reports findings comes through here (`harness check` with every gate check,
`harness test` with one), so the same project gives the same verdict whichever way a check is asked
for. Checks without a database (lint) start at once; the engine boots and the migrations apply once;
then the database checks run side by side, each on its own clones of the template.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from harness.checks import get_check
from harness.checks.base import Outcome
from harness.context import CheckArgs, Progress, RunContext, quiet
from harness.report.model import Report
from harness.review import finish_report

if TYPE_CHECKING:
    from harness.checks.base import Check
    from harness.options import Common


def run_command(common: Common, names: tuple[str, ...], command: str, args: CheckArgs = CheckArgs(),
                progress: Progress = quiet) -> Report:
    """A command's whole run: a run context opened for it, the checks, the context closed again."""
    with RunContext(common, progress, args) as ctx:
        return run_checks(ctx, names, command)


def run_checks(ctx: RunContext, names: tuple[str, ...], command: str) -> Report:
    checks = [get_check(name) for name in names]
    ctx.change_set  # a base that cannot be resolved fails before the server boots
    for check in checks:
        check.prepare(ctx)  # argument mistakes fail before the server boots
    started = time.perf_counter()
    report = Report(command=command, ran_tests="test" in names)
    outcomes: dict[str, Future[Outcome]] = {}
    with ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 2)) as pool:
        for check in checks:
            if not check.needs_migrations(ctx):
                outcomes[check.name] = pool.submit(_timed, check, ctx)
        database_checks = [check for check in checks if check.needs_migrations(ctx)]
        if database_checks:
            ctx.workspace  # the engine first: a missing server is the first thing to say
            migration = ctx.workspace.migration
            report.extend(migration.blocking_findings)  # nothing else can run: every command says why
            report.timings["migrate"] = migration.timings.get("apply_s", 0.0)
            if migration.applied:
                for check in database_checks:
                    outcomes[check.name] = pool.submit(_timed, check, ctx)
            else:
                skipped = ", ".join(check.name for check in database_checks)
                ctx.progress(f"the migrations did not apply: {skipped} cannot run")
                for check in database_checks:
                    report.details[check.name] = {"skipped": "the migrations did not apply"}
        for check in checks:  # gathered in registry order, so reports are stable
            if check.name in outcomes:
                _gather(report, outcomes[check.name].result())
    if {"lint", "migrate"} & set(names):
        # a misnamed file: said once, by whichever of the two runs (a shipped one not at all)
        report.extend(f for f in ctx.discovery.findings if ctx.change_set.judges(f.file))
    if ctx.workspace_open:
        report.timings["engine_s"] = ctx.workspace.timings.get("engine_s", 0.0)
        report.platform = ctx.workspace.platform_label
    base_findings = ctx.workspace.migration.base_findings if ctx.workspace_open else None
    finish_report(report, ctx.config, ctx.change_set, base_findings, report.details.pop("shipped_findings", 0))
    if command == "check":
        report.details["check"] = {"checks": list(names)}
    report.timings["total_s"] = time.perf_counter() - started
    return report


def _timed(check: Check, ctx: RunContext) -> Outcome:
    started = time.perf_counter()
    outcome = check.run(ctx)
    outcome.timings.setdefault(check.name, time.perf_counter() - started)
    return outcome


def _gather(report: Report, outcome: Outcome) -> None:
    report.extend(outcome.findings)
    report.suites.extend(outcome.suites)
    report.details.update(outcome.details)
    for key, seconds in outcome.timings.items():
        report.timings[key] = report.timings.get(key, 0.0) + seconds
