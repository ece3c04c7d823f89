"""`harness emit`: write the suites, or (--check) say which files on disk are stale.

Exit codes: 0 written / up to date, 1 stale (--check), 2 the configuration cannot be emitted (raised
as HarnessError; the CLI prints it).
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from harness.config import Config, load_config
from harness.emit import files as disk
from harness.emit.render import emit_files
from harness.findings import ExitCode, HarnessError

DEFAULT_OUT = Path("supabase/tests/database/harness")


def run_emit(project: Path, out: Path | None, check: bool, console: Console | None = None) -> int:
    console = console or Console(highlight=False, soft_wrap=True)
    config = load_config(project)
    _require_spec(config, project)
    folder = config.root / (out if out is not None else DEFAULT_OUT)  # relative: to the project root
    files = emit_files(config)
    shown = config.relative(folder).rstrip("/") + "/"
    if check:
        staleness = disk.compare(folder, files)
        if not staleness.stale:
            console.print(f"harness emit --check: the {len(files)} files in {escape(shown)} are up to date")
            return int(ExitCode.PASSED)
        for names, why in ((staleness.changed, "differs from harness.toml"), (staleness.missing, "missing"),
                           (staleness.orphaned, "no longer emitted")):
            for name in names:
                console.print(f"stale: {escape(shown + name)} ({why})")
        console.print(f"harness emit --check: {len(staleness.stale)} of the files in {escape(shown)} are stale: "
                      "run `harness emit` and commit the result")
        return int(ExitCode.FAILED)
    staleness = disk.write(folder, files)
    for name in staleness.missing + staleness.changed:
        console.print(f"wrote {escape(shown + name)}")
    for name in staleness.orphaned:
        console.print(f"removed {escape(shown + name)} (its table left the access spec)")
    unchanged = len(files) - len(staleness.missing) - len(staleness.changed)
    console.print(f"harness emit: {len(files)} files in {escape(shown)} ({len(staleness.missing) + len(staleness.changed)} "
                  f"written, {len(staleness.orphaned)} removed, {unchanged} unchanged)")
    if not _inside(folder, config.project.tests):
        console.print(f"note: {escape(shown)} is outside the tests folder ({escape(config.relative(config.project.tests))}), "
                      "so `harness test` and `supabase test db` will not run these suites")
    return int(ExitCode.PASSED)


def _require_spec(config: Config, project: Path) -> None:
    if config.source is None:
        raise HarnessError(f"no harness.toml (or [tool.harness] in pyproject.toml) in {project}: write the access "
                           "spec first (`harness init` drafts one)")
    if not config.tables:
        raise HarnessError(f"{config.source.name} has no [tables.\"schema.table\"] access spec, so there is nothing "
                           "to emit: add the tables the API exposes and what each persona may do with them")
    if not config.tenancy.roles:
        raise HarnessError(f"{config.source.name}: [tenancy] roles is empty: the suites need at least one member role")
    for name, spec in config.tables.items():
        if spec.row and re.search(r"\breturning\b", spec.row, re.IGNORECASE):
            raise HarnessError(f"{config.source.name}: [tables.\"{name}\"] row: remove RETURNING; insert probes must not "
                               "read the new row (that would test the SELECT policies instead)")


def _inside(folder: Path, parent: Path) -> bool:
    try:
        folder.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True
