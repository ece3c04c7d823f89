"""`harness up`: boot, migrate, print how to connect, wait for Ctrl-C; everything goes at the end."""

from __future__ import annotations

import signal
from typing import Callable

from harness.context import RunContext
from harness.options import Common

Progress = Callable[[str], None]


def run_up_command(common: Common, progress: Progress) -> int:
    """Boot, migrate, print how to connect, wait for Ctrl-C or SIGTERM; everything goes at the end.

    `--format json` prints one JSON object on one line (for scripts that start a database with it):
    ready, url, psql, database, migrations and the migrations' findings.
    """
    import json

    from rich.console import Console

    console = Console(highlight=False)
    with RunContext(common, progress) as ctx:
        config, workspace = ctx.config, ctx.workspace
        migration = workspace.migration
        findings = [*ctx.discovery.findings, *migration.findings]
        database = workspace.test_template() if migration.applied else None
        stop_progress = getattr(progress, "stop", None)
        if stop_progress is not None:
            stop_progress()  # a live status line would be printed over the URL
        server = workspace.server
        if common.fmt == "json":
            print(json.dumps({
                "ready": database is not None,
                "platform": workspace.platform_label,
                "url": server.url(database) if database else None,
                "psql": server.psql_command(database) if database else None,
                "database": database,
                "migrations": [config.relative(m.path) for m in migration.migrations],
                "findings": [f.to_json() for f in findings],
            }), flush=True)
        else:
            console.print(workspace.platform_label)
            for finding in findings:
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
