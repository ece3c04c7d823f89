"""What several operators share: naming a policy, finding table constraints, taking one out."""

from __future__ import annotations

from typing import Any

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from harness.mutate.tree import replace_node
from harness.sql.nodes import relation_name

POLICY_STATEMENTS = (ast.CreatePolicyStmt, ast.AlterPolicyStmt)
# A policy's expressions, as the SQL names them.
CLAUSES = (("USING", "qual"), ("WITH CHECK", "with_check"))


def policy_label(statement: Any) -> str:
    return f'policy "{statement.policy_name}" on {relation_name(statement.table)}'


def table_label(statement: Any) -> str:
    return relation_name(statement.relation)


def constraints(statement: ast.Node, kind: ConstrType) -> list[tuple[str, ast.Constraint]]:
    """(column or "", constraint) for every constraint of `kind` that a CREATE TABLE or ALTER TABLE
    declares: on a column, on the table, or added by ADD CONSTRAINT / ADD COLUMN."""
    found: list[tuple[str, ast.Constraint]] = []
    if isinstance(statement, ast.CreateStmt):
        elements = list(statement.tableElts or ())
    elif isinstance(statement, ast.AlterTableStmt):
        elements = [cmd.def_ for cmd in statement.cmds or ()
                    if cmd.subtype in (AlterTableType.AT_AddConstraint, AlterTableType.AT_AddColumn)]
    else:
        return found
    for element in elements:
        if isinstance(element, ast.ColumnDef):
            found += [(element.colname, c) for c in element.constraints or () if c.contype == kind]
        elif isinstance(element, ast.Constraint) and element.contype == kind:
            found.append(("", element))
    return found


def without(statement: ast.Node, target: ast.Node) -> ast.Node | None:
    """`statement` with `target` taken out. The ALTER TABLE command that holds it goes with it, and
    a statement left with no command goes too (None)."""
    if isinstance(statement, ast.AlterTableStmt):
        for cmd in statement.cmds or ():
            if cmd is target or cmd.def_ is target:
                statement.cmds = tuple(c for c in statement.cmds if c is not cmd) or None
                return statement if statement.cmds else None
    replace_node(statement, target, None)
    return statement
