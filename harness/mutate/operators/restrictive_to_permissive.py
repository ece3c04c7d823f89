"""Make a restrictive policy permissive: `AS RESTRICTIVE` becomes `AS PERMISSIVE`.

A restrictive policy narrows what the permissive ones allow; made permissive, it widens it instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from harness.mutate.model import Mutation
from harness.mutate.operators._common import policy_label
from harness.mutate.tree import clone

NAME = "restrictive-to-permissive"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if isinstance(statement, ast.CreatePolicyStmt) and not statement.permissive:
        mutated = clone(statement)
        mutated.permissive = True
        yield Mutation(f"{policy_label(statement)}: AS RESTRICTIVE → AS PERMISSIVE", mutated)
