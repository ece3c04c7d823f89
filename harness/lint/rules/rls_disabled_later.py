"""Row level security is disabled on an API table in a statement of its own, after the table was created.

Judged by the final state: enabling it again later in the change set (or in the same file) is fine.
A table whose creating migration never enables RLS is `rls-missing` instead.

Why it matters: Supabase grants API tables to `anon` and `authenticated`; with RLS off, every row is
readable and writable by anyone holding the public anon key. A `disable row level security` added
"temporarily" while debugging, or emitted by a schema diff, ships that to production.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType

from harness.findings import Severity
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import relation_name


class RlsDisabledLater(Rule):
    id = "rls-disabled-later"
    severity = Severity.ERROR

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.disabled: dict[str, Statement] = {}  # table -> the statement that left RLS off

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if not isinstance(node, ast.AlterTableStmt):
            return ()
        table = relation_name(node.relation)
        for cmd in node.cmds or ():
            if cmd.subtype == AlterTableType.AT_EnableRowSecurity:
                self.disabled.pop(table, None)
            elif cmd.subtype == AlterTableType.AT_DisableRowSecurity and self.ctx.in_api(table):
                if self.ctx.model.creator(table) != stmt.file:
                    self.disabled[table] = stmt
        return ()

    def end_project(self) -> Iterable[Hit]:
        relations = self.ctx.model.relations
        for table, stmt in self.disabled.items():
            if table in relations and not relations[table].rls:
                yield self.hit(
                    stmt,
                    f"disables row level security on {table}: anyone with the anon key can read and write "
                    "every row the API grants",
                    table,
                )
