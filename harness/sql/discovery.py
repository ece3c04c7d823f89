"""Finding the migration files of a project, exactly as the Supabase CLI does.

`supabase db push` / `db reset` take every file of the folder whose name matches
`^([0-9]+)_(.*)\\.sql$` (the digits are the version, any count of them), in file-name order
(`pkg/migration/list.go`, `file.go`). The very first entry of the folder is skipped when it is a
`<14 digits>_init.sql` older than 2021-12-09 (the CLI's backward-compatibility rule). Files the
CLI skips are `filename` errors (they never run on hosted either); a version that is not a 14-digit
timestamp (`0001_x.sql`) runs, and is a `filename` warning (the convention `supabase migration new`
follows, which keeps histories from different branches in order).

Kept free of pglast so the database side can reuse it cheaply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harness.findings import Finding, HarnessError, Severity

CLI_PATTERN = re.compile(r"^(?P<version>[0-9]+)_(?P<name>.*)\.sql$")
TIMESTAMP_RE = re.compile(r"^[0-9]{14}$")
INIT_PATTERN = re.compile(r"([0-9]{14})_init\.sql")
INIT_CUTOFF = 20211209000000  # the CLI skips a first `<timestamp>_init.sql` older than this


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


def skipped_as_init(name: str) -> bool:
    """The CLI's rule for the folder's first entry: an old `<timestamp>_init.sql` is not applied."""
    match = INIT_PATTERN.search(name)
    return match is not None and int(match.group(1)) < INIT_CUTOFF


def discover_migrations(directory: Path, root: Path | None = None) -> tuple[list[MigrationFile], list[Finding]]:
    """The migrations the Supabase CLI would apply, in its order, and `filename` findings.

    `root` makes the findings' paths relative to the project root.
    """
    if not directory.is_dir():
        raise HarnessError(
            f"migrations directory {directory} does not exist; create it or set [project].migrations in harness.toml"
        )
    migrations: list[MigrationFile] = []
    findings: list[Finding] = []
    seen: dict[str, Path] = {}
    entries = sorted(directory.iterdir(), key=lambda p: p.name.encode())  # Go's fs.ReadDir: byte order
    for index, path in enumerate(entries):
        shown = display_path(path, root)
        if index == 0 and skipped_as_init(path.name):
            findings.append(_finding(shown, Severity.ERROR, (
                f"{path.name} is skipped by the Supabase CLI (a first <timestamp>_init.sql from before "
                "2021-12-09); rename it to apply it")))
            continue
        if not path.is_file() or not path.name.lower().endswith(".sql"):
            continue  # README.md, .gitkeep: the CLI skips them too, and nobody expects them to run
        match = CLI_PATTERN.match(path.name)
        if match is None:
            findings.append(_finding(shown, Severity.ERROR, (
                f"{path.name} does not match <version>_<name>.sql; the Supabase CLI skips it, so it never runs")))
            continue
        version = match["version"]
        if version in seen:
            findings.append(_finding(shown, Severity.ERROR, (
                f"{path.name} has the same version as {seen[version].name}; the Supabase CLI fails to record it "
                "(schema_migrations' primary key)")))
            continue
        seen[version] = path
        if not TIMESTAMP_RE.match(version):
            findings.append(_finding(shown, Severity.WARNING, (
                f"{path.name}: the version {version} is not a 14-digit timestamp (`supabase migration new` "
                "writes <YYYYMMDDHHMMSS>_<name>.sql); it runs in file-name order")))
        migrations.append(MigrationFile(path=path, version=version, name=match["name"], sql=read_sql(path)))
    return migrations, findings


def _finding(file: str, severity: Severity, message: str) -> Finding:
    return Finding(check="lint", rule="filename", severity=severity, message=message, file=file, line=None)
