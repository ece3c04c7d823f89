"""A uniform view of CREATE POLICY and ALTER POLICY for the policy rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from pglast import ast

from harness.sql.nodes import iter_nodes, last_name, relation_name, role_names

AUTH_FUNCTIONS = {"auth.uid", "auth.jwt", "auth.role", "auth.email"}
BYPASS_ROLES = {"service_role", "postgres", "supabase_admin"}


@dataclass(frozen=True)
class PolicyStatement:
    name: str
    table: str
    command: str | None  # all, select, insert, update, delete; None for ALTER POLICY (see the model)
    roles: tuple[str, ...] | None  # None: an ALTER POLICY that keeps the roles
    permissive: bool
    using: Any
    check: Any

    def expressions(self) -> Iterator[tuple[str, Any]]:
        for clause, expr in (("using", self.using), ("with check", self.check)):
            if expr is not None:
                yield clause, expr

    def nodes(self, skip: type | tuple[type, ...] = ()) -> Iterator[tuple[str, ast.Node]]:
        """(clause, node) for every node of the USING and WITH CHECK expressions."""
        for clause, expr in self.expressions():
            for node in iter_nodes(expr, skip):
                yield clause, node

    def describe(self) -> str:
        return f"policy {self.name!r} on {self.table}"


def policy_of(node: ast.Node) -> PolicyStatement | None:
    if isinstance(node, ast.CreatePolicyStmt):
        return PolicyStatement(
            node.policy_name,
            relation_name(node.table),
            node.cmd_name or "all",
            tuple(role_names(node.roles)),
            bool(node.permissive),
            node.qual,
            node.with_check,
        )
    if isinstance(node, ast.AlterPolicyStmt):
        roles = tuple(role_names(node.roles)) if node.roles else None
        return PolicyStatement(
            node.policy_name, relation_name(node.table), None, roles, True, node.qual, node.with_check
        )
    return None


def is_auth_call(node: Any) -> bool:
    """A call of auth.uid()/auth.jwt()/auth.role()/auth.email() or current_setting()."""
    if not isinstance(node, ast.FuncCall):
        return False
    names = [n.sval for n in node.funcname]
    return ".".join(names[-2:]) in AUTH_FUNCTIONS or last_name(node.funcname) == "current_setting"


def auth_call_text(node: ast.FuncCall) -> str:
    return ".".join(n.sval for n in node.funcname) + "()"


def contains_auth_call(root: Any) -> bool:
    return any(is_auth_call(node) for node in iter_nodes(root))
