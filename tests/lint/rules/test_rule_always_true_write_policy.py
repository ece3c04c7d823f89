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


def test_backend_roles_are_their_own_business(linter):
    sql = "create policy p on public.t for all to worker, service_role using (true) with check (true);"
    assert linter.rule("always-true-write-policy", sql) == []
    anon_too = "create policy p on public.t for insert to worker, anon with check (true);"
    assert len(linter.rule("always-true-write-policy", anon_too)) == 1


def test_a_later_fix_in_the_change_set_counts(linter):
    opened = "create policy p on public.t for insert to authenticated with check (true);"
    dropped = "drop policy if exists p on public.t;"
    narrowed = "alter policy p on public.t with check (owner = (select auth.uid()));"
    to_backend = "alter policy p on public.t to worker;"
    for fix in (dropped, narrowed, to_backend):
        assert linter.rule("always-true-write-policy", opened, fix) == []
    assert len(linter.rule("always-true-write-policy", opened, "alter policy p on public.t rename to q;")) == 1
