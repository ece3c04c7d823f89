"""`harness lint`: static rules over the migration files, no database needed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harness.findings import Finding, HarnessError, sort_findings
from harness.lint.discovery import discover_migrations, display_path, read_sql

if TYPE_CHECKING:
    from harness.config import Config


def lint_project(config: Config, files: list[Path] | None = None) -> list[Finding]:
    """Lint every migration of the project in version order; only `files`' findings when given.

    A file given that is not one of the project's migrations is linted after all of them.
    """
    # The engine pulls in pglast and every rule; importing it here keeps `harness.lint.discovery`
    # (which the database side uses) cheap.
    from harness.lint.engine import SourceFile, lint_sources

    root = config.root
    migrations, findings = discover_migrations(config.project.migrations, root)
    sources = [SourceFile(display_path(m.path, root), m.sql) for m in migrations]
    only: set[str] | None = None
    if files is not None:
        known = {m.path.resolve(): source.file for m, source in zip(migrations, sources)}
        only = set()
        for path in files:
            shown = known.get(path.resolve())
            if shown is None:
                if not path.is_file():
                    raise HarnessError(f"{path}: no such file to lint")
                shown = display_path(path, root)
                sources.append(SourceFile(shown, read_sql(path)))
            only.add(shown)
        findings = [f for f in findings if f.file in only]
    return sort_findings(findings + lint_sources(sources, config.project.api_schemas, only))


__all__ = ["lint_project", "discover_migrations"]
