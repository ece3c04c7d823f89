"""The gate on an existing project: shipped history is context, the change set is judged."""

from __future__ import annotations

import json
from pathlib import Path

from git_repo import MIGRATIONS, TASKS, Repo, make_repo
from harness.catalog import run_catalog
from harness.changeset import ChangeSelection, change_set_for
from harness.config import load_config
from harness.engine.server import Server
from harness.findings import Finding
from harness.migrate.run import check_idempotency, migrate_template
from harness.review import mark_pre_existing

SUITE = """begin;
select plan(2);
select has_table('public', 'projects', 'projects exist');
select policies_are('public', 'projects', array['members read projects', 'members write projects']);
select * from finish();
rollback;
"""

# Catalog findings: a lookup table anyone signed in can read with RLS off (rls-disabled, critical).
OPEN_TABLE = """create table if not exists public.{name} (code text primary key);
grant select on public.{name} to authenticated;
"""


def migrate(server: Server, repo: Repo, base: str) -> tuple[list[Finding], object]:
    config = load_config(repo.root)
    change_set = change_set_for(config, ChangeSelection(base=base))
    result = migrate_template(server, config, change_set=change_set)
    findings = result.findings + check_idempotency(server, config, result)
    return findings, result


def test_all_shipped_history_passes_the_gate_whatever_it_looks_like(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "p", tests={"database/projects.test.sql": SUITE})
    whole = repo.harness("check", "--whole-history", "--format", "json")
    assert whole.returncode == 1, whole.stderr  # the history itself is not idempotent, and more
    shipped = repo.harness("check", "--base", "HEAD", "--format", "json")
    assert shipped.returncode == 0, shipped.stdout + shipped.stderr
    report = json.loads(shipped.stdout)
    assert report["summary"]["tests"] == {"passed": 2, "failed": 0}
    assert report["change_set"]["files"] == [] and report["change_set"]["shipped_findings"] > 0
    assert not [f for f in report["findings"] if f["severity"] in ("error", "critical") and not f["pre_existing"]]


def test_a_pull_request_is_judged_on_its_own_migration(repo: Repo) -> None:
    added = repo.write("20240501100000_tasks.sql", TASKS)
    repo.commit("tasks")
    result = repo.harness("check", "--base", "main", "--format", "json", "--skip", "explain")
    report = json.loads(result.stdout)
    assert report["change_set"]["files"] == [added]
    assert report["change_set"]["base"].startswith("main (")
    named = {f["file"] for f in report["findings"] if f["check"] in ("lint", "migrate") and f["file"]}
    assert named <= {added}, named
    assert result.returncode == 0, [f for f in report["findings"] if f["severity"] in ("error", "critical")]
    text = repo.harness("lint", "--base", "main")
    assert text.stdout.splitlines()[0].startswith("1 migration since main (")
    assert "20240501100000_tasks.sql" in text.stdout.splitlines()[0]


def test_editing_a_shipped_migration_is_reported(pg_server: Server, repo: Repo) -> None:
    added = repo.write("20240501100000_tasks.sql", TASKS)
    edited = f"{MIGRATIONS}/20240301120000_projects.sql"
    with open(repo.root / edited, "a", encoding="utf-8") as handle:
        handle.write("alter table public.projects add column if not exists archived boolean;\n")
    early = repo.write("20240401000000_early.sql", "select 1;\n")
    findings, _ = migrate(pg_server, repo, "main")
    assert [(f.rule, f.file) for f in findings if f.rule == "shipped-migration-edited"] == [("shipped-migration-edited", edited)]
    assert [f.file for f in findings if f.rule == "migration-order"] == [early]
    assert {f.file for f in findings} <= {edited, early, added}


def test_apply_twice_and_foreign_policy_judge_the_change_set_on_top_of_the_base(pg_server: Server, repo: Repo) -> None:
    repo.write("20240501100000_tasks.sql", TASKS)
    repo.write("20240502000000_storage_and_projects.sql", """\
drop policy if exists "users delete their avatars" on storage.objects;
create policy "users delete their avatars" on storage.objects for delete to authenticated
  using (bucket_id = 'avatars' and owner = (select auth.uid()));
drop policy if exists "members write projects" on public.projects;
create policy "members write projects" on public.projects for insert to authenticated with check (true);
drop policy if exists "members update tasks" on public.tasks;
create policy "members update tasks" on public.tasks for update to authenticated using (true);
""")
    findings, result = migrate(pg_server, repo, "main")
    foreign = [(f.table, f.evidence.get("object")) for f in findings if f.rule == "foreign-policy"]
    # public.projects shipped: foreign. public.tasks is the change set's own; a new storage policy is the pattern.
    assert foreign == [("public.projects", "policy members write projects")]
    assert [f for f in findings if f.rule == "not-idempotent"] == []  # the shipped files are never applied twice
    assert len(result.reviewed) == 2  # type: ignore[attr-defined]


def test_catalog_findings_that_exist_at_the_base_are_pre_existing(pg_server: Server, repo: Repo) -> None:
    repo.write("20240420000000_countries.sql", OPEN_TABLE.format(name="countries"))
    repo.commit("an open lookup table, shipped")
    repo.git("checkout", "-q", "-b", "pr2")
    repo.write("20240501000000_currencies.sql", OPEN_TABLE.format(name="currencies"))
    _, result = migrate(pg_server, repo, "pr")
    with pg_server.connect(result.template) as conn:  # type: ignore[attr-defined]
        head = run_catalog(conn, ("public",))
    marked = {f.table: f.pre_existing for f in mark_pre_existing(head, result.base_findings) if f.rule == "rls-disabled"}  # type: ignore[attr-defined]
    assert marked == {"public.countries": True, "public.currencies": False}
    audit = json.loads(repo.harness("audit", "--base", "pr", "--format", "json").stdout)
    assert audit["exit_code"] == 1
    assert {(f["table"], f["pre_existing"]) for f in audit["findings"] if f["rule"] == "rls-disabled"} == {
        ("public.countries", True), ("public.currencies", False)}
    repo.git("checkout", "-q", "--", ".")
    (repo.root / MIGRATIONS / "20240501000000_currencies.sql").unlink()
    clean = repo.harness("audit", "--base", "pr", "--format", "json")
    assert clean.returncode == 0, clean.stdout  # the pre-existing critical does not fail the gate


def test_harness_test_exits_on_what_it_tests(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "p", tests={"database/projects.test.sql": SUITE})
    result = repo.harness("test", "--whole-history", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0, report["findings"]
    assert report["summary"]["tests"] == {"passed": 2, "failed": 0}
    assert all(f["check"] == "test" or f["rule"] == "migration-error" for f in report["findings"])
