"""The tenancy models people use (issue 17): for each fixture project, `harness init` recognises the
model, the spec it records (`--record`) passes the audit at rest, and a planted widening (a
`using (true)` select policy for authenticated, a dropped tenant filter) is a `leak` at the head and
an `access-widened` against the base, naming table, persona and operation."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.audit import AuditResult, audit_database
from harness.audit.diff import access_diff, diff_findings
from harness.audit.record import recorded_access
from harness.config import Config, load_config
from harness.engine.server import Server
from harness.findings import Finding
from harness.init.recognise import read_catalog, recognise
from harness.init.spec import draft_text
from harness.init.supabase_config import read_supabase_config
from harness.migrate.run import migrate_template

PROJECTS = Path(__file__).resolve().parent / "projects"


@dataclass(frozen=True)
class Model:
    folder: str
    model: str
    table: str  # where the widening is planted
    persona: str  # who gains from it
    using_true: str  # a select policy for authenticated with using (true)
    dropped_filter: str  # a policy replaced by one without its tenant filter
    dropped_operation: str = "select"


MODELS = [
    Model("a_organisation", "organisation-profile", "public.work_orders", "technician",
          'create policy "everyone reads work orders" on public.work_orders for select to authenticated using (true);',
          'drop policy "admins delete work orders" on public.work_orders;\n'
          'create policy "admins delete work orders" on public.work_orders for delete to authenticated\n'
          "  using ((select private.my_role()) = 'admin');", "delete"),
    Model("b_accounts", "accounts", "public.projects", "member",
          'create policy "anyone signed in reads projects" on public.projects for select to authenticated using (true);',
          'drop policy "account members read projects" on public.projects;\n'
          'create policy "account members read projects" on public.projects for select to authenticated\n'
          "  using (exists (select 1 from basejump.account_user))"),
    Model("c_claims", "claims", "public.posts", "viewer",
          'create policy "public posts" on public.posts for select to authenticated using (true);',
          'drop policy "moderators remove posts" on public.posts;\n'
          'create policy "moderators remove posts" on public.posts for delete to authenticated\n'
          "  using (auth.jwt() -> 'app_metadata' ->> 'groups' is not null);", "delete"),
    Model("d_user_owned", "user-owned", "public.todos", "user",
          'create policy "shared todos" on public.todos for select to authenticated using (true);',
          'drop policy "Individuals can view their own todos." on public.todos;\n'
          'create policy "Individuals can view their own todos." on public.todos for select to authenticated\n'
          "  using (auth.uid() is not null);"),
    Model("e_teams", "membership", "public.boards", "viewer",
          'create policy "boards are public" on public.boards for select to authenticated using (true);',
          'drop policy "owners delete boards" on public.boards;\n'
          'create policy "owners delete boards" on public.boards for delete to authenticated\n'
          "  using (exists (select 1 from public.team_members m where m.user_id = auth.uid() and m.role = 'owner'));",
          "delete"),
]


def _audit(server: Server, template: str, config: Config) -> AuditResult:
    with server.scratch_database(template, "t") as database:
        return audit_database(lambda: server.connect(database), config, lambda _: None)


def _migrated(server: Server, root: Path) -> str:
    migration = migrate_template(server, load_config(root))
    assert migration.template, [f.message for f in migration.findings]
    return migration.template


@dataclass
class Recorded:
    root: Path
    config: Config
    model: str | None
    text: str
    base: AuditResult


@pytest.fixture(scope="module", params=MODELS, ids=[m.folder for m in MODELS])
def recorded(request: pytest.FixtureRequest, pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Any:
    model: Model = request.param
    root = tmp_path_factory.mktemp(model.folder) / "project"
    shutil.copytree(PROJECTS / model.folder, root)
    template = _migrated(pg_server, root)
    try:
        with pg_server.connect(template) as conn:
            tables = read_catalog(conn)
        found = recognise(tables)
        schemas = read_supabase_config(root).api_schemas
        (root / "harness.toml").write_text(draft_text(tables, found, schemas), encoding="utf-8")
        observed = _audit(pg_server, template, load_config(root))
        recorded, notes = recorded_access(observed.details, load_config(root).personas)
        text = draft_text(tables, found, schemas, recorded, notes)
        (root / "harness.toml").write_text(text, encoding="utf-8")
        config = load_config(root)
        yield model, Recorded(root, config, found.model, text, _audit(pg_server, template, config))
    finally:
        pg_server.drop_database(template)


def _failing(findings: list[Finding]) -> list[str]:
    return [f"{f.rule} {f.table} {f.persona} {f.operation}: {f.message}" for f in findings if f.severity.fails_gate]


def test_init_recognises_the_model(recorded: tuple[Model, Recorded]) -> None:
    model, result = recorded
    assert result.model == model.model
    assert "observed — review" in result.text
    assert model.table in result.config.tables and result.config.tables[model.table].access


def test_the_recorded_spec_passes_at_rest(recorded: tuple[Model, Recorded]) -> None:
    _, result = recorded
    assert not _failing(result.base.findings), _failing(result.base.findings)


@pytest.mark.parametrize("widening", ["using_true", "dropped_filter"])
def test_a_planted_widening_is_a_leak_and_access_widened(recorded: tuple[Model, Recorded], pg_server: Server,
                                                         widening: str) -> None:
    model, result = recorded
    operation = "select" if widening == "using_true" else model.dropped_operation
    name = "20991231000000_widen.sql"
    planted = result.root / "supabase" / "migrations" / name
    planted.write_text(getattr(model, widening) + "\n", encoding="utf-8")
    try:
        template = _migrated(pg_server, result.root)
    finally:
        planted.unlink()
    try:
        head = _audit(pg_server, template, result.config)
    finally:
        pg_server.drop_database(template)
    leaks = [f for f in head.findings if f.rule == "leak" and f.table == model.table and f.operation == operation]
    assert any(f.persona == model.persona for f in leaks) or (operation == "delete" and leaks), \
        _failing(head.findings)
    changes = access_diff(result.base.details, head.details, {f"supabase/migrations/{name}": planted.name})
    widened = [f for f in diff_findings(changes) if f.rule == "access-widened"]
    assert any(f.table == model.table and f.operation == operation for f in widened), changes
    assert all(f.file == f"supabase/migrations/{name}" for f in widened)
    assert not [f for f in diff_findings(changes) if f.rule == "access-narrowed"]


def test_audit_diff_reports_and_renders_the_widening(pg_server: Server, tmp_path: Path) -> None:
    """The diff runner audits base and head side by side; the text grid and the HTML page show it."""
    import io

    from rich.console import Console

    from harness.audit.diff import audit_diff
    from harness.report.audit_html import render_audit_html
    from harness.report.audit_text import render_section
    from harness.report.model import Report

    model = next(m for m in MODELS if m.folder == "d_user_owned")
    root = tmp_path / "project"
    shutil.copytree(PROJECTS / model.folder, root)
    (root / "harness.toml").write_text(
        '[tenancy]\ntenant = ""\nmember = ""\nroles = ["user"]\n[tables."public.todos"]\n'
        "row = \"insert into public.todos (user_id) values ('{user}')\"\nowner = \"user_id\"\n"
        '[tables."public.todos".access]\nuser = { all = "own" }\n', encoding="utf-8")
    config = load_config(root)
    base = _migrated(pg_server, root)
    name = "supabase/migrations/20991231000000_widen.sql"
    new_table = "create table public.labels (id bigint primary key, user_id uuid references auth.users (id));\n"
    (root / name).write_text(model.using_true + "\n" + new_table, encoding="utf-8")
    (root / "harness.toml").write_text((root / "harness.toml").read_text() + (  # a table the change creates
        '[tables."public.labels"]\nowner = "user_id"\n'), encoding="utf-8")
    config = load_config(root)
    head = _migrated(pg_server, root)
    try:
        findings, details = audit_diff(pg_server, base, head, config, {name: model.using_true})
    finally:
        pg_server.drop_database(base)
        pg_server.drop_database(head)
    widened_rows = {f.evidence["persona_row"] for f in findings if f.rule == "access-widened"}
    assert "user" in widened_rows and not [f for f in findings if f.rule == "access-narrowed"]
    [widened] = [f for f in findings if f.rule == "access-widened" and f.evidence["persona_row"] == "user"]
    assert (widened.table, widened.persona, widened.operation, widened.file) == ("public.todos", "user", "select", name)
    assert widened.evidence["before"] == "own" and widened.evidence["after"] in ("all", "tenant")
    report = Report(command="audit")
    report.extend(findings)
    report.details["audit"] = details
    out = io.StringIO()
    render_section(report, Console(file=out, width=200), verbose=False)
    assert "Access diff (base → head)" in out.getvalue() and "own → " in out.getvalue()
    page = render_audit_html(report)
    assert 'id="diff"' in page and 'data-widened="true"' in page
