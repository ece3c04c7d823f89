"""Rows are inserted into a table before row level security is enabled on it.

Catches INSERT, COPY FROM, CREATE TABLE AS and SELECT INTO into a table whose RLS is still off, when
RLS is enabled on it in a later migration. Within one file it is fine: the Supabase CLI applies each
file in one transaction, so no other session ever sees the rows before RLS is on.

Why it matters: between the two migrations those rows are open to every role the table is granted
to, and a failed deploy between them leaves them exposed. Enable RLS in the migration that fills
the table, before or after the rows go in.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType, ObjectType

from harness.findings import Severity
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import drop_keys, relation_name


def filled_table(node: ast.Node) -> str | None:
    """The table a statement puts rows into, if any."""
    if isinstance(node, ast.InsertStmt):
        return relation_name(node.relation)
    if isinstance(node, ast.CopyStmt) and node.is_from and node.relation is not None:
        return relation_name(node.relation)
    if isinstance(node, ast.CreateTableAsStmt) and node.objtype == ObjectType.OBJECT_TABLE and not node.into.skipData:
        return relation_name(node.into.rel)
    if isinstance(node, ast.SelectStmt) and node.intoClause is not None:
        return relation_name(node.intoClause.rel)
    return None


class RlsAfterData(Rule):
    id = "rls-after-data"
    severity = Severity.ERROR

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.filled: dict[str, Statement] = {}  # table -> first statement that filled it while RLS was off

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        table = filled_table(node)
        if table is not None:
            relation = self.ctx.model.relations.get(table)
            if relation is None or not relation.rls:
                self.filled.setdefault(table, stmt)
        elif isinstance(node, ast.AlterTableStmt):
            table = relation_name(node.relation)
            enabled = any(cmd.subtype == AlterTableType.AT_EnableRowSecurity for cmd in node.cmds or ())
            first = self.filled.pop(table, None) if enabled else None
            if first is not None and first.file != stmt.file:  # one file is one transaction
                yield self.hit(
                    first,
                    f"rows go into {table} here, before row level security is enabled on it ({stmt.file}:{stmt.line})",
                    table,
                    enabled_at=f"{stmt.file}:{stmt.line}",
                )
        elif isinstance(node, ast.DropStmt):
            for key in drop_keys(node):
                self.filled.pop(key[-1], None)
