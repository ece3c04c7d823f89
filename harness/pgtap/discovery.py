"""Which files are suites.

`supabase test db` runs `pg_prove --ext .pg --ext .sql -r supabase/tests`: every `.sql` and `.pg`
file below the tests folder. The harness does the same, in sorted order, with one exception: an
*include file* is not a suite. A file is an include when its name, or the name of a folder between
the folder being searched and the file, starts with `_` (`_setup/users.sql`, `_helpers.sql`). Suites
pull includes in with `\\ir`; run on their own they print no plan and would fail. Hidden files and
folders (a leading `.`) are skipped too. A file named explicitly on the command line is always run,
and a folder named explicitly is searched with the same rule.
"""

from __future__ import annotations

from pathlib import Path

from harness.findings import HarnessError

SUITE_SUFFIXES = (".sql", ".pg")


def is_include(path: Path, root: Path) -> bool:
    """True for files the suites include rather than suites (see the module's docstring)."""
    parts = path.relative_to(root).parts
    return any(part.startswith(("_", ".")) for part in parts)


def _suites_under(folder: Path) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.suffix in SUITE_SUFFIXES and path.is_file() and not is_include(path, folder)
    ]


def _resolve(path: Path, root: Path) -> Path:
    """A path from the command line: relative to the current folder, else to the project root."""
    for candidate in (path, root / path) if not path.is_absolute() else (path,):
        if candidate.exists():
            return candidate.resolve()
    raise HarnessError(f"{path}: no such file or folder (looked in {Path.cwd()} and {root})")


def discover_suites(tests: Path, root: Path, paths: list[Path] | None = None) -> list[Path]:
    """Suite files, sorted: everything under `tests`, or what `paths` name (files and folders)."""
    if not paths:
        return sorted(_suites_under(tests.resolve())) if tests.is_dir() else []
    found: set[Path] = set()
    for path in paths:
        resolved = _resolve(path, root)
        if resolved.is_dir():
            suites = _suites_under(resolved)
            if not suites:
                raise HarnessError(f"{path}: no .sql or .pg suite in this folder")
            found.update(suites)
        else:
            found.add(resolved)
    return sorted(found)
