"""Change a policy's `FOR SELECT` to `FOR ALL`: its USING now also admits INSERT, UPDATE and DELETE
(as their WITH CHECK too)."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from harness.mutate.model import Mutation
from harness.mutate.operators._common import policy_label
from harness.mutate.tree import clone

NAME = "select-to-all"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if isinstance(statement, ast.CreatePolicyStmt) and statement.cmd_name == "select":
        mutated = clone(statement)
        mutated.cmd_name = "all"
        yield Mutation(f"{policy_label(statement)}: FOR SELECT → FOR ALL", mutated)
