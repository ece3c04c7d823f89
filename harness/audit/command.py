"""`harness audit`: the Report the CLI renders.

Without --db-url: boot the engine, apply the migrations, audit a clone of the migrated template.
With --db-url: audit that database as it is, read-only (harness.audit.existing).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from harness.options import Common
from harness.report.model import Report
from harness.workspace import Workspace

Progress = Callable[[str], None]


def run_audit_command(common: Common, progress: Progress) -> Report:
    config = common.config()
    report = Report(command="audit")
    started = time.perf_counter()
    if common.engine.engine == "url" and common.engine.db_url:
        from harness.audit.existing import audit_existing

        result = audit_existing(common.engine.db_url, config, progress, allow_remote=common.engine.allow_remote)
    else:
        from harness.audit import run_audit

        with Workspace(config, common.engine, progress) as workspace:
            migration = workspace.migration
            report.extend(migration.findings)
            result = run_audit(workspace, progress)
            report.timings.update(workspace.timings)
            report.timings["migrate"] = migration.timings.get("apply_s", 0.0)
    report.extend(result.findings)
    report.details["audit"] = result.details
    report.timings["audit"] = result.details.get("timings", {}).get("audit_s", 0.0)
    report.timings["total_s"] = time.perf_counter() - started
    return report
