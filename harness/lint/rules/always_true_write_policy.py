"""A permissive write policy is always true: `with check (true)`, or `using (true)` on UPDATE / DELETE / ALL.

Why it matters: permissive policies are OR-ed together, so one that is always true makes every other
policy on the table irrelevant for that command: any member of the role can insert rows for another
tenant, or update and delete rows that are not theirs.
"""

from __future__ import annotations

from typing import Iterable

from harness.findings import Severity
from harness.lint.policies import BYPASS_ROLES, PolicyStatement
from harness.lint.rules.base import Hit, PolicyRule
from harness.lint.statement import Statement
from harness.sql.nodes import is_true_const

USING_WRITES = {"update", "delete", "all"}
CHECK_WRITES = {"insert", "update", "all"}


class AlwaysTrueWritePolicy(PolicyRule):
    id = "always-true-write-policy"
    severity = Severity.ERROR

    def policy(self, stmt: Statement, policy: PolicyStatement) -> Iterable[Hit]:
        if not policy.permissive:
            return
        if policy.roles is not None and set(policy.roles) <= BYPASS_ROLES:
            return
        command = self.ctx.command_of(policy)
        clauses = []
        if command in USING_WRITES and is_true_const(policy.using):
            clauses.append("using (true)")
        if command in CHECK_WRITES and is_true_const(policy.check):
            clauses.append("with check (true)")
        if clauses:
            yield self.hit(
                stmt,
                f"{policy.describe()} lets {_who(policy.roles)} {_verb(command)} any row: "
                f"{' and '.join(clauses)}",
                policy.table,
            )


def _who(roles: tuple[str, ...] | list[str] | None) -> str:
    if not roles or "public" in roles:
        return "everyone (PUBLIC, anon included)"
    return " and ".join(roles)


def _verb(command: str) -> str:
    return "write (insert, update, delete)" if command == "all" else command
