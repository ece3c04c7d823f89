"""A migration renames a table, view or column that existed before the change set.

Error in an API schema (the Data API serves it under its name), warning elsewhere. Relations the
change set itself created are not reported.

Why it matters: a rename is a drop for every client still using the old name: the deployed app
(and every installed mobile app) asks PostgREST for the old table or column and gets errors from
the moment the migration applies. Add the new name, move the clients, then drop the old one; or
keep a view under the old name.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import ObjectType

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import relation_name

RENAMED = {
    ObjectType.OBJECT_TABLE: "table",
    ObjectType.OBJECT_VIEW: "view",
    ObjectType.OBJECT_MATVIEW: "materialized view",
    ObjectType.OBJECT_COLUMN: "column",
}


class BreakingRename(Rule):
    id = "breaking-rename"
    severity = Severity.ERROR

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if not isinstance(node, ast.RenameStmt) or node.renameType not in RENAMED or node.relation is None:
            return
        table = relation_name(node.relation)
        if not self.ctx.existed_before(table, must_exist=not node.missing_ok):
            return
        kind = RENAMED[node.renameType]
        what = f"column {node.subname} of {table}" if kind == "column" else f"{kind} {table}"
        if self.ctx.in_api(table):
            yield self.hit(
                stmt,
                f"renames {what} to {node.newname}: clients of the Data API that use the old name break",
                table,
            )
        else:
            yield self.hit(
                stmt, f"renames {what} to {node.newname}: code that uses the old name breaks", table, Severity.WARNING
            )
