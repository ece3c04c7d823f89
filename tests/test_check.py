"""`harness check`: the gate passes on a sound project and fails (exit 1) when any single check fails."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.every_major  # run on PostgreSQL 15 and 17 (Makefile: test)

MIGRATION = """
create table if not exists public.teams (id uuid primary key, name text not null);
alter table public.teams enable row level security;
comment on table public.teams is 'Tenants.';
create table if not exists public.members (
  id uuid primary key references auth.users (id) on delete cascade,
  team_id uuid not null references public.teams (id),
  role text not null check (role in ('member', 'lead'))
);
alter table public.members enable row level security;
comment on table public.members is 'Who belongs to which team.';
create index if not exists members_team_id_idx on public.members (team_id);
create table if not exists public.notes (
  id uuid primary key default gen_random_uuid(),
  author uuid not null references public.members (id) on delete cascade,
  body text not null default ''
);
alter table public.notes enable row level security;
comment on table public.notes is 'Notes members write.';
create index if not exists notes_author_idx on public.notes (author);
create or replace function public.my_team() returns uuid language sql stable security definer
  set search_path = '' as $$ select team_id from public.members where id = (select auth.uid()) $$;
revoke execute on function public.my_team() from public, anon;
drop policy if exists "own notes" on public.notes;
create policy "own notes" on public.notes for all to authenticated
  using (author = (select auth.uid())) with check (author = (select auth.uid()));
"""

CONFIG = """
[tenancy]
tenant = "insert into public.teams (id, name) values ('{tenant}', 'team')"
member = "insert into public.members (id, team_id, role) values ('{user}', '{tenant}', '{role}')"
roles = ["member", "lead"]

[tables."public.notes"]
row = "insert into public.notes (author) values ('{user}')"
owner = "author"

[tables."public.notes".access]
member = { all = "own" }
lead = { all = "own" }

[[explain]]
name = "my notes"
as = "member"
rows = 0
query = "select id from public.notes"
max_ms = 1000
"""

SUITE = """
begin;
select plan(1);
select has_table('public', 'notes', 'notes exists');
select * from finish();
rollback;
"""

BROKEN = {
    "lint": ({"add_notes_index.sql": "select 1;"}, None, None),
    "migrate": ({"20260102000000_counter.sql": "create table if not exists public.counters (name text primary key, n int);\n"
                                               "alter table public.counters enable row level security;\n"
                                               "insert into public.counters values ('runs', 0) on conflict do nothing;\n"
                                               "update public.counters set n = n + 1;"}, None, None),
    "test": ({}, "select plan(1);\nselect ok(false, 'a failing assertion');", None),
    "audit": ({"20260102000000_open.sql": 'drop policy if exists "everyone reads" on public.notes;\n'
                                          'create policy "everyone reads" on public.notes for select to authenticated '
                                          "using ((select auth.uid()) is not null);"}, None, None),
    "explain": ({}, None, "max_ms = 1000\n"),
}


def _project(root: Path, extra_migrations: dict[str, str], suite: str | None, explain_budget: str | None) -> Path:
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    (root / "supabase" / "config.toml").write_text("[api]\nauto_expose_new_tables = true\n")  # pre-2026 grants
    (migrations / "20260101000000_notes.sql").write_text(MIGRATION)
    for name, sql in extra_migrations.items():
        (migrations / name).write_text(sql)
    tests = root / "supabase" / "tests"
    tests.mkdir(parents=True)
    body = SUITE if suite is None else f"begin;\n{suite}\nselect * from finish();\nrollback;\n"
    (tests / "notes.test.sql").write_text(body)
    config = CONFIG if explain_budget is None else CONFIG.replace("max_ms = 1000\n", "max_ms = 0.000001\n")
    (root / "harness.toml").write_text(config)
    return root


def _check(root: Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = subprocess.run([sys.executable, "-m", "harness", "check", "--project", str(root), "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_a_sound_project_passes_the_gate(tmp_path: Path) -> None:
    code, report = _check(_project(tmp_path, {}, None, None))
    failing = [f for f in report["findings"] if f["severity"] in ("error", "critical")]
    assert code == 0, failing
    assert report["summary"]["tests"] == {"passed": 1, "failed": 0}


@pytest.mark.parametrize("check", sorted(BROKEN))
def test_one_failing_check_fails_the_gate(tmp_path: Path, check: str) -> None:
    migrations, suite, budget = BROKEN[check]
    code, report = _check(_project(tmp_path, migrations, suite, budget))
    assert code == 1
    assert report["ok"] is False
    failing = {f["check"] for f in report["findings"] if f["severity"] in ("error", "critical")}
    if check == "test":
        assert report["summary"]["tests"]["failed"] == 1
    else:
        assert check in failing, report["findings"]


def test_skip_and_only_choose_the_checks(tmp_path: Path) -> None:
    root = _project(tmp_path, {}, "select plan(1);\nselect ok(false, 'a failing assertion');", None)
    result = subprocess.run([sys.executable, "-m", "harness", "check", "--project", str(root), "--format", "json",
                             "--skip", "test", "--skip", "explain"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["summary"]["tests"] == {"passed": 0, "failed": 0}
    assert set(report["timings"]) >= {"lint", "migrate", "audit"} and "test" not in report["timings"]
    only = subprocess.run([sys.executable, "-m", "harness", "check", "--project", str(root), "--only", "lint"],
                          capture_output=True, text=True, timeout=300)
    assert only.returncode == 0, only.stdout
    wrong = subprocess.run([sys.executable, "-m", "harness", "check", "--project", str(root), "--only", "tests"],
                           capture_output=True, text=True, timeout=300)
    assert wrong.returncode == 2 and "unknown check 'tests'" in wrong.stderr
