"""`harness init`: draft a starter harness.toml from the project's migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from harness.config import load_config
from harness.findings import HarnessError
from harness.init.draft import draft, read_tables
from harness.options import EngineOptions
from harness.workspace import Workspace


def init_project(project: Path, options: EngineOptions, progress: Callable[[str], None]) -> Path:
    """Write <project>/harness.toml (never over an existing one); returns its path."""
    target = project / "harness.toml"
    if target.exists():
        raise HarnessError(f"{target} exists already; move it away to draft a new one")
    config = load_config(project)
    with Workspace(config, options, progress) as workspace:
        migration = workspace.migration
        if migration.template is None:
            problems = "; ".join(f"{f.location}: {f.message}" for f in migration.findings if f.severity.fails_gate)
            raise HarnessError(f"the migrations do not apply, so there is nothing to read: {problems}")
        with workspace.server.connect(migration.template) as conn:
            text = draft(read_tables(conn, config.project.api_schemas), config.project.api_schemas)
    target.write_text(text, encoding="utf-8")
    load_config(project)  # the draft must be a valid configuration
    return target
