"""The mutation operators, one module each. An operator module has a docstring (what it breaks and
why that matters), `NAME` (the id reports and `-- harness: equivalent <operator>` marks use) and
`mutations(statement)`, which yields a `Mutation` per way it breaks one parsed statement (never
changing the statement it was given)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from pglast import ast

from harness.mutate.model import Mutation
from harness.mutate.operators import (
    auth_uid,
    change_default,
    disable_rls,
    drop_cascade,
    drop_check_constraint,
    drop_conjunct,
    drop_index,
    drop_policy,
    drop_trigger,
    drop_with_check,
    policy_true,
    restrictive_to_permissive,
    select_to_all,
    to_public,
)


@dataclass(frozen=True)
class Operator:
    name: str
    summary: str  # the first sentence of the module's docstring
    mutations: Callable[[ast.Node], Iterator[Mutation]]


def _operator(module: ModuleType) -> Operator:
    summary = (module.__doc__ or "").strip().split("\n\n", 1)[0].replace("\n", " ")
    return Operator(module.NAME, summary, module.mutations)


OPERATORS: dict[str, Operator] = {
    op.name: op for op in map(_operator, (
        drop_policy, policy_true, drop_with_check, drop_conjunct, auth_uid, to_public, restrictive_to_permissive,
        select_to_all, disable_rls, drop_check_constraint, drop_trigger, drop_cascade, drop_index, change_default,
    ))
}

__all__ = ["OPERATORS", "Operator"]
