"""`harness audit`: prove the access spec and find cross-tenant leaks (README: the access spec), and run the
catalog security rules (harness.catalog).

    result = run_audit(workspace, progress)   # result.findings, result.details (JSON-serializable)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from harness.config import Config

if TYPE_CHECKING:
    from harness.audit.run import AuditResult
    from harness.engine.server import Server
    from harness.shard import Shard

Progress = Callable[[str], None]
WORKERS = 2


class _Workspace(Protocol):
    config: Config

    @property
    def server(self) -> Server: ...

    @property
    def migration(self) -> Any: ...

    def test_template(self) -> str | None: ...


def _quiet(_: str) -> None:
    pass


def run_audit(workspace: _Workspace, progress: Progress = _quiet, shard: Shard | None = None) -> AuditResult:
    """Audit a throwaway clone of the workspace's test template (the migrations and the seed file,
    as `harness test` and the emitted suites see them), dropped at the end; `shard`: only that part of
    the spec's tables (see audit_database)."""
    from harness.audit.run import AuditResult, audit_database
    from harness.pgtap.runner import seed_finding
    from harness.workspace import SeedError

    if workspace.migration.template is None:
        return AuditResult([], {"skipped": "the migrations did not apply, so there is nothing to audit"})
    try:
        template = workspace.test_template()
    except SeedError as error:
        return AuditResult([seed_finding(error, "audit", "nothing was audited")],
                           {"skipped": "the seed file did not apply"})
    assert template is not None
    server = workspace.server
    with server.scratch_database(template, "audit") as database:
        return audit_database(lambda: server.connect(database), workspace.config, progress, workers=WORKERS,
                              shard=shard)


def __getattr__(name: str) -> Any:
    # The audit's machinery is imported on first use: `harness emit` reads the audit's model and
    # scopes without it.
    if name in ("AuditResult", "audit_database"):
        from harness.audit import run

        return getattr(run, name)
    raise AttributeError(f"module 'harness.audit' has no attribute {name!r}")


__all__ = ["AuditResult", "audit_database", "run_audit"]
