"""What each command does, between parsing (cli.py) and rendering (report/): build a Report."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Callable

from harness.command_run import command_run
from harness.findings import HarnessError
from harness.options import Common
from harness.report.model import Report
from harness.workspace import Workspace

Progress = Callable[[str], None]


def run_migrate_command(common: Common, progress: Progress) -> Report:
    from harness.migrate.run import check_idempotency

    with command_run(common, "migrate", progress) as (workspace, report):
        migration = workspace.migration
        report.extend(check_idempotency(workspace.server, workspace.config, migration, progress))
        report.timings["migrate"] = migration.timings.get("apply_s", 0.0) + migration.timings.get("idempotency_s", 0.0)
        report.details["migrate"] = {
            "migrations": [workspace.config.relative(m.path) for m in migration.migrations],
            "applied": migration.applied,
        }
    return report


def run_lint_command(common: Common, files: list[Path]) -> Report:
    from harness.lint import lint_project

    config = common.config()
    report = Report(command="lint")
    started = time.perf_counter()
    resolved = []
    for file in files:
        path = file if file.is_absolute() else Path.cwd() / file
        if not path.is_file():
            raise HarnessError(f"{file}: no such file")
        resolved.append(path.resolve())
    report.extend(lint_project(config, resolved or None))
    report.timings["lint"] = report.timings["total_s"] = time.perf_counter() - started
    return report


def run_up_command(common: Common, progress: Progress) -> int:
    """Boot, migrate, print how to connect, wait for Ctrl-C or SIGTERM; everything goes at the end.

    `--format json` prints one JSON object on one line (for scripts that start a database with it):
    ready, url, psql, database, migrations and the migrations' findings.
    """
    import json

    from rich.console import Console

    console = Console(highlight=False)
    config = common.config()
    with Workspace(config, common.engine, progress) as workspace:
        migration = workspace.migration
        database = workspace.test_template() if migration.applied else None
        stop_progress = getattr(progress, "stop", None)
        if stop_progress is not None:
            stop_progress()  # a live status line would be printed over the URL
        server = workspace.server
        if common.fmt == "json":
            print(json.dumps({
                "ready": database is not None,
                "url": server.url(database) if database else None,
                "psql": server.psql_command(database) if database else None,
                "database": database,
                "migrations": [config.relative(m.path) for m in migration.migrations],
                "findings": [f.to_json() for f in migration.findings],
            }), flush=True)
        else:
            for finding in migration.findings:
                console.print(f"[red]{finding.rule}[/] {finding.location or ''} {finding.message}")
            if database is not None:
                console.print(f"[bold green]ready[/]: {len(migration.migrations)} migrations applied, "
                              "pgTAP helpers and seed loaded")
                console.print(f"  url:  {server.url(database)}")
                console.print(f"  psql: {server.psql_command(database)}")
                console.print("Ctrl-C stops the server and removes its files.")
            else:
                console.print("[bold red]the migrations did not apply; nothing to serve[/]")
        if database is None:
            return 1
        try:
            signal.pause()
        except KeyboardInterrupt:
            if common.fmt != "json":
                console.print("stopping")
    return 0


def run_test_command(common: Common, paths: list[Path], jobs: int, progress: Progress) -> Report:
    from harness.pgtap.command import run_test_command as run

    return run(common, paths, jobs, progress)


def run_audit_command(common: Common, progress: Progress) -> Report:
    from harness.audit.command import run_audit_command as run

    return run(common, progress)


def run_explain_command(common: Common, rows: int | None, progress: Progress) -> Report:
    from harness.explain.command import run_explain_command as run

    return run(common, rows, progress)


def run_check_command(common: Common, progress: Progress, only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> Report:
    from harness.check import run_check

    return run_check(common, progress, only, skip)
