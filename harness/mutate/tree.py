"""Small tools over pglast trees for the operators: copy, find, replace, remove, deparse."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pglast import ast
from pglast.stream import RawStream

from harness.sql.nodes import iter_nodes

N = TypeVar("N", bound=ast.Node)


def deparse(node: ast.Node) -> str:
    """The statement (or expression) as SQL, as PostgreSQL's own grammar prints it back."""
    return RawStream()(node)


def clone(node: N) -> N:
    """A deep copy: operators never change the statement they were given."""
    return copy.deepcopy(node)


def each_copy(statement: N, find: Callable[[ast.Node], list[Any]]) -> Iterator[tuple[Any, N, Any]]:
    """For every target `find` returns in `statement`: (the target, a deep copy of the statement, the
    same target inside that copy). `find` must be deterministic, so the n-th target of the copy is
    the copy of the n-th target of the original."""
    for index, target in enumerate(find(statement)):
        mutated = clone(statement)
        yield target, mutated, find(mutated)[index]


def nodes_of(root: Any, kind: type[N]) -> list[N]:
    """Every node of a type below `root`, in a fixed (depth-first) order."""
    return [node for node in iter_nodes(root) if isinstance(node, kind)]


def replace_node(root: ast.Node, old: ast.Node, new: ast.Node | None) -> bool:
    """Put `new` where `old` (found by identity) is below `root`; None removes it from a list.
    False when `old` is not there."""
    for node in iter_nodes(root):
        for slot in node.__slots__:
            value = getattr(node, slot, None)
            if value is old:
                setattr(node, slot, new)
                return True
            if isinstance(value, tuple) and any(item is old for item in value):
                items = tuple(new if item is old else item for item in value)
                setattr(node, slot, tuple(i for i in items if i is not None) or None)
                return True
    return False


def true_constant() -> ast.A_Const:
    return ast.A_Const(val=ast.Boolean(boolval=True))


def null_constant() -> ast.A_Const:
    return ast.A_Const(isnull=True)


def is_constant(expr: Any, value: object) -> bool:
    """`expr` is the literal `value` (True, False, None for NULL)."""
    if not isinstance(expr, ast.A_Const):
        return False
    if value is None:
        return bool(expr.isnull)
    return isinstance(expr.val, ast.Boolean) and bool(expr.val.boolval) is value


def short(node: ast.Node, width: int = 70) -> str:
    """A deparsed expression cut to `width` characters, for a mutant's description."""
    text = deparse(node)
    return text if len(text) <= width else text[: width - 1] + "…"
