"""A migration drops a table, view or column that existed before the change set.

Error in an API schema (the Data API serves it: clients read it), warning elsewhere (functions and
views that use it break). A relation dropped and created again later in the change set is judged by
that final state; tables and columns the change set itself created are not reported.

Why it matters: the deployed app keeps running the old code while and after the migration applies,
and PostgREST answers its requests for the dropped relation or column with errors (and mobile apps
stay old for weeks). Drop in two steps: stop reading it in a release, then drop it in a later one.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType

from harness.findings import Severity
from harness.lint.rules.base import ExistingTableRule, Hit, LintContext
from harness.lint.statement import Statement
from harness.sql.nodes import drop_keys

DROPPED_KINDS = {"table": "table", "view": "view", "matview": "materialized view"}


class BreakingDrop(ExistingTableRule):
    id = "breaking-drop"
    severity = Severity.ERROR

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.dropped: list[tuple[str, Hit]] = []  # relations, judged at the end (they may come back)

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if not isinstance(node, ast.DropStmt):
            return super().statement(stmt)
        for key in drop_keys(node):
            kind = DROPPED_KINDS.get(key[0])
            if kind is not None and self.ctx.existed_before(key[1], must_exist=not node.missing_ok):
                self.dropped.append((key[1], self.breaking(stmt, key[1], f"drops {kind} {key[1]}")))
        return ()

    def command(self, stmt: Statement, table: str, cmd: ast.AlterTableCmd) -> Iterable[Hit]:
        if cmd.subtype == AlterTableType.AT_DropColumn:
            yield self.breaking(stmt, table, f"drops column {cmd.name} of {table}")

    def breaking(self, stmt: Statement, table: str, what: str) -> Hit:
        if self.ctx.in_api(table):
            return self.hit(stmt, f"{what}, which existed before this change: clients of the Data API read it", table)
        return self.hit(
            stmt, f"{what}, which existed before this change: code that uses it breaks", table, Severity.WARNING
        )

    def end_project(self) -> Iterable[Hit]:
        return [hit for name, hit in self.dropped if name not in self.ctx.model.relations]
