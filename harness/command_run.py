"""What every database command shares: a Report, a Workspace with the migrations applied once, and
the timings both record, so each command only adds its own work."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Callable, Iterator

from harness.options import Common
from harness.report.model import Report
from harness.workspace import Workspace

Progress = Callable[[str], None]


@contextmanager
def command_run(common: Common, command: str, progress: Progress, **report_fields: object) -> Iterator[tuple[Workspace, Report]]:
    """Open the engine and apply the migrations; the block adds its findings to the Report.

    The migrations' own findings are in the report already (a migration that does not apply is the
    reason the block may have nothing to do: check `workspace.migration.applied`).
    """
    started = time.perf_counter()
    report = Report(command=command, **report_fields)  # type: ignore[arg-type]
    with Workspace(common.config(), common.engine, progress) as workspace:
        migration = workspace.migration
        report.extend(migration.findings)
        yield workspace, report
        report.timings.update(workspace.timings)
        report.timings["migrate"] = report.timings.get("migrate", 0.0) + migration.timings.get("apply_s", 0.0)
    report.timings["total_s"] = time.perf_counter() - started
