"""A migration builds an index, or adds a unique / primary key / exclusion constraint, on a table that
existed before the change set.

Error for unique indexes and constraints, warning for other indexes. Tables the change set itself
created are not reported.

Why it matters: `create index` (without CONCURRENTLY, which the CLI's transaction forbids) blocks
every write to the table until the whole index is built, and the CLI's transaction keeps the lock
until the file ends; on a table with many rows API writes time out meanwhile. A unique build also
fails outright when existing rows hold duplicates, which an empty local database never shows. For a
large table, build the index with `create index concurrently` outside the migration tool first
(then `create index if not exists` in the migration is instant), and add a unique constraint with
`add constraint ... unique using index`.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from harness.findings import Severity
from harness.lint.rules.base import ExistingTableRule, Hit
from harness.lint.statement import Statement
from harness.sql.nodes import relation_name

UNIQUE = {
    ConstrType.CONSTR_UNIQUE: "unique constraint",
    ConstrType.CONSTR_PRIMARY: "primary key",
    ConstrType.CONSTR_EXCLUSION: "exclusion constraint",
}


class IndexBuildLock(ExistingTableRule):
    id = "index-build-lock"
    severity = Severity.ERROR

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if not isinstance(node, ast.IndexStmt):
            return super().statement(stmt)
        table = relation_name(node.relation)
        if node.concurrent or not self.ctx.existed_before(table):
            return ()
        kind = "unique index" if node.unique else "index"
        duplicates = "; duplicates in existing rows make it fail" if node.unique else ""
        return [
            self.hit(
                stmt,
                f"builds {kind} {node.idxname or ''} on {table}, which existed before this change: writes to it "
                f"wait until the build ends{duplicates}",
                table,
                None if node.unique else Severity.WARNING,
            )
        ]

    def command(self, stmt: Statement, table: str, cmd: ast.AlterTableCmd) -> Iterable[Hit]:
        for con in _added_constraints(cmd):
            if con.contype in UNIQUE and not con.indexname:
                yield self.hit(
                    stmt,
                    f"adds a {UNIQUE[con.contype]} to {table}, which existed before this change: its index is "
                    "built while writes wait, and duplicates in existing rows make it fail",
                    table,
                )


def _added_constraints(cmd: ast.AlterTableCmd) -> Iterable[ast.Constraint]:
    if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
        yield cmd.def_
    elif cmd.subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
        yield from (con for con in cmd.def_.constraints or () if isinstance(con, ast.Constraint))
