"""scalar-membership-subquery."""

from __future__ import annotations

import pytest

POLICY = "create policy p on public.orgs for select to authenticated using ({});"


def test_scalar_subquery_on_membership_table(linter):
    condition = "id = (select m.org_id from public.members m where m.user_id = (select auth.uid()))"
    [finding] = linter.rule("scalar-membership-subquery", linter.ORGS, linter.MEMBERS, POLICY.format(condition))
    assert "public.members" in finding.message


@pytest.mark.parametrize(
    "condition",
    [
        "id in (select m.org_id from public.members m where m.user_id = (select auth.uid()))",
        "id = (select m.org_id from public.members m where m.id = (select auth.uid()))",
        "id = (select m.org_id from public.members m where m.user_id = (select auth.uid()) limit 1)",
        "0 < (select count(*) from public.members m where m.org_id = orgs.id)",
    ],
    ids=["in", "primary-key", "limit", "aggregate"],
)
def test_set_membership_unique_lookups_limits_and_aggregates(linter, condition):
    assert linter.rule("scalar-membership-subquery", linter.ORGS, linter.MEMBERS, POLICY.format(condition)) == []
