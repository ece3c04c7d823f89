"""`harness init`: a harness.toml drafted from the migrated catalog (harness.init.recognise: the
tenancy model; harness.init.spec: the file). `--record` also writes the access every persona has
today as the spec, from an audit of the draft (harness.audit.record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from harness.config import ConfigError, load_config
from harness.findings import HarnessError
from harness.init.recognise import Recognised, read_catalog, recognise
from harness.init.spec import draft_text
from harness.init.supabase_config import read_supabase_config
from harness.options import EngineOptions
from harness.workspace import Workspace


@dataclass
class InitResult:
    path: Path
    recognised: Recognised
    recorded: bool = False
    notes: list[str] = field(default_factory=list)


def init_project(project: Path, options: EngineOptions, progress: Callable[[str], None],
                 record: bool = False) -> InitResult:
    """Write <project>/harness.toml (never over an existing one)."""
    target = project / "harness.toml"
    if target.exists():
        raise HarnessError(f"{target} exists already; move it away to draft a new one")
    supabase = read_supabase_config(project)
    config = load_config(project)
    with Workspace(config, options, progress) as workspace:
        migration = workspace.migration
        if migration.template is None:
            problems = "; ".join(f"{f.location}: {f.message}" for f in migration.findings if f.severity.fails_gate)
            raise HarnessError(f"the migrations do not apply, so there is nothing to read: {problems}")
        with workspace.server.connect(migration.template) as conn:
            tables = read_catalog(conn)
            server_major = conn.info.server_version // 10000
        found = recognise(tables)
        notes = []
        if supabase.major_version and supabase.major_version != server_major:
            notes.append(f"supabase/config.toml says PostgreSQL {supabase.major_version}; this draft was read "
                         f"on {server_major} (--pg-bin chooses the server)")
        text = draft_text(tables, found, supabase.api_schemas, notes=notes)
        result = InitResult(target, found, notes=notes)
        if record:
            text = _record(workspace, project, target, text, tables, found, supabase.api_schemas, notes, progress)
            result.recorded = True
        text = with_baseline(text, max((m.version for m in migration.migrations), default=None))
    target.write_text(text, encoding="utf-8")
    try:
        load_config(project)  # the draft must be a valid configuration
    except ConfigError as exc:
        raise HarnessError(f"the drafted {target.name} is not valid ({exc}); please report this") from None
    return result


def with_baseline(text: str, newest: str | None) -> str:
    """A project with history adopts the gate on its next change: everything up to `newest` shipped."""
    if newest is None:
        return text
    line = ("# Every migration up to this version has shipped: the gate judges only newer ones "
            f"(--whole-history: all).\nbaseline = \"{newest}\"\n")
    return text.replace("[project]\n", "[project]\n" + line, 1)


def _record(workspace: Workspace, project: Path, target: Path, draft: str, tables: list, found: Recognised,
            api_schemas: tuple[str, ...], notes: list[str], progress: Callable[[str], None]) -> str:
    """Audit the draft (no access spec: every cell is observed) and write what was observed."""
    from harness.audit import audit_database
    from harness.audit.record import recorded_access

    target.write_text(draft, encoding="utf-8")
    try:
        drafted = load_config(project)
        template = workspace.test_template()
        assert template is not None
        server = workspace.server
        progress("recording the access every persona has today")
        with server.scratch_database(template, "record") as database:
            result = audit_database(lambda: server.connect(database), drafted, progress)
    finally:
        target.unlink()
    recorded, cell_notes = recorded_access(result.details, drafted.personas)
    return draft_text(tables, found, api_schemas, recorded, notes + cell_notes)
