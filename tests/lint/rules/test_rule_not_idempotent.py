"""not-idempotent: statements that cannot run twice, and the guards that make them safe."""

from __future__ import annotations

import pytest

UNGUARDED = [
    "create table public.t (id int);",
    "create index t_idx on public.t (id);",
    "create index on public.t (id);",
    "create sequence public.s;",
    "create schema app;",
    "create extension pgcrypto;",
    "create type public.mood as enum ('ok');",
    "create domain public.email as text;",
    "create function public.f() returns int language sql as $$ select 1 $$;",
    "create view public.v as select 1;",
    "create trigger tr before insert on public.t for each row execute function public.f();",
    "create policy p on public.t for select to authenticated using (true);",
    "create publication pub for all tables;",
    "create event trigger et on ddl_command_end execute function public.f();",
    "create role app_reader;",
    "alter table public.t add column name text;",
    "alter table public.t add constraint t_name_check check (name <> '');",
    "alter table public.t drop column name;",
    "alter table public.t rename column a to b;",
    "alter table public.t rename to u;",
    "drop table public.t;",
    "insert into public.t (id) values (1);",
    "copy public.t from stdin;",
    "alter type public.mood add value 'sad';",
    "alter publication pub add table public.t;",
]

GUARDED = [
    "create table if not exists public.t (id int);",
    "create temporary table scratch (id int);",
    "create index if not exists t_idx on public.t (id);",
    "drop index if exists public.t_idx; create index t_idx on public.t (id);",
    "create sequence if not exists public.s;",
    "create schema if not exists app;",
    "create extension if not exists pgcrypto;",
    "drop type if exists public.mood; create type public.mood as enum ('ok');",
    "drop domain if exists public.email; create domain public.email as text;",
    "create or replace function public.f() returns int language sql as $$ select 1 $$;",
    "create or replace view public.v as select 1;",
    "create or replace trigger tr before insert on public.t for each row execute function public.f();",
    "drop trigger if exists tr on public.t; create trigger tr before insert on public.t for each row execute function public.f();",
    """drop policy if exists p on public.t;
drop policy if exists q on public.t;
create policy p on public.t for select to authenticated using (true);
create policy q on public.t for select to authenticated using (true);""",
    "drop publication if exists pub; create publication pub for all tables;",
    "alter table public.t add column if not exists name text;",
    "alter table public.t drop constraint if exists t_name_check; alter table public.t add constraint t_name_check check (name <> '');",
    "alter table public.t drop column if exists name;",
    "alter table if exists public.t rename to u;",
    "drop table if exists public.t;",
    "insert into public.t (id) values (1) on conflict do nothing;",
    "insert into public.t (id) select 1 where not exists (select 1 from public.t where id = 1);",
    "alter type public.mood add value if not exists 'sad';",
    "alter publication pub set table public.t;",
    "update public.t set id = id + 0; delete from public.t where false;",
    "grant select on public.t to authenticated; comment on table public.t is 'x';",
]

DO_GUARDS = [
    """do $$ begin
  if not exists (select 1 from pg_type where typname = 'mood') then
    create type public.mood as enum ('ok');
  end if;
end $$;""",
    """do $$ begin
  if to_regclass('public.t_idx') is null then
    create index t_idx on public.t (id);
  end if;
end $$;""",
    """do $$ begin
  if not exists (select from information_schema.columns where table_name = 't' and column_name = 'x') then
    alter table public.t add column x int;
  end if;
end $$;""",
    """do $$ begin
  create role app_reader;
exception when duplicate_object then null;
end $$;""",
    """do $$ begin
  if not exists (select 1 from pg_policies where tablename = 't' and policyname = 'p') then
    execute 'create policy p on public.t for select to authenticated using (true)';
  end if;
end $$;""",
]


@pytest.mark.parametrize("sql", UNGUARDED)
def test_unguarded_statement(linter, sql):
    assert len(linter.rule("not-idempotent", sql)) == 1, sql


@pytest.mark.parametrize("sql", GUARDED)
def test_guarded_statement(linter, sql):
    assert linter.rule("not-idempotent", sql) == [], sql


@pytest.mark.parametrize("sql", DO_GUARDS)
def test_do_block_that_checks_the_catalog(linter, sql):
    assert linter.rule("not-idempotent", sql) == [], sql


def test_do_block_without_catalog_check_is_flagged_at_the_inner_line(linter):
    sql = """do $$
begin
  if current_setting('app.flag', true) = 'on' then
    create type public.mood as enum ('ok');
  end if;
end $$;"""
    [finding] = linter.rule("not-idempotent", sql)
    assert finding.line == 4


def test_drop_guard_is_per_file(linter):
    first = "drop policy if exists p on public.t;"
    second = "create policy p on public.t for select to authenticated using (true);"
    assert len(linter.rule("not-idempotent", first, second)) == 1
