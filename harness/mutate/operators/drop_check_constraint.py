"""Drop a CHECK constraint: from a CREATE TABLE (on a column or the table) or an ALTER TABLE ... ADD.

One mutant per constraint; a test must insert or update a row the constraint refuses.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import ConstrType

from harness.mutate.model import Mutation
from harness.mutate.operators._common import constraints, table_label, without
from harness.mutate.tree import each_copy, short

NAME = "drop-check-constraint"


def _checks(statement: ast.Node) -> list[ast.Constraint]:
    return [c for _, c in constraints(statement, ConstrType.CONSTR_CHECK)]


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    for original, mutated, target in each_copy(statement, _checks):
        name = original.conname or f"CHECK ({short(original.raw_expr, 50)})"
        yield Mutation(f"{table_label(statement)}: constraint {name} removed", without(mutated, target))
