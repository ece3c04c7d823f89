"""A policy compares a column with a scalar subquery (`org_id = (select org_id from members ...)`).

Why it matters: the subquery must return one row. The day a user has two memberships it returns two,
and every query on the table fails with "more than one row returned by a subquery used as an
expression" for that user. Write `org_id in (select ...)` (or `= any (array(select ...))`). Lookups by
a primary key or a unique column, with LIMIT, or of an aggregate are left alone.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import A_Expr_Kind, SubLinkType

from harness.findings import Severity
from harness.lint.policies import PolicyStatement
from harness.lint.rules.base import Hit, PolicyRule
from harness.lint.statement import Statement
from harness.sql.nodes import iter_nodes, relation_name

AGGREGATES = {
    "count",
    "max",
    "min",
    "sum",
    "avg",
    "array_agg",
    "bool_or",
    "bool_and",
    "every",
    "string_agg",
    "jsonb_agg",
    "json_agg",
}


class ScalarMembershipSubquery(PolicyRule):
    id = "scalar-membership-subquery"
    severity = Severity.WARNING

    def policy(self, stmt: Statement, policy: PolicyStatement) -> Iterable[Hit]:
        for clause, node in policy.nodes():
            if not (isinstance(node, ast.A_Expr) and node.kind == A_Expr_Kind.AEXPR_OP):
                continue
            for side in (node.lexpr, node.rexpr):
                table = self._multi_row_subquery(side)
                if table is not None:
                    yield self.hit(
                        stmt,
                        f"{policy.describe()} ({clause}) compares with a scalar subquery on {table}, "
                        f"which fails for a user with two rows there; use IN (select ...)",
                        policy.table,
                    )
                    return

    def _multi_row_subquery(self, node: object) -> str | None:
        """The table of a scalar subquery that may return several rows, else None."""
        if not (isinstance(node, ast.SubLink) and node.subLinkType == SubLinkType.EXPR_SUBLINK):
            return None
        select = node.subselect
        if not isinstance(select, ast.SelectStmt) or not select.fromClause or select.limitCount is not None:
            return None
        if any(
            isinstance(n, ast.FuncCall) and n.funcname[-1].sval in AGGREGATES for n in iter_nodes(select.targetList)
        ):
            return None
        tables = [n for n in select.fromClause if isinstance(n, ast.RangeVar)]
        if len(tables) != 1 or len(select.fromClause) != 1:
            return relation_name(tables[0]) if tables else "a join"
        table = relation_name(tables[0])
        relation = self.ctx.model.relations.get(table)
        if relation is not None and _equated_columns(select.whereClause) & relation.unique_columns:
            return None
        return table


def _equated_columns(where: object) -> set[str]:
    """Columns compared with `=` in a WHERE clause (the last name of each column reference)."""
    columns = set()
    for node in iter_nodes(where):
        if isinstance(node, ast.A_Expr) and node.kind == A_Expr_Kind.AEXPR_OP and node.name[-1].sval == "=":
            for side in (node.lexpr, node.rexpr):
                if isinstance(side, ast.ColumnRef) and isinstance(side.fields[-1], ast.String):
                    columns.add(side.fields[-1].sval)
    return columns
