"""A table has an integer or serial primary key where the project's convention is uuid.

The convention is uuid when more tables of the migration history have uuid primary keys than integer ones.

Why it matters: sequential ids leak row counts and creation order through the API and invite
enumeration (`?id=eq.42`, then 43); mixed key types also make foreign keys and helper functions
inconsistent.
"""

from __future__ import annotations

from typing import Iterable

from pglast import ast

from harness.findings import Severity
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import relation_name, table_elements, type_name

INTEGER_TYPES = {
    "int2",
    "int4",
    "int8",
    "smallint",
    "integer",
    "bigint",
    "serial",
    "serial4",
    "serial8",
    "bigserial",
    "smallserial",
    "serial2",
}


def primary_key_type(node: ast.CreateStmt) -> str | None:
    """The type of a single-column primary key declared in CREATE TABLE."""
    types: dict[str, str] = {}
    key: tuple[str, ...] = ()
    for element in table_elements(node.tableElts):
        if isinstance(element, ast.ColumnDef):
            types[element.colname] = type_name(element)
        elif element.kind == "primary":
            key = element.columns
    return types.get(key[0]) if len(key) == 1 else None


class IntegerPrimaryKey(Rule):
    id = "integer-primary-key"
    severity = Severity.INFO

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.integer: dict[str, Statement] = {}
        self.uuid = 0

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if isinstance(node, ast.CreateStmt) and node.partbound is None and node.relation.relpersistence != "t":
            kind = primary_key_type(node)
            if kind == "uuid":
                self.uuid += 1
            elif kind in INTEGER_TYPES:
                self.integer.setdefault(relation_name(node.relation), stmt)
        return ()

    def end_project(self) -> Iterable[Hit]:
        if self.uuid <= len(self.integer):
            return
        for table, stmt in self.integer.items():
            if table in self.ctx.model.relations:
                yield self.hit(stmt, f"{table} has an integer primary key; {self.uuid} other tables use uuid", table)
