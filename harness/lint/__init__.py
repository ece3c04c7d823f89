"""`harness lint`: static rules over the migration files, no database needed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harness.findings import Finding, HarnessError, sort_findings
from harness.sql.discovery import MigrationFile, discover_migrations, display_path, read_sql

if TYPE_CHECKING:
    from harness.changeset import ChangeSet
    from harness.config import Config


def lint_project(config: Config, files: list[Path] | None = None,
                 migrations: list[MigrationFile] | None = None, change_set: ChangeSet | None = None) -> list[Finding]:
    """Lint every migration of the project in version order; only `files`' findings when given."""
    return lint_change_set(config, files, migrations, change_set)[0]


def lint_change_set(
    config: Config, files: list[Path] | None = None, migrations: list[MigrationFile] | None = None,
    change_set: ChangeSet | None = None,
) -> tuple[list[Finding], int]:
    """Lint every migration of the project in version order (shipped files build the model); the
    findings of the change set (or of `files` when given), and how many findings shipped files have.

    A file given that is not one of the project's migrations is linted after all of them.
    `migrations` as the run context discovered them (it reports the discovery's findings); when
    None they are discovered here and the discovery's findings join the result.
    """
    # The engine pulls in pglast and every rule; importing it here keeps `harness.sql.discovery`
    # (which the database side uses) cheap.
    from harness.lint.engine import SourceFile, lint_sources

    root = config.root
    findings: list[Finding] = []
    if migrations is None:
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
    changed = None if change_set is None or change_set.judged is None else frozenset(change_set.judged)
    everything = findings + lint_sources(sources, config.project.api_schemas, only, changed)
    if only is not None or change_set is None:
        return sort_findings(everything), 0
    judged = [f for f in everything if change_set.judges(f.file)]
    return sort_findings(judged), len(everything) - len(judged)


__all__ = ["lint_change_set", "lint_project", "discover_migrations"]
