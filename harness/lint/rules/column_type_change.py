"""A migration changes the type of a column of a table that existed before the change set.

Why it matters: most type changes rewrite the whole table and its indexes under an ACCESS EXCLUSIVE
lock, so every read and write of the table (every API request touching it) waits until the rewrite
ends; and clients of the Data API receive the new type (a number that becomes a string in JSON, a
timestamp without its zone). Add a column of the new type, backfill it, move the clients, then drop
the old one. Tables the change set itself created are not reported.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType

from harness.findings import Severity
from harness.lint.rules.base import ExistingTableRule, Hit
from harness.lint.statement import Statement


def type_text(type_name: ast.TypeName | None) -> str:
    """`bigint`, `varchar(20)`: the type as PostgreSQL's deparser writes it."""
    if type_name is None:
        return "?"
    from pglast.stream import RawStream  # the printer is only needed when the rule fires

    return str(RawStream()(type_name))


class ColumnTypeChange(ExistingTableRule):
    id = "column-type-change"
    severity = Severity.ERROR

    def command(self, stmt: Statement, table: str, cmd: ast.AlterTableCmd) -> Iterable[Hit]:
        if cmd.subtype == AlterTableType.AT_AlterColumnType and isinstance(cmd.def_, ast.ColumnDef):
            yield self.hit(
                stmt,
                f"changes the type of {table}.{cmd.name} to {type_text(cmd.def_.typeName)}: the table is rewritten "
                "under an ACCESS EXCLUSIVE lock and clients see the new type",
                table,
            )
