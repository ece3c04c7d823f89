"""A policy grants something to `service_role`, which bypasses row level security anyway.

Why it matters: the policy does nothing, but readers take it as the thing that lets the backend in,
and "fix" it later in ways that do matter (adding `or auth.role() = 'service_role'` to user policies).
"""

from __future__ import annotations

from typing import Iterable

from harness.findings import Severity
from harness.lint.policies import PolicyStatement
from harness.lint.rules.base import Hit, PolicyRule
from harness.lint.statement import Statement


class ServiceRolePolicy(PolicyRule):
    id = "service-role-policy"
    severity = Severity.INFO

    def policy(self, stmt: Statement, policy: PolicyStatement) -> Iterable[Hit]:
        if policy.roles and "service_role" in policy.roles:
            yield self.hit(
                stmt,
                f"{policy.describe()} is for service_role, which bypasses row level security; "
                f"the policy has no effect for it",
                policy.table,
            )
