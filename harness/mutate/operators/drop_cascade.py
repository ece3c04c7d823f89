"""Drop `ON DELETE CASCADE` from a foreign key: deleting the parent row is then refused (NO ACTION)
while children exist, instead of deleting them."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import ConstrType

from harness.mutate.model import Mutation
from harness.mutate.operators._common import constraints, table_label
from harness.mutate.tree import each_copy
from harness.sql.nodes import relation_name

NAME = "drop-cascade"
CASCADE, NO_ACTION = "c", "a"


def _cascades(statement: ast.Node) -> list[tuple[str, ast.Constraint]]:
    return [(column, c) for column, c in constraints(statement, ConstrType.CONSTR_FOREIGN)
            if c.fk_del_action == CASCADE]


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    for (column, original), mutated, (_, target) in each_copy(statement, _cascades):
        target.fk_del_action = NO_ACTION
        columns = column or ", ".join(n.sval for n in original.fk_attrs or ())
        yield Mutation(
            f"{table_label(statement)} ({columns}) references {relation_name(original.pktable)}: "
            "ON DELETE CASCADE removed", mutated)
