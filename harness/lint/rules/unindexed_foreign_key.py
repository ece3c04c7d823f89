"""A foreign key has no index on its referencing columns.

Why it matters: PostgreSQL indexes the referenced side only. Without an index on the referencing
columns, every delete or key update on the parent scans the child table, and RLS policies that join
through the key (`org_id in (select ...)`) scan it for every query.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pglast import ast

from harness.findings import Severity
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import (
    KeyConstraint,
    added_elements,
    relation_name,
    table_elements,
)


def declared_keys(node: ast.Node) -> Iterator[KeyConstraint]:
    """Key constraints a CREATE TABLE or ALTER TABLE declares."""
    if isinstance(node, ast.CreateStmt):
        elements = table_elements(node.tableElts)
    elif isinstance(node, ast.AlterTableStmt):
        elements = added_elements(node)
    else:
        return
    yield from (e for e in elements if isinstance(e, KeyConstraint))


class UnindexedForeignKey(Rule):
    id = "unindexed-foreign-key"
    severity = Severity.WARNING

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.foreign: list[tuple[str, KeyConstraint, Statement]] = []
        self.indexed: dict[str, list[tuple[str, ...]]] = {}

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if isinstance(node, ast.IndexStmt):
            columns = tuple(p.name or "" for p in node.indexParams or ())
            self.indexed.setdefault(relation_name(node.relation), []).append(columns)
        for key in declared_keys(node):
            table = relation_name(node.relation)
            if key.kind == "foreign":
                self.foreign.append((table, key, stmt))
            else:
                self.indexed.setdefault(table, []).append(key.columns)
        return ()

    def end_project(self) -> Iterable[Hit]:
        for table, key, stmt in self.foreign:
            if table not in self.ctx.model.relations or not key.columns:
                continue
            wanted = set(key.columns)
            if not any(set(index[: len(wanted)]) == wanted for index in self.indexed.get(table, ())):
                fix = f"create index if not exists ... on {table} ({', '.join(key.columns)})"
                yield self.hit(stmt, f"{key.describe(table)} has no index; add `{fix}`", table)
