"""Replace `(select auth.uid())` in a comparison: with the compared column itself, or with a NULL test.

`owner_id = (select auth.uid())` becomes `owner_id = owner_id` (every row of every user matches) and
`(select auth.uid()) IS NOT NULL` (any signed-in user matches). Wherever the comparison is: policies,
views, and the bodies of SQL and plpgsql functions (the helpers policies call). A bare `auth.uid()`
counts as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pglast import ast
from pglast.enums import A_Expr_Kind, NullTestType, SubLinkType

from harness.mutate.model import Mutation
from harness.mutate.tree import clone, each_copy, nodes_of, replace_node, short
from harness.sql.nodes import dotted

NAME = "auth-uid"
COMPARISONS = {"=", "<>", "!="}


def is_auth_uid(expr: Any) -> bool:
    """`auth.uid()` or `(select auth.uid())`."""
    if isinstance(expr, ast.FuncCall):
        return dotted(expr.funcname) == "auth.uid" and not expr.args
    if isinstance(expr, ast.SubLink) and expr.subLinkType == SubLinkType.EXPR_SUBLINK:
        select = expr.subselect
        return (isinstance(select, ast.SelectStmt) and not select.fromClause and select.whereClause is None
                and len(select.targetList or ()) == 1 and is_auth_uid(select.targetList[0].val))
    return False


def _comparisons(statement: ast.Node) -> list[ast.A_Expr]:
    return [e for e in nodes_of(statement, ast.A_Expr)
            if e.kind == A_Expr_Kind.AEXPR_OP and e.name[-1].sval in COMPARISONS
            and (is_auth_uid(e.lexpr) != is_auth_uid(e.rexpr))]


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    for original, mutated, target in each_copy(statement, _comparisons):
        uid_slot, other_slot = ("lexpr", "rexpr") if is_auth_uid(target.lexpr) else ("rexpr", "lexpr")
        other = getattr(target, other_slot)
        setattr(target, uid_slot, clone(other))
        yield Mutation(f"`{short(original)}` → `{short(target)}`", mutated)
    for original, mutated, target in each_copy(statement, _comparisons):
        uid = target.lexpr if is_auth_uid(target.lexpr) else target.rexpr
        test = ast.NullTest(arg=uid, nulltesttype=NullTestType.IS_NOT_NULL, argisrow=False)
        replace_node(mutated, target, test)
        yield Mutation(f"`{short(original)}` → `{short(test)}`", mutated)
