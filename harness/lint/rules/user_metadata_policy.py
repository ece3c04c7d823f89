"""A policy, or a function it calls, trusts `user_metadata` / `raw_user_meta_data`.

Catches policies whose USING / WITH CHECK read `user_metadata` (for example
`auth.jwt() -> 'user_metadata' ->> 'org_id'`) or `auth.users.raw_user_meta_data`, directly or through
the functions they call, and functions redefined to read it while policies call them.

Why it matters: every signed-in user can rewrite their own user metadata with `supabase.auth.updateUser`,
so a policy that trusts it lets a user pick their own tenant or role. Use `app_metadata` (only the
service role can write it) or a membership table instead.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pglast import ast

from harness.findings import Severity
from harness.lint.facts import facts_of
from harness.lint.policies import policy_of
from harness.lint.rules.base import Hit, Rule
from harness.lint.statement import BodyFacts, Statement
from harness.sql.nodes import dotted


class UserMetadataPolicy(Rule):
    id = "user-metadata-policy"
    severity = Severity.ERROR

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        policy = policy_of(stmt.node)
        if policy is not None:
            yield from self._policy(stmt, policy.describe(), policy.table, facts_of([policy.using, policy.check]))
        elif isinstance(stmt.node, ast.CreateFunctionStmt) and stmt.body and stmt.body.reads_user_metadata:
            name = dotted(stmt.node.funcname)
            for caller in self.ctx.model.policies_calling(name):
                yield self.hit(
                    stmt,
                    f"{name}() reads user_metadata, which users edit themselves, and policy "
                    f"{caller.name!r} on {caller.table} calls it",
                    caller.table,
                    function=name,
                )

    def _policy(self, stmt: Statement, what: str, table: str, facts: BodyFacts) -> Iterator[Hit]:
        if facts.reads_user_metadata:
            yield self.hit(
                stmt,
                f"{what} reads user_metadata, which users edit themselves; use app_metadata or a membership table",
                table,
            )
            return
        for name, path in sorted(self.ctx.model.closure(facts.calls).items()):
            if self.ctx.model.functions[name].facts.reads_user_metadata:
                chain = " -> ".join(f"{step}()" for step in path)
                yield self.hit(
                    stmt,
                    f"{what} calls {chain}, which reads user_metadata that users edit themselves",
                    table,
                    function=name,
                )
