"""`auth.uid()`, `auth.jwt()`, `auth.role()` or `current_setting()` in a policy is not wrapped in `(select ...)`.

Why it matters: written bare, the function is called once per row the query looks at; written as
`(select auth.uid())`, PostgreSQL runs it once per statement (an initPlan). On tables with many rows
that is the difference between milliseconds and seconds. (Calls inside subqueries are left alone.)
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast

from harness.findings import Severity
from harness.lint.policies import PolicyStatement, auth_call_text, is_auth_call
from harness.lint.rules.base import Hit, PolicyRule
from harness.lint.statement import Statement


class UnwrappedAuthCall(PolicyRule):
    id = "unwrapped-auth-call"
    severity = Severity.WARNING

    def policy(self, stmt: Statement, policy: PolicyStatement) -> Iterable[Hit]:
        bare = sorted({auth_call_text(node) for _, node in policy.nodes(skip=ast.SubLink) if is_auth_call(node)})
        if bare:
            calls = ", ".join(bare)
            yield self.hit(
                stmt, f"{policy.describe()} calls {calls} once per row; write (select {bare[0]}) instead", policy.table
            )
