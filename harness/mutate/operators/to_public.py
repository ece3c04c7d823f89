"""Widen a policy's `TO authenticated` to `TO PUBLIC` (every role, anon included).

Only noticed where anon holds a privilege on the table, or by a test of the policy's roles.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import RoleSpecType

from harness.mutate.model import Mutation
from harness.mutate.operators._common import POLICY_STATEMENTS, policy_label
from harness.mutate.tree import clone

NAME = "to-public"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if not isinstance(statement, POLICY_STATEMENTS):
        return
    if any(getattr(role, "rolename", None) == "authenticated" for role in statement.roles or ()):
        mutated = clone(statement)
        mutated.roles = (ast.RoleSpec(roletype=RoleSpecType.ROLESPEC_PUBLIC),)
        yield Mutation(f"{policy_label(statement)}: TO authenticated → TO PUBLIC", mutated)
