"""Remove a policy's WITH CHECK.

On an UPDATE or ALL policy PostgreSQL then checks new rows with the USING expression; where the two
were the same, only the catalog shows the difference. On an INSERT policy no row passes any more.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from harness.mutate.model import Mutation
from harness.mutate.operators._common import POLICY_STATEMENTS, policy_label
from harness.mutate.tree import clone

NAME = "drop-with-check"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if isinstance(statement, POLICY_STATEMENTS) and statement.with_check is not None:
        mutated = clone(statement)
        mutated.with_check = None
        yield Mutation(f"{policy_label(statement)}: WITH CHECK removed", mutated)
