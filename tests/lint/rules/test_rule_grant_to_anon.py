"""grant-to-anon."""

from __future__ import annotations


def test_grants_to_anon_in_api_schema(linter):
    sql = """grant select on public.notes to anon;
grant all on all tables in schema public to anon, authenticated;
grant execute on function public.search(text) to anon;
alter default privileges in schema public grant select on tables to anon;"""
    assert [f.line for f in linter.rule("grant-to-anon", sql)] == [1, 2, 3, 4]


def test_other_grants(linter):
    sql = """grant select on public.notes to authenticated;
grant select on private.stats to anon;
grant usage on schema public to anon;
revoke select on public.notes from anon;"""
    assert linter.rule("grant-to-anon", sql) == []
