"""`harness explain`: boot, migrate, run the targets, hand back a Report."""

from __future__ import annotations

import time
from collections.abc import Callable

from harness.explain.runner import run_explain
from harness.options import Common
from harness.report.model import Report
from harness.workspace import Workspace

Progress = Callable[[str], None]


def run_explain_command(common: Common, rows: int | None, progress: Progress) -> Report:
    config = common.config()
    report = Report(command="explain")
    started = time.perf_counter()
    with Workspace(config, common.engine, progress) as workspace:
        migration = workspace.migration
        report.extend(migration.findings)
        explained = time.perf_counter()
        result = run_explain(workspace, rows, progress)
        report.timings["explain"] = time.perf_counter() - explained
        report.extend(result.findings)
        report.details["explain"] = result.details
        report.timings.update(workspace.timings)
    report.timings["total_s"] = time.perf_counter() - started
    return report
