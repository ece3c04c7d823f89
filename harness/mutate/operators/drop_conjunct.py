"""Drop one conjunct of an AND in a policy's USING or WITH CHECK.

`role = 'org_admin' AND organisation_id = mine` loses either side: one mutant per operand of every
AND (nested ones too), so each condition has to be proven necessary by some test.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import BoolExprType

from harness.mutate.model import Mutation
from harness.mutate.operators._common import CLAUSES, POLICY_STATEMENTS, policy_label
from harness.mutate.tree import each_copy, nodes_of, replace_node, short

NAME = "drop-conjunct"


def _conjuncts(statement: ast.Node) -> list[tuple[str, ast.BoolExpr, int]]:
    """(clause, AND expression, operand index) for every operand of every AND."""
    found = []
    for clause, slot in CLAUSES:
        for expr in nodes_of(getattr(statement, slot), ast.BoolExpr):
            if expr.boolop == BoolExprType.AND_EXPR:
                found += [(clause, expr, index) for index in range(len(expr.args))]
    return found


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if not isinstance(statement, POLICY_STATEMENTS):
        return
    for (clause, original, index), mutated, (_, target, _) in each_copy(statement, _conjuncts):
        rest = tuple(arg for i, arg in enumerate(target.args) if i != index)
        replace_node(mutated, target, rest[0] if len(rest) == 1 else ast.BoolExpr(boolop=BoolExprType.AND_EXPR, args=rest))
        yield Mutation(f"{policy_label(statement)}: {clause} without `{short(original.args[index])}`", mutated)
