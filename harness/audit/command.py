"""`harness audit`: the Report the CLI renders.

Without --db-url: boot the engine, apply the migrations, audit a clone of the migrated template.
With --db-url: audit that database as it is, read-only (harness.audit.existing).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from harness.audit.run import AuditResult
from harness.command_run import command_run
from harness.options import Common
from harness.report.model import Report

Progress = Callable[[str], None]


def run_audit_command(common: Common, progress: Progress) -> Report:
    if common.engine.engine == "url" and common.engine.db_url:
        from harness.audit.existing import audit_existing

        started = time.perf_counter()
        report = Report(command="audit")
        result = audit_existing(common.engine.db_url, common.config(), progress,
                                allow_remote=common.engine.allow_remote)
        _add(report, result)
        report.timings["total_s"] = time.perf_counter() - started
        return report
    from harness.audit import run_audit

    with command_run(common, "audit", progress) as (workspace, report):
        _add(report, run_audit(workspace, progress))
    return report


def _add(report: Report, result: AuditResult) -> None:
    report.extend(result.findings)
    report.details["audit"] = result.details
    report.timings["audit"] = result.details.get("timings", {}).get("audit_s", 0.0)
