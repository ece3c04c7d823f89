"""rls-after-data: rows inserted before RLS is enabled."""

from __future__ import annotations


def test_insert_before_enable_in_the_same_file_is_one_transaction(linter):
    sql = """create table if not exists public.kinds (code text primary key);
insert into public.kinds values ('a') on conflict do nothing;
alter table public.kinds enable row level security;"""
    assert linter.rule("rls-after-data", sql) == []


def test_enable_in_a_later_migration(linter):
    first = """create table if not exists public.kinds (code text primary key);
insert into public.kinds values ('a') on conflict do nothing;"""
    second = "alter table public.kinds enable row level security;"
    [finding] = linter.rule("rls-after-data", first, second)
    assert finding.file.endswith("_m1.sql") and finding.line == 2 and finding.table == "public.kinds"
    assert finding.evidence["enabled_at"].endswith("_m2.sql:1")


def test_insert_after_enable(linter):
    sql = """create table if not exists public.kinds (code text primary key);
alter table public.kinds enable row level security;
insert into public.kinds values ('a') on conflict do nothing;"""
    assert linter.rule("rls-after-data", sql) == []


def test_create_table_as_fills_the_table(linter):
    first = "create table if not exists public.copy as select 1 as id;"
    second = "alter table public.copy enable row level security;"
    assert len(linter.rule("rls-after-data", first, second)) == 1
