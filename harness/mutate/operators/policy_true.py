"""Replace a policy's USING or WITH CHECK with `true`: the policy lets every row through.

One mutant per expression the policy has. A policy whose expression already is `true` gives an
equivalent mutant (the statement deparses the same), reported as such.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from harness.mutate.model import Mutation
from harness.mutate.operators._common import CLAUSES, POLICY_STATEMENTS, policy_label
from harness.mutate.tree import clone, true_constant

NAME = "policy-true"


def mutations(statement: ast.Node) -> Iterator[Mutation]:
    if not isinstance(statement, POLICY_STATEMENTS):
        return
    for clause, slot in CLAUSES:
        if getattr(statement, slot) is None:
            continue
        mutated = clone(statement)
        setattr(mutated, slot, true_constant())
        yield Mutation(f"{policy_label(statement)}: {clause} → true", mutated)
