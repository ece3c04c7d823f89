"""`harness check`: every check on one engine and one migrated template, independent work in parallel.

lint needs no database and starts at once; the engine boots and the migrations apply once; then
the idempotency pass, the pgTAP suites, the audit and the explain targets run side by side, each on
its own clones of the template.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

from harness.config import Config
from harness.findings import Finding, HarnessError
from harness.options import Common
from harness.report.model import Report, SuiteResult
from harness.workspace import Workspace

Progress = Callable[[str], None]
CHECK_ORDER = ("lint", "migrate", "test", "audit", "explain")


def selected_checks(only: tuple[str, ...], skip: tuple[str, ...]) -> tuple[str, ...]:
    for name in (*only, *skip):
        if name not in CHECK_ORDER:
            raise HarnessError(f"unknown check {name!r} (expected one of: {', '.join(CHECK_ORDER)})")
    chosen = only or CHECK_ORDER
    return tuple(c for c in CHECK_ORDER if c in chosen and c not in skip)


class _Outcome:
    """What one check produced, gathered from its thread."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.suites: list[SuiteResult] = []
        self.details: dict[str, object] = {}
        self.seconds = 0.0


def _timed(work: Callable[[], _Outcome]) -> Callable[[], _Outcome]:
    def run() -> _Outcome:
        started = time.perf_counter()
        outcome = work()
        outcome.seconds = time.perf_counter() - started
        return outcome

    return run


def run_check(common: Common, progress: Progress, only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> Report:
    checks = selected_checks(only, skip)
    config = common.config()
    report = Report(command="check")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 2)) as pool:
        futures: dict[str, Future[_Outcome]] = {}
        if "lint" in checks:
            futures["lint"] = pool.submit(_timed(lambda: _lint(config)))
        database_checks = [c for c in checks if c != "lint"]
        if database_checks:
            with Workspace(config, common.engine, progress) as workspace:
                migration = workspace.migration
                # A migration that does not apply is reported whatever was chosen (nothing else can
                # run); the foreign-policy diff belongs to the migrate check.
                report.extend(f for f in migration.findings if "migrate" in checks or f.rule != "foreign-policy")
                if migration.applied:
                    if "migrate" in checks:
                        futures["migrate"] = pool.submit(_timed(lambda: _idempotency(workspace, config, progress)))
                    if "test" in checks:
                        futures["test"] = pool.submit(_timed(lambda: _tests(workspace, progress)))
                    if "audit" in checks:
                        futures["audit"] = pool.submit(_timed(lambda: _audit(workspace, progress)))
                    if "explain" in checks:
                        futures["explain"] = pool.submit(_timed(lambda: _explain(workspace, progress)))
                else:
                    progress("the migrations did not apply: test, audit and explain cannot run")
                _collect(futures, report, exclude=("lint",))
                report.timings["migrate"] = report.timings.get("migrate", 0.0) + migration.timings.get("apply_s", 0.0)
                report.timings["engine_s"] = workspace.timings.get("engine_s", 0.0)
        _collect(futures, report)
    report.findings = _unique(report.findings)
    report.ran_tests = "test" in checks
    report.details["check"] = {"checks": list(checks)}
    report.timings["total_s"] = time.perf_counter() - started
    return report


def _collect(futures: dict[str, Future[_Outcome]], report: Report, exclude: tuple[str, ...] = ()) -> None:
    for name in list(futures):
        if name in exclude:
            continue
        outcome = futures.pop(name).result()
        report.extend(outcome.findings)
        report.suites.extend(outcome.suites)
        report.details.update(outcome.details)
        report.timings[name] = report.timings.get(name, 0.0) + outcome.seconds


def _unique(findings: list[Finding]) -> list[Finding]:
    """lint and migrate both report a misnamed file; say it once."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.file, f.line, f.message) if f.rule == "filename" else (id(f),)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _lint(config: Config) -> _Outcome:
    from harness.lint import lint_project

    outcome = _Outcome()
    outcome.findings = lint_project(config)
    return outcome


def _idempotency(workspace: Workspace, config: Config, progress: Progress) -> _Outcome:
    from harness.migrate.run import check_idempotency

    outcome = _Outcome()
    outcome.findings = check_idempotency(workspace.server, config, workspace.migration, progress)
    return outcome


def _tests(workspace: Workspace, progress: Progress) -> _Outcome:
    from harness.pgtap import run_suites

    run = run_suites(workspace, None, os.cpu_count() or 1, progress)
    outcome = _Outcome()
    outcome.findings, outcome.suites = list(run.findings), list(run.suites)
    outcome.details["test"] = run.details
    return outcome


def _audit(workspace: Workspace, progress: Progress) -> _Outcome:
    from harness.audit import run_audit

    result = run_audit(workspace, progress)
    outcome = _Outcome()
    outcome.findings = list(result.findings)
    outcome.details["audit"] = result.details
    return outcome


def _explain(workspace: Workspace, progress: Progress) -> _Outcome:
    from harness.explain import run_explain

    result = run_explain(workspace, None, progress)
    outcome = _Outcome()
    outcome.findings = list(result.findings)
    outcome.details["explain"] = result.details
    return outcome
