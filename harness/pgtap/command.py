"""`harness test`: boot, migrate, load helpers and seed, run the suites, one report."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from harness.command_run import command_run
from harness.options import Common
from harness.pgtap.discovery import discover_suites
from harness.pgtap.runner import run_suites
from harness.report.model import Report

Progress = Callable[[str], None]


def run_test_command(common: Common, paths: list[Path], jobs: int, progress: Progress) -> Report:
    config = common.config()
    discover_suites(config.project.tests, config.root, paths)  # a bad path fails before the server boots
    with command_run(common, "test", progress, ran_tests=True) as (workspace, report):
        started = time.perf_counter()
        if workspace.migration.applied:
            run = run_suites(workspace, paths or None, jobs, progress)
            report.suites.extend(run.suites)
            report.extend(run.findings)
            report.details["test"] = run.details
        else:
            report.details["test"] = {"skipped": "the migrations did not apply"}
        report.timings["test"] = time.perf_counter() - started
    return report
