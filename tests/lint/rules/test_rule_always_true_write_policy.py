"""always-true-write-policy."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "policy",
    [
        "create policy p on public.t for insert to authenticated with check (true);",
        "create policy p on public.t for update to authenticated using (owner = (select auth.uid())) with check (true);",
        "create policy p on public.t for delete to authenticated using (true);",
        "create policy p on public.t to authenticated using (true);",
    ],
)
def test_always_true(linter, policy):
    assert len(linter.rule("always-true-write-policy", policy)) == 1


@pytest.mark.parametrize(
    "policy",
    [
        "create policy p on public.t for select to authenticated using (true);",
        "create policy p on public.t for insert to authenticated with check (owner = (select auth.uid()));",
        "create policy p on public.t as restrictive for update to authenticated using (true);",
        "create policy p on public.t for all to service_role using (true);",
    ],
)
def test_scoped_or_harmless(linter, policy):
    assert linter.rule("always-true-write-policy", policy) == []


def test_alter_policy_uses_the_known_command(linter):
    sql = """create table if not exists public.t (id uuid primary key, owner uuid);
create policy p on public.t for select to authenticated using (owner = (select auth.uid()));
alter policy p on public.t using (true);
create policy w on public.t for update to authenticated using (owner = (select auth.uid()));
alter policy w on public.t using (true);"""
    [finding] = linter.rule("always-true-write-policy", sql)
    assert finding.line == 5
