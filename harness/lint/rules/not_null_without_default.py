"""A migration adds a NOT NULL column without a default to a table that existed before the change set.

Why it matters: on a table that has rows, `add column ... not null` without a default fails ("column
contains null values"), so the deploy fails in production although it passed on an empty local
database. Add it with a default (a constant default is instant since PostgreSQL 11), or add it
nullable, backfill, then set NOT NULL. Tables the change set itself created are not reported.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from harness.findings import Severity
from harness.lint.rules.base import ExistingTableRule, Hit
from harness.lint.statement import Statement

FILLED = {ConstrType.CONSTR_DEFAULT, ConstrType.CONSTR_IDENTITY, ConstrType.CONSTR_GENERATED}
NOT_NULL = {ConstrType.CONSTR_NOTNULL, ConstrType.CONSTR_PRIMARY}


def required_without_default(column: ast.ColumnDef) -> bool:
    kinds = {con.contype for con in column.constraints or ()}
    return (bool(column.is_not_null) or bool(kinds & NOT_NULL)) and not kinds & FILLED


class NotNullWithoutDefault(ExistingTableRule):
    id = "not-null-without-default"
    severity = Severity.ERROR

    def command(self, stmt: Statement, table: str, cmd: ast.AlterTableCmd) -> Iterable[Hit]:
        column = cmd.def_
        if cmd.subtype == AlterTableType.AT_AddColumn and isinstance(column, ast.ColumnDef):
            if required_without_default(column):
                yield self.hit(
                    stmt,
                    f"adds NOT NULL column {column.colname} to {table} without a default: "
                    "it fails as soon as the table has a row",
                    table,
                )
