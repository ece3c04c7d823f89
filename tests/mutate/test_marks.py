"""`-- harness: equivalent <operator> <reason>` and the same-tree rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.findings import HarnessError
from harness.mutate.generate import SAME_TREE, generate_mutants
from harness.sql.discovery import MigrationFile


def history(sql: str) -> list[MigrationFile]:
    return [MigrationFile(Path("supabase/migrations/20260101000000_a.sql"), "20260101000000", "a", sql)]


def mutants(sql: str, operators: list[str] | None = None) -> list[tuple[str, int, str | None]]:
    return [(m.operator, m.line, m.equivalent) for m in generate_mutants(history(sql), lambda f: f.path.name, operators)]


def test_a_mark_above_a_statement_makes_its_mutants_of_that_operator_equivalent() -> None:
    sql = ("create policy a on t for update using (x) with check (x);\n"
           "-- Same condition in both places, so PostgreSQL's fallback changes nothing.\n"
           "-- harness: equivalent drop-with-check USING is the same expression\n"
           "create policy b on t for update using (x) with check (x);\n")
    found = [m for m in mutants(sql, ["drop-with-check", "policy-true"])]
    assert found == [
        ("drop-with-check", 1, None),
        ("policy-true", 1, None), ("policy-true", 1, None),
        ("drop-with-check", 4, "USING is the same expression"),
        ("policy-true", 4, None), ("policy-true", 4, None),
    ]


def test_a_mark_inside_a_do_block() -> None:
    sql = ("do $$\nbegin\n  -- harness: equivalent drop-policy recreated below\n"
           "  create policy a on t using (x);\nend\n$$;\n")
    assert mutants(sql, ["drop-policy"]) == [("drop-policy", 4, "recreated below")]


def test_a_mutant_that_deparses_the_same_is_equivalent() -> None:
    assert mutants("create policy a on t using (true);", ["policy-true"]) == [("policy-true", 1, SAME_TREE)]


@pytest.mark.parametrize(("mark", "message"), [
    ("-- harness: equivalent drop-policy", "gives no reason"),
    ("-- harness: equivalent", "names no operator"),
    ("-- harness: equivalent drop-everything because", "names unknown operator 'drop-everything'"),
])
def test_a_broken_mark_is_a_user_error(mark: str, message: str) -> None:
    with pytest.raises(HarnessError, match=message) as caught:
        mutants(f"{mark}\ncreate policy a on t using (x);\n")
    assert str(caught.value).startswith("20260101000000_a.sql:1: ")
