"""Migrations: ordering, errors at file:line, apply-twice, and the dynamic foreign-policy check."""

from __future__ import annotations

import pytest

from harness.config import load_config
from harness.engine.server import Server
from harness.findings import Finding, HarnessError
from harness.migrate.run import run_migrate

BASE = """
create table if not exists public.orgs (id uuid primary key default gen_random_uuid(), name text not null);
alter table public.orgs enable row level security;
create or replace function public.my_org() returns uuid language sql stable security definer
  set search_path = '' as $$ select null::uuid $$;
drop policy if exists "members read" on public.orgs;
create policy "members read" on public.orgs for select to authenticated using (id = (select public.my_org()));
"""


def _run(server: Server, root) -> list[Finding]:  # type: ignore[no-untyped-def]
    return run_migrate(server, load_config(root)).findings


def _rules(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return sorted((f.rule, f.file) for f in findings)


def test_files_apply_in_version_order_and_are_recorded(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({
        "20260102000000_a_second.sql": "insert into public.log (step) values (2) on conflict do nothing;",
        "20260101000000_z_first.sql": "create table if not exists public.log (step int primary key);\n"
                                      "alter table public.log enable row level security;\n"
                                      "insert into public.log (step) values (1) on conflict do nothing;",
    })
    result = run_migrate(pg_server, load_config(root))
    assert result.findings == []
    with pg_server.connect(result.template) as conn:  # type: ignore[arg-type]
        assert conn.execute("select array_agg(step order by step) from public.log").fetchone()[0] == [1, 2]
        rows = conn.execute("select version, name, array_length(statements, 1) from "
                            "supabase_migrations.schema_migrations order by version").fetchall()
    assert rows == [("20260101000000", "z_first", 3), ("20260102000000", "a_second", 1)]


def test_a_failing_statement_is_reported_at_file_line_and_column(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({
        "20260101000000_ok.sql": "create table if not exists public.t (id int primary key);\n",
        "20260102000000_broken.sql": "-- adds a column\n"
                                     "alter table public.t add column if not exists n int;\n"
                                     "\n"
                                     "update public.t\n"
                                     "   set missing_column = 1;\n",
        "20260103000000_never.sql": "create table if not exists public.never (id int);",
    })
    findings = _run(pg_server, root)
    assert len(findings) == 1
    error = findings[0]
    assert (error.check, error.rule, error.severity.value) == ("migrate", "migration-error", "error")
    assert error.file == "supabase/migrations/20260102000000_broken.sql"
    assert (error.line, error.column) == (5, 8)
    assert 'column "missing_column" of relation "t" does not exist' in error.message
    assert error.evidence["sqlstate"] == "42703"


def test_syntax_errors_point_at_the_token(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_typo.sql": "create table if not exists public.t (id int);\n"
                                                    "create polciy p on public.t using (true);\n"})
    [error] = _run(pg_server, root)
    assert (error.rule, error.line, error.column) == ("migration-error", 2, 8)
    assert "syntax error" in error.message


def test_error_inside_a_do_block_carries_plpgsql_context(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_do.sql": "select 1;\n\ndo $$\nbegin\n  perform 1 / 0;\nend\n$$;\n"})
    [error] = _run(pg_server, root)
    assert error.line == 3 and "division by zero" in error.message
    assert "PL/pgSQL" in (error.evidence["context"] or "")


def test_badly_named_files_are_findings_not_crashes(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_ok.sql": "select 1;", "add_things.sql": "select 2;"})
    findings = _run(pg_server, root)
    assert [(f.rule, f.file) for f in findings] == [("filename", "supabase/migrations/add_things.sql")]


def test_no_migrations_is_a_usage_error(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({})
    with pytest.raises(HarnessError, match="no migrations found in supabase/migrations"):
        _run(pg_server, root)


def test_an_idempotent_history_passes(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({
        "20260101000000_base.sql": BASE,
        "20260102000000_more.sql": """
            create table if not exists public.items (id uuid primary key, org uuid references public.orgs);
            alter table public.items enable row level security;
            alter table public.items add column if not exists label text;
            create index if not exists items_org on public.items (org);
            drop policy if exists "org items" on public.items;
            -- reading another table in a policy is not touching its policies
            create policy "org items" on public.items for select to authenticated
              using (org in (select id from public.orgs where id = (select public.my_org())));
            insert into public.orgs (id, name) values ('00000000-0000-0000-0000-000000000001', 'seed')
              on conflict (id) do nothing;
            do $$ begin
              if not exists (select 1 from pg_type where typname = 'colour') then
                create type public.colour as enum ('red', 'green');
              end if;
            end $$;
        """,
    })
    assert _run(pg_server, root) == []


NOT_IDEMPOTENT = {
    "create table": ("create table public.x (id int);", "relation \"x\" already exists"),
    "create policy": ("create table if not exists public.x (id int);\nalter table public.x enable row level security;\n"
                      "create policy p on public.x for select to authenticated using (true);", "policy \"p\""),
    "create trigger": ("create table if not exists public.x (id int);\n"
                       "create or replace function public.f() returns trigger language plpgsql as $$ begin return new; end $$;\n"
                       "create trigger trg before insert on public.x for each row execute function public.f();",
                       "trigger \"trg\""),
    "create index": ("create table if not exists public.x (id int);\ncreate index x_id on public.x (id);",
                     "relation \"x_id\" already exists"),
    "add column": ("create table if not exists public.x (id int);\nalter table public.x add column n int;",
                   "column \"n\" of relation \"x\" already exists"),
}


@pytest.mark.parametrize("kind", sorted(NOT_IDEMPOTENT))
def test_statements_that_fail_the_second_time_are_caught(pg_server: Server, make_project, kind: str) -> None:  # type: ignore[no-untyped-def]
    sql, message = NOT_IDEMPOTENT[kind]
    root = make_project({"20260101000000_m.sql": sql})
    [finding] = _run(pg_server, root)
    assert (finding.check, finding.rule) == ("migrate", "not-idempotent")
    assert finding.file == "supabase/migrations/20260101000000_m.sql" and finding.line is not None
    assert message in finding.message and "second time" in finding.message


def test_a_seed_insert_without_on_conflict_is_caught(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_m.sql": "create table if not exists public.colours (name text);\n"
                                                 "insert into public.colours values ('red'), ('green');"})
    [finding] = _run(pg_server, root)
    assert finding.rule == "not-idempotent" and finding.table == "public.colours"
    assert "2 rows more (2 -> 4)" in finding.message
    assert finding.file == "supabase/migrations/20260101000000_m.sql"


def test_a_backfill_that_changes_contents_is_caught(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({
        "20260101000000_t.sql": "create table if not exists public.prices (id int primary key, cents int);\n"
                                "insert into public.prices values (1, 100) on conflict do nothing;",
        "20260102000000_backfill.sql": "update public.prices set cents = cents * 2;",
    })
    [finding] = _run(pg_server, root)
    assert finding.rule == "not-idempotent" and finding.table == "public.prices"
    assert "same count, different contents" in finding.message
    assert finding.file == "supabase/migrations/20260102000000_backfill.sql"


def test_a_history_that_ends_in_the_same_state_is_idempotent(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    # The first file sets a default the second one changes; applied again, the end state is the same.
    root = make_project({
        "20260101000000_t.sql": "create table if not exists public.t (id int, n int default 1);\n"
                                "alter table public.t alter column n set default 1;",
        "20260102000000_c.sql": "alter table public.t alter column n set default 2;\n"
                                "comment on table public.t is 'v2';",
    })
    assert _run(pg_server, root) == []  # the end state is the same both times: idempotent


FOREIGN = {
    "drop policy": 'drop policy "members read" on public.orgs;',
    "alter policy": 'alter policy "members read" on public.orgs using (true);',
    "add policy": 'create policy "everyone" on public.orgs for select to anon using (true);',
    "disable rls": "alter table public.orgs disable row level security;",
    "force rls": "alter table public.orgs force row level security;",
    "redefine function": "create or replace function public.my_org() returns uuid language sql stable security definer "
                         "set search_path = '' as $$ select '00000000-0000-0000-0000-000000000001'::uuid $$;",
    "inside a do block": "do $$ begin execute 'drop policy \"members read\" on public.orgs'; end $$;",
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_touching_an_older_tables_policies_is_caught(pg_server: Server, make_project, kind: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_base.sql": BASE, "20260102000000_later.sql": FOREIGN[kind]})
    findings = [f for f in _run(pg_server, root) if f.rule == "foreign-policy"]
    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding.check == "migrate" and finding.severity.value == "error"
    assert finding.file == "supabase/migrations/20260102000000_later.sql"
    assert finding.table == "public.orgs"
    assert "created by supabase/migrations/20260101000000_base.sql" in finding.message


def test_a_file_may_change_the_policies_of_its_own_tables(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_base.sql": BASE + 'drop policy "members read" on public.orgs;\n'
                                                           "alter table public.orgs force row level security;"})
    assert _run(pg_server, root) == []


def test_a_suppressed_statement_waives_its_table_for_the_dynamic_check(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    later = """
        -- harness: ignore foreign-policy storage.objects is the platform's table; bucket policies live here
        drop policy if exists "own files" on storage.objects;
        -- harness: ignore foreign-policy the same, inside a DO block
        do $$ begin
          execute 'create policy "own files" on storage.objects for select to authenticated using (owner = (select auth.uid()))';
        end $$;
        alter table public.orgs force row level security;
    """
    root = make_project({"20260101000000_base.sql": BASE, "20260102000000_later.sql": later})
    findings = [f for f in _run(pg_server, root) if f.rule == "foreign-policy"]
    assert [(f.table, f.file) for f in findings] == [("public.orgs", "supabase/migrations/20260102000000_later.sql")]


def test_ignore_file_waives_every_table(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    later = "-- harness: ignore-file foreign-policy the security team rewrote these on purpose\n" + FOREIGN["drop policy"]
    root = make_project({"20260101000000_base.sql": BASE, "20260102000000_later.sql": later})
    assert [f for f in _run(pg_server, root) if f.rule == "foreign-policy"] == []


def test_the_failing_statement_is_placed_by_the_parser_not_by_its_text(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    # The failing statement's text also occurs earlier, inside a function body.
    root = make_project({"20260101000000_m.sql": "create or replace function public.g() returns void language plpgsql\n"
                                                 "  as $$ begin insert into public.missing values (1); end $$;\n"
                                                 "\n"
                                                 "insert into public.missing values (1);\n"})
    [error] = _run(pg_server, root)
    assert (error.rule, error.line) == ("migration-error", 4)
    assert 'relation "public.missing" does not exist' in error.message
