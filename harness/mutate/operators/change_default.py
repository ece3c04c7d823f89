"""Change a column default: `true` ↔ `false`; a text value limited by a `CHECK (col IN (...))` of the
same table becomes the next allowed value ('peer_mentor' → 'coordinator'); anything else becomes
NULL. In CREATE TABLE, ALTER TABLE ... ADD COLUMN and ALTER COLUMN ... SET DEFAULT.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pglast import ast
from pglast.enums import A_Expr_Kind, AlterTableType, ConstrType

from harness.mutate.model import Mutation
from harness.mutate.operators._common import constraints, table_label
from harness.mutate.tree import each_copy, is_constant, null_constant, short

NAME = "change-default"

Target = tuple[str, Any, str]  # (column, the node holding the default, its slot)


def _defaults(statement: ast.Node) -> list[Target]:
    found: list[Target] = [(column, c, "raw_expr")
                           for column, c in constraints(statement, ConstrType.CONSTR_DEFAULT) if c.raw_expr]
    if isinstance(statement, ast.AlterTableStmt):
        found += [(cmd.name, cmd, "def_") for cmd in statement.cmds or ()
                  if cmd.subtype == AlterTableType.AT_ColumnDefault and cmd.def_ is not None]
    return found


def allowed_values(statement: ast.Node, column: str) -> list[str]:
    """The values a `CHECK (column IN ('a', 'b', ...))` of the statement allows, in order."""
    for _, check in constraints(statement, ConstrType.CONSTR_CHECK):
        expr = check.raw_expr
        if (isinstance(expr, ast.A_Expr) and expr.kind == A_Expr_Kind.AEXPR_IN
                and isinstance(expr.lexpr, ast.ColumnRef) and expr.lexpr.fields[-1].sval == column
                and all(isinstance(v, ast.A_Const) and isinstance(v.val, ast.String) for v in expr.rexpr)):
            return [v.val.sval for v in expr.rexpr]
    return []


def other_value(expr: Any, allowed: list[str]) -> ast.Node | None:
    """A different default; None when there is nothing sensible to change it to."""
    for value in (True, False):
        if is_constant(expr, value):
            return ast.A_Const(val=ast.Boolean(boolval=not value))
    if is_constant(expr, None):
        return None
    if isinstance(expr, ast.A_Const) and isinstance(expr.val, ast.String) and expr.val.sval in allowed:
        values = [v for v in allowed if v != expr.val.sval]
        if values:
            following = allowed[(allowed.index(expr.val.sval) + 1) % len(allowed)]
            return ast.A_Const(val=ast.String(sval=following if following in values else values[0]))
    return null_constant()


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    for (column, holder, slot), mutated, (_, target, _) in each_copy(statement, _defaults):
        before = getattr(holder, slot)
        after = other_value(before, allowed_values(statement, column))
        if after is None:
            continue
        setattr(target, slot, after)
        yield Mutation(f"{table_label(statement)}.{column}: DEFAULT {short(before, 40)} → {short(after, 40)}", mutated)
