"""policy-without-role."""

from __future__ import annotations


def test_no_to_clause(linter):
    assert (
        len(
            linter.rule(
                "policy-without-role", "create policy p on public.t for select using (owner = (select auth.uid()));"
            )
        )
        == 1
    )


def test_explicit_public(linter):
    assert (
        len(linter.rule("policy-without-role", "create policy p on public.t for select to public using (true);")) == 1
    )


def test_explicit_roles(linter):
    assert (
        linter.rule(
            "policy-without-role", "create policy p on public.t for select to authenticated, anon using (true);"
        )
        == []
    )
