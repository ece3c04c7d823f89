"""`harness explain`: boot, migrate, run the targets, hand back a Report."""

from __future__ import annotations

import time
from collections.abc import Callable

from harness.command_run import command_run
from harness.explain.runner import run_explain
from harness.options import Common
from harness.report.model import Report

Progress = Callable[[str], None]


def run_explain_command(common: Common, rows: int | None, progress: Progress) -> Report:
    with command_run(common, "explain", progress) as (workspace, report):
        started = time.perf_counter()
        result = run_explain(workspace, rows, progress)
        report.timings["explain"] = time.perf_counter() - started
        report.extend(result.findings)
        report.details["explain"] = result.details
    return report
