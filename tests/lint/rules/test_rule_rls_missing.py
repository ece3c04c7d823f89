"""rls-missing: API tables created without enabling RLS in the same migration."""

from __future__ import annotations


def test_table_without_rls(linter):
    [finding] = linter.rule("rls-missing", "create table if not exists public.notes (id uuid primary key);")
    assert finding.table == "public.notes" and finding.line == 1


def test_rls_enabled_later_in_the_same_file(linter):
    sql = "create table if not exists notes (id uuid primary key);\nalter table notes enable row level security;"
    assert linter.rule("rls-missing", sql) == []


def test_rls_enabled_only_in_a_later_migration(linter):
    first = "create table if not exists public.notes (id uuid primary key);"
    second = "alter table public.notes enable row level security;"
    assert [f.file for f in linter.rule("rls-missing", first, second)] == ["supabase/migrations/20240101000001_m1.sql"]


def test_partitions_need_their_own_rls(linter):
    sql = """
create table if not exists public.log (at timestamptz not null) partition by range (at);
alter table public.log enable row level security;
create table if not exists public.log_2024 partition of public.log for values from ('2024-01-01') to ('2025-01-01');
"""
    [finding] = linter.rule("rls-missing", sql)
    assert finding.table == "public.log_2024"


def test_tables_outside_api_schemas_and_temporary_tables(linter):
    sql = "create table if not exists private.secrets (id int);\ncreate temp table scratch (id int);"
    assert linter.rule("rls-missing", sql) == []


def test_rls_enabled_inside_a_do_block(linter):
    sql = """create table if not exists public.notes (id uuid primary key);
do $$ begin execute 'alter table public.notes enable row level security'; end $$;"""
    assert linter.rule("rls-missing", sql) == []
