"""fastparse builds the same trees as pglast.parse_sql."""

from __future__ import annotations

from pathlib import Path

import pglast
import pytest

from harness.sql import fastparse

MIGRATIONS = sorted((Path(__file__).parent / "fixtures" / "realistic" / "supabase" / "migrations").glob("*.sql"))


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: p.name)
def test_same_tree_as_pglast(path: Path):
    sql = path.read_text()
    expected = [(raw.stmt, raw.stmt_location, raw.stmt_len) for raw in pglast.parse_sql(sql)]
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


def test_negative_integers_survive():
    sql = "create table a (n int[], m int default -1)"
    assert fastparse.parse_statements(sql)[0] == pglast.parse_sql(sql)[0].stmt


def test_positions_after_many_non_ascii_statements():
    sql = "".join(f"-- ✓ étape {n}\nselect {n}; /* æ */ select 'ø{n}';\n" for n in range(200))
    expected = [(raw.stmt_location, raw.stmt_len) for raw in pglast.parse_sql(sql)]
    found = fastparse.parse_sql(sql)
    assert [(location, length) for _, location, length in found] == expected
    assert sql[found[-1][1] : found[-1][1] + found[-1][2]] == "select 'ø199'"
