"""A policy has no `TO` clause, so it applies to PUBLIC: `anon` included.

Why it matters: a policy written with signed-in users in mind (`using (org_id = ...)`) is also
evaluated for anonymous requests; any expression that happens to be true without a user (a NULL
comparison, a public flag) opens the rows to the anon key. Say `to authenticated` explicitly.
"""

from __future__ import annotations

from typing import Iterable

from harness.findings import Severity
from harness.lint.policies import PolicyStatement
from harness.lint.rules.base import Hit, PolicyRule
from harness.lint.statement import Statement


class PolicyWithoutRole(PolicyRule):
    id = "policy-without-role"
    severity = Severity.WARNING

    def policy(self, stmt: Statement, policy: PolicyStatement) -> Iterable[Hit]:
        if policy.roles is not None and "public" in policy.roles:
            yield self.hit(
                stmt,
                f"{policy.describe()} applies to PUBLIC (anon included); add `to authenticated` "
                f"or the roles it is meant for",
                policy.table,
            )
