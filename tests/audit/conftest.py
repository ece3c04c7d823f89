from __future__ import annotations

import pytest
from audit_support import (
    DEFECT_TABLES,
    audit_project,
    notes_spec,
    pg_server,
    schema,
    write_project,
)

from harness.audit import AuditResult
from harness.engine.server import Server

__all__ = ["pg_server"]


@pytest.fixture(scope="session")
def defects_result(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """The audit of defects.sql: one table per planted defect, plus a clean one."""
    root = tmp_path_factory.mktemp("defects")
    toml = schema("base.toml") + "\n" + "\n".join(notes_spec(t) for t in DEFECT_TABLES)
    write_project(root, schema("base.sql", "defects.sql"), toml)
    return audit_project(pg_server, root)
