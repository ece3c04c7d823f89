"""unwrapped-auth-call."""

from __future__ import annotations


def test_bare_calls(linter):
    sql = "create policy p on public.t for update to authenticated using (owner = auth.uid()) with check (auth.jwt() ->> 'role' = 'x');"
    [finding] = linter.rule("unwrapped-auth-call", sql)
    assert "auth.uid()" in finding.message and "auth.jwt()" in finding.message


def test_current_setting(linter):
    sql = "create policy p on public.t for select to authenticated using (org = current_setting('app.org')::uuid);"
    assert len(linter.rule("unwrapped-auth-call", sql)) == 1


def test_wrapped_and_inside_subqueries(linter):
    sql = """create policy p on public.t for select to authenticated using (
  owner = (select auth.uid())
  or org_id in (select org_id from public.members where user_id = auth.uid()));"""
    assert linter.rule("unwrapped-auth-call", sql) == []
