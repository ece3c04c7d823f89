"""security-definer-search-path."""

from __future__ import annotations

DEFINER = "create or replace function public.f() returns int language sql security definer as $$ select 1 $$;"


def test_definer_without_search_path(linter):
    [finding] = linter.rule("security-definer-search-path", DEFINER)
    assert finding.line == 1


def test_definer_with_search_path(linter):
    sql = "create or replace function public.f() returns int language sql security definer set search_path = '' as $$ select 1 $$;"
    assert linter.rule("security-definer-search-path", sql) == []


def test_search_path_set_by_alter_function_in_the_same_file(linter):
    assert (
        linter.rule(
            "security-definer-search-path", DEFINER + "\nalter function public.f() set search_path = pg_catalog;"
        )
        == []
    )


def test_invoker_functions(linter):
    sql = "create or replace function public.f() returns int language sql as $$ select 1 $$;"
    assert linter.rule("security-definer-search-path", sql) == []
