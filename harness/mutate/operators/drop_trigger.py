"""Drop a trigger: the CREATE TRIGGER is removed, so whatever it kept true (a timestamp, an audit
row, a derived column) silently stops."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from harness.mutate.model import Mutation
from harness.sql.nodes import relation_name

NAME = "drop-trigger"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if isinstance(statement, ast.CreateTrigStmt):
        yield Mutation(f"trigger {statement.trigname} on {relation_name(statement.relation)} removed", None)
