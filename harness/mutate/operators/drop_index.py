"""Drop an index: the CREATE INDEX is removed. A unique index stops refusing duplicates; any other
index only costs speed, which a schema test (has_index) or `harness explain` notices."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from harness.mutate.model import Mutation
from harness.sql.nodes import relation_name

NAME = "drop-index"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if isinstance(statement, ast.IndexStmt):
        kind = "unique index" if statement.unique else "index"
        yield Mutation(f"{kind} {statement.idxname or '(unnamed)'} on {relation_name(statement.relation)} removed", None)
