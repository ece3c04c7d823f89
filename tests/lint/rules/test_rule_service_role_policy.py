"""service-role-policy."""

from __future__ import annotations


def test_policy_for_service_role(linter):
    assert (
        len(linter.rule("service-role-policy", "create policy p on public.t for all to service_role using (true);"))
        == 1
    )


def test_policy_for_users(linter):
    assert (
        linter.rule("service-role-policy", "create policy p on public.t for select to authenticated using (true);")
        == []
    )
