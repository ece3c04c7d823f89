"""A small project to mutate (notes, one owner each) and the subject with a weak suite, both built in tmp."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.checks.runner import run_command
from harness.context import CheckArgs, MutateArgs
from harness.options import Common
from harness.report.model import Report
from harness.workspace import EngineOptions

REPO = Path(__file__).resolve().parents[2]

NOTES = {
    # A project from before 2026: new tables in public are granted to the API roles by default.
    "supabase/config.toml": """
        [api]
        auto_expose_new_tables = true
        """,
    "supabase/migrations/20260101000000_notes.sql": """
        create table if not exists public.notes (
          id bigint generated always as identity primary key,
          owner uuid not null references auth.users (id) on delete cascade,
          body text not null check (length(body) > 0),
          pinned boolean not null default false,
          created_at timestamptz not null default now()
        );
        alter table public.notes enable row level security;

        drop policy if exists "owners read their notes" on public.notes;
        create policy "owners read their notes" on public.notes
          for select to authenticated using (owner = (select auth.uid()));

        -- harness: equivalent drop-index the table stays tiny; no query depends on this index
        create index if not exists notes_owner_idx on public.notes (owner);
        """,
    "supabase/migrations/20260101000001_comment.sql": """
        comment on policy "owners read their notes" on public.notes is 'Owners only.';
        """,
    "supabase/seed.sql": """
        insert into auth.users (id, email) values ('00000000-0000-4000-8000-00000000000a', 'seed@example.com');
        insert into public.notes (owner, body) values ('00000000-0000-4000-8000-00000000000a', 'seeded');
        """,
    "supabase/tests/database/visibility.test.sql": """
        begin;
        select plan(2);
        select tests.create_supabase_user('alice');
        select tests.create_supabase_user('bob');
        insert into public.notes (owner, body)
        values (tests.get_supabase_uid('alice'), 'for alice'), (tests.get_supabase_uid('bob'), 'for bob');
        select tests.authenticate_as('alice');
        select results_eq($$ select body from public.notes $$, array['for alice'], 'alice sees her own note only');
        reset role;
        select throws_ok($$ insert into public.notes (owner, body) values (tests.get_supabase_uid('alice'), '') $$,
          '23514', null, 'an empty note is rejected');
        select * from finish();
        rollback;
        """,
    "supabase/tests/database/twice.test.sql": """
        -- applies the migration again, from disk: a mutant must see its own file here
        begin;
        select plan(1);
        \\ir ../../migrations/20260101000000_notes.sql
        select pass('the migration runs twice');
        select * from finish();
        rollback;
        """,
}

Write = Callable[[dict[str, str]], Path]


def write_project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def mutate(project: Path, *, operators: list[str] | None = None, with_audit: bool = False,
           min_score: float | None = None, jobs: int = 4) -> Report:
    common = Common(project, "json", None, EngineOptions(), False)
    return run_command(common, ("mutate",), "mutate", CheckArgs(jobs=jobs, mutate=MutateArgs(min_score, with_audit, operators)))


def weak_subject(root: Path, keep: tuple[str, ...] = ("06_status_check.test.sql", "07_updated_at_trigger.test.sql")) -> Path:
    """The subject with most of its assertions gone: only the suites in `keep` are left."""
    shutil.copytree(REPO / "supabase", root / "supabase")
    shutil.copy(REPO / "harness.toml", root / "harness.toml")
    tests = root / "supabase" / "tests" / "database"
    for path in sorted(tests.rglob("*.sql")):
        if path.name not in keep:
            path.unlink()
    return root


@pytest.fixture(scope="module")
def notes_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return mutate(write_project(tmp_path_factory.mktemp("notes"), NOTES), min_score=90)
