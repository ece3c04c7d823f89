"""A permissive write policy for an API role is always true: `with check (true)`, or `using (true)` on
UPDATE / DELETE / ALL.

Only policies for the roles the Data API reaches (`anon`, `authenticated`, PUBLIC) count: a policy
for a dedicated backend role is that role's business. Judged by the final state: a policy dropped,
replaced or narrowed later in the change set is not reported.

Why it matters: permissive policies are OR-ed together, so one that is always true makes every other
policy on the table irrelevant for that command: any signed-in user (or anyone with the anon key)
can insert rows for another tenant, or update and delete rows that are not theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pglast import ast
from pglast.enums import ObjectType

from harness.findings import Severity
from harness.lint.policies import policy_of
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import drop_keys, is_true_const, relation_name

USING_WRITES = {"update", "delete", "all"}
CHECK_WRITES = {"insert", "update", "all"}
API_ROLES = {"anon", "authenticated", "public"}


@dataclass
class PolicyState:
    """What the rule needs of a policy, as CREATE and later ALTERs left it."""

    name: str
    table: str
    command: str
    permissive: bool
    roles: tuple[str, ...]
    using_true: bool
    check_true: bool
    statement: Statement  # the statement that made a clause always true (else the CREATE)


class AlwaysTrueWritePolicy(Rule):
    id = "always-true-write-policy"
    severity = Severity.ERROR

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.policies: dict[tuple[str, str], PolicyState] = {}

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        policy = policy_of(node)
        key = (policy.table, policy.name) if policy else None
        if isinstance(node, ast.CreatePolicyStmt) and policy is not None and key is not None:
            self.policies[key] = PolicyState(
                policy.name,
                policy.table,
                policy.command or "all",
                policy.permissive,
                policy.roles or ("public",),
                is_true_const(policy.using),
                is_true_const(policy.check),
                stmt,
            )
        elif policy is not None and key in self.policies:
            state = self.policies[key]
            state.roles = policy.roles or state.roles
            for clause, attr in ((policy.using, "using_true"), (policy.check, "check_true")):
                if clause is not None:
                    setattr(state, attr, is_true_const(clause))
                    if is_true_const(clause):
                        state.statement = stmt
        elif isinstance(node, ast.DropStmt):
            for kind, *names in drop_keys(node):
                if kind == "policy":
                    self.policies.pop((names[0], names[1]), None)
        elif isinstance(node, ast.RenameStmt) and node.renameType == ObjectType.OBJECT_POLICY and node.relation:
            renamed = self.policies.pop((relation_name(node.relation), node.subname), None)
            if renamed is not None:
                renamed.name = node.newname
                self.policies[(renamed.table, renamed.name)] = renamed
        return ()

    def end_project(self) -> Iterable[Hit]:
        for state in self.policies.values():
            clauses = []
            if state.command in USING_WRITES and state.using_true:
                clauses.append("using (true)")
            if state.command in CHECK_WRITES and state.check_true:
                clauses.append("with check (true)")
            if clauses and state.permissive and API_ROLES & set(state.roles):
                yield self.hit(
                    state.statement,
                    f"policy {state.name!r} on {state.table} lets {_who(state.roles)} {_verb(state.command)} "
                    f"any row: {' and '.join(clauses)}",
                    state.table,
                )


def _who(roles: tuple[str, ...]) -> str:
    if "public" in roles:
        return "everyone (PUBLIC, anon included)"
    return " and ".join(roles)


def _verb(command: str) -> str:
    return "write (insert, update, delete)" if command == "all" else command
