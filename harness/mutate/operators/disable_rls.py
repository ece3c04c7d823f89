"""Disable row level security: the `ENABLE ROW LEVEL SECURITY` is taken out of its ALTER TABLE.

With RLS off, every policy is ignored and the table privileges alone decide.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType

from harness.mutate.model import Mutation
from harness.mutate.operators._common import table_label, without
from harness.mutate.tree import each_copy

NAME = "disable-rls"


def _enables(statement: ast.Node) -> list[ast.AlterTableCmd]:
    return [cmd for cmd in statement.cmds or () if cmd.subtype == AlterTableType.AT_EnableRowSecurity]


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if not isinstance(statement, ast.AlterTableStmt):
        return
    for _, mutated, target in each_copy(statement, _enables):
        yield Mutation(f"{table_label(statement)}: ENABLE ROW LEVEL SECURITY removed", without(mutated, target))
