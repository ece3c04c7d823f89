"""fastparse builds the same trees as pglast.parse_sql (except libpg_query's negative Integer quirk)."""

from __future__ import annotations

from pathlib import Path

import pglast
import pytest
from pglast import ast

from harness.sql import fastparse

MIGRATIONS = sorted((Path(__file__).parent / "fixtures" / "realistic" / "supabase" / "migrations").glob("*.sql"))


def _without_negative_integers(node: object) -> object:
    """pglast's tree with negative Integer values zeroed, as libpg_query's JSON writes them."""
    if isinstance(node, ast.Integer) and node.ival < 0:
        node.ival = 0
    if isinstance(node, ast.Node):
        for attr in node.__slots__:
            _without_negative_integers(getattr(node, attr, None))
    elif isinstance(node, tuple):
        for item in node:
            _without_negative_integers(item)
    return node


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: p.name)
def test_same_tree_as_pglast(path: Path):
    sql = path.read_text()
    expected = [
        (_without_negative_integers(raw.stmt), raw.stmt_location, raw.stmt_len) for raw in pglast.parse_sql(sql)
    ]
    assert fastparse.parse_sql(sql) == expected


def test_nulls_in_lists_and_constants():
    [select] = fastparse.parse_statements("select 1, 'a', true, false, null, 1.5 from f() with ordinality")
    values = [target.val for target in select.targetList]
    assert [type(v.val).__name__ if v.val is not None else None for v in values] == [
        "Integer",
        "String",
        "Boolean",
        "Boolean",
        None,
        "Float",
    ]
    assert select == pglast.parse_sql("select 1, 'a', true, false, null, 1.5 from f() with ordinality")[0].stmt


def test_syntax_errors_raise_like_pglast():
    with pytest.raises(pglast.parser.ParseError):
        fastparse.parse_sql("select from where")


def test_statement_positions_are_characters():
    sql = "-- Føretak ✓\ncreate table a (n text default 'æøå');\nselect 1;\n"
    expected = [(raw.stmt_location, raw.stmt_len) for raw in pglast.parse_sql(sql)]
    assert [(location, length) for _, location, length in fastparse.parse_sql(sql)] == expected
