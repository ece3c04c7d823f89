"""Finding the migration files of a project, in the order the Supabase CLI applies them.

Kept free of pglast so the database side can reuse it cheaply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harness.findings import Finding, HarnessError, Severity

FILENAME_RE = re.compile(r"^(?P<version>\d{14})_(?P<name>[^/]+)\.sql$")


@dataclass(frozen=True)
class MigrationFile:
    """One migration: `<version>_<name>.sql` and its text."""

    path: Path
    version: str
    name: str
    sql: str


def read_sql(path: Path) -> str:
    """The text of a SQL file; unreadable or non-UTF-8 files are a HarnessError, not a traceback."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HarnessError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise HarnessError(f"cannot read {path}: {exc.strerror or exc}") from exc


def display_path(path: Path, root: Path | None) -> str:
    """`path` relative to `root` (POSIX separators) when it lies below it, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def discover_migrations(directory: Path, root: Path | None = None) -> tuple[list[MigrationFile], list[Finding]]:
    """The `.sql` files of `directory` ordered by version, and `filename` findings for misnamed ones.

    Misnamed files are left out of the list, as the Supabase CLI skips them. `root` makes the
    findings' paths relative to the project root.
    """
    if not directory.is_dir():
        raise HarnessError(
            f"migrations directory {directory} does not exist; create it or set [project].migrations in harness.toml"
        )
    migrations: list[MigrationFile] = []
    findings: list[Finding] = []
    seen: dict[str, Path] = {}
    for path in sorted(p for p in directory.iterdir() if p.suffix.lower() == ".sql" and p.is_file()):
        match = FILENAME_RE.match(path.name)
        shown = display_path(path, root)
        if match is None:
            findings.append(
                _filename_finding(
                    shown, f"{path.name} is not named <14-digit timestamp>_<name>.sql; the Supabase CLI skips it"
                )
            )
            continue
        version = match["version"]
        if version in seen:
            findings.append(
                _filename_finding(
                    shown, f"{path.name} has the same version as {seen[version].name}; versions must be unique"
                )
            )
            continue
        seen[version] = path
        migrations.append(MigrationFile(path=path, version=version, name=match["name"], sql=read_sql(path)))
    migrations.sort(key=lambda m: (m.version, m.name))
    return migrations, findings


def _filename_finding(file: str, message: str) -> Finding:
    return Finding(check="lint", rule="filename", severity=Severity.ERROR, message=message, file=file, line=None)
