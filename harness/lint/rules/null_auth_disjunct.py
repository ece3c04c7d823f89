"""A policy has an `auth.uid() is null or ...` disjunct: requests without a user pass it.

Why it matters: for the anon key (and for expired or missing tokens) `auth.uid()` is null, so the
whole policy is true and every row is open to anonymous callers. Usually meant for "the service
role"; that role bypasses RLS already, so the disjunct only ever helps attackers.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import BoolExprType, NullTestType

from harness.findings import Severity
from harness.lint.policies import PolicyStatement, contains_auth_call
from harness.lint.rules.base import Hit, PolicyRule
from harness.lint.statement import Statement


def null_auth_test(node: ast.Node) -> bool:
    return isinstance(node, ast.NullTest) and node.nulltesttype == NullTestType.IS_NULL and contains_auth_call(node.arg)


class NullAuthDisjunct(PolicyRule):
    id = "null-auth-disjunct"
    severity = Severity.ERROR

    def policy(self, stmt: Statement, policy: PolicyStatement) -> Iterable[Hit]:
        for clause, node in policy.nodes():
            if (
                isinstance(node, ast.BoolExpr)
                and node.boolop == BoolExprType.OR_EXPR
                and any(map(null_auth_test, node.args))
            ):
                yield self.hit(
                    stmt,
                    f"{policy.describe()} ({clause}) is true for requests without a user: "
                    f"`<auth call> is null or ...` lets the anon key through",
                    policy.table,
                )
                return
