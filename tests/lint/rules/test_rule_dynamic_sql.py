"""dynamic-sql: what the linter cannot read is said, literal strings are read."""

from __future__ import annotations


def test_execute_format(linter):
    sql = """do $$
declare t text;
begin
  for t in select tablename from pg_tables where schemaname = 'public' loop
    execute format('alter table public.%I enable row level security', t);
  end loop;
end $$;"""
    [finding] = linter.rule("dynamic-sql", sql)
    assert finding.line == 5 and "format(" in finding.message


def test_literal_execute_is_read(linter):
    sql = "do $$ begin execute 'create index if not exists a_idx on public.a ' || '(id)'; end $$;"
    assert linter.rule("dynamic-sql", sql) == []


def test_function_bodies_run_later_and_are_not_reported(linter):
    sql = """create or replace function public.f(t text) returns void language plpgsql as $$
begin
  execute format('truncate %I', t);
end $$;"""
    assert linter.rule("dynamic-sql", sql) == []
