"""`harness audit`: prove the access spec and find cross-tenant leaks (CONTRACT.md §3), and run the
catalog security rules (harness.catalog).

    result = run_audit(workspace, progress)   # result.findings, result.details (JSON-serializable)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from harness.audit.run import AuditResult, audit_database
from harness.config import Config
from harness.engine.server import Server

Progress = Callable[[str], None]
WORKERS = 2


class _Workspace(Protocol):
    config: Config

    @property
    def server(self) -> Server: ...

    @property
    def migration(self) -> Any: ...


def _quiet(_: str) -> None:
    pass


def run_audit(workspace: _Workspace, progress: Progress = _quiet) -> AuditResult:
    """Audit the workspace's migrated template on a throwaway clone (dropped at the end)."""
    template = workspace.migration.template
    if template is None:
        return AuditResult([], {"skipped": "the migrations did not apply, so there is nothing to audit"})
    server = workspace.server
    with server.scratch_database(template, "audit") as database:
        return audit_database(lambda: server.connect(database), workspace.config, progress, workers=WORKERS)


__all__ = ["AuditResult", "audit_database", "run_audit"]
