"""null-auth-disjunct."""

from __future__ import annotations


def test_null_uid_disjunct(linter):
    sql = "create policy p on public.t for select to authenticated using ((select auth.uid()) is null or owner = (select auth.uid()));"
    assert len(linter.rule("null-auth-disjunct", sql)) == 1


def test_nested_disjunct_with_bare_call(linter):
    sql = "create policy p on public.t for select using (org_id is not null and (auth.uid() is null or owner = auth.uid()));"
    assert len(linter.rule("null-auth-disjunct", sql)) == 1


def test_not_null_requirement_is_fine(linter):
    sql = "create policy p on public.t for select to authenticated using ((select auth.uid()) is not null and owner = (select auth.uid()));"
    assert linter.rule("null-auth-disjunct", sql) == []


def test_null_column_disjunct_is_fine(linter):
    sql = "create policy p on public.t for select to authenticated using (deleted_at is null or owner = (select auth.uid()));"
    assert linter.rule("null-auth-disjunct", sql) == []
