"""`harness test`: boot, migrate, load helpers and seed, run the suites, one report."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from harness.options import Common
from harness.pgtap.discovery import discover_suites
from harness.pgtap.runner import run_suites
from harness.report.model import Report
from harness.workspace import Workspace

Progress = Callable[[str], None]


def run_test_command(common: Common, paths: list[Path], jobs: int, progress: Progress) -> Report:
    config = common.config()
    report = Report(command="test", ran_tests=True)
    started = time.perf_counter()
    discover_suites(config.project.tests, config.root, paths)  # a bad path fails before the server boots
    with Workspace(config, common.engine, progress) as workspace:
        migration = workspace.migration
        report.extend(migration.findings)
        if migration.applied:
            run = run_suites(workspace, paths or None, jobs, progress)
            report.suites.extend(run.suites)
            report.extend(run.findings)
            report.details["test"] = run.details
        else:
            report.details["test"] = {"skipped": "the migrations did not apply"}
        report.timings.update(workspace.timings)
        report.timings["migrate"] = migration.timings.get("apply_s", 0.0)
    report.timings["test"] = report.timings["total_s"] = time.perf_counter() - started
    return report
