"""Facts about SQL fragments: which functions they call and whether they read `user_metadata`."""

from __future__ import annotations

from typing import Any, Iterable

from pglast import ast
from pglast.parser import ParseError

from harness.lint.statement import BodyFacts
from harness.sql import fastparse
from harness.sql.nodes import func_name, iter_nodes

USER_METADATA_MARKERS = ("user_metadata", "raw_user_meta_data")


def mentions_user_metadata(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in USER_METADATA_MARKERS)


def facts_of(roots: Iterable[Any], key: str = "") -> BodyFacts:
    """Facts of AST subtrees (policy expressions, parsed function bodies)."""
    calls: set[str] = set()
    reads = False
    for root in roots:
        for node in iter_nodes(root):
            if isinstance(node, ast.FuncCall):
                calls.add(func_name(node))
            elif isinstance(node, ast.String) and not reads:
                reads = mentions_user_metadata(node.sval)
    return BodyFacts(frozenset(calls), reads, key)


def parse_fragment(query: str, mode: int = 0) -> tuple[ast.Node, ...] | None:
    """Parse a plpgsql fragment by its parse mode (0: statement, 2: expression, 3-5: assignment)."""
    if mode == 2:
        query = "SELECT " + query
    elif mode >= 3:
        target, sep, value = query.partition(":=")
        if not sep:
            target, sep, value = query.partition("=")
        query = "SELECT " + value
    try:
        return fastparse.parse_statements(query)
    except ParseError:
        return None


def fragment_facts(fragments: Iterable[tuple[str, int]], key: str) -> BodyFacts:
    """Facts of plpgsql fragments; a fragment that does not parse still counts for user_metadata."""
    roots: list[Any] = []
    reads = False
    for query, mode in fragments:
        if "(" not in query:  # no call in it: only user_metadata can matter
            reads = reads or mentions_user_metadata(query)
            continue
        parsed = parse_fragment(query, mode)
        if parsed is None:
            reads = reads or mentions_user_metadata(query)
        else:
            roots.append(parsed)
    found = facts_of(roots, key)
    return BodyFacts(found.calls, found.reads_user_metadata or reads, key)


def normalise(text: str) -> str:
    return " ".join(text.split())
