"""Drop a policy: the CREATE POLICY is removed, as if the migration had forgotten it.

Suites that only test what a persona may *not* do pass without the policy; a test of what each
persona *may* do notices.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from harness.mutate.model import Mutation
from harness.mutate.operators._common import policy_label

NAME = "drop-policy"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if isinstance(statement, ast.CreatePolicyStmt):
        yield Mutation(f"{policy_label(statement)} removed", None)
