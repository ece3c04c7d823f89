"""`mutants(operator, sql)`: what an operator makes of one statement, as (description, deparsed SQL)."""

from __future__ import annotations

import pglast

from harness.mutate.operators import OPERATORS
from harness.mutate.tree import deparse


def mutants(operator: str, sql: str) -> list[tuple[str, str | None]]:
    """Each mutation as (description, the mutated statement deparsed, None when removed); also
    proves the operator left the statement it was given alone."""
    statement = pglast.parse_sql(sql)[0].stmt
    before = deparse(statement)
    made = [(m.description, None if m.statement is None else deparse(m.statement))
            for m in OPERATORS[operator].mutations(statement)]
    assert deparse(statement) == before, "the operator changed the statement it was given"
    return made


def canonical(sql: str) -> str:
    """SQL as pglast deparses it, to compare with a mutant."""
    return deparse(pglast.parse_sql(sql)[0].stmt)
