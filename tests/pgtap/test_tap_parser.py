"""The TAP parser against real pgTAP output (captured by capture.py from real runs), every kind."""

from __future__ import annotations

import pytest

from harness.pgtap.psql import psql_error
from harness.pgtap.tap import parse_tap

from .conftest import CAPTURED, read_capture


def captured(group: str, suite: str) -> tuple[str, str, int]:
    return read_capture(CAPTURED / group / suite)


def test_plan_ok_skip_and_failing_todo() -> None:
    stdout, _, rc = captured("passing", "01_basics.test.sql")
    doc = parse_tap(stdout)
    assert rc == 0 and doc.ok and not doc.parse_errors
    assert doc.planned == 6 and [t.number for t in doc.tests] == [1, 2, 3, 4, 5, 6]
    assert doc.tests[0].description == "truth is true"
    assert doc.tests[2].description == "the seed's two notes are there"
    skip = doc.tests[3]
    assert (skip.ok, skip.directive, skip.reason, skip.description) == (True, "SKIP", "not on this platform", "")
    todo = doc.tests[4]
    assert (todo.ok, todo.directive, todo.reason) == (False, "TODO", "a known gap")
    assert todo.passed and todo.description == "a failing TODO does not fail the run"
    assert todo.diagnostics.startswith('# Failed (TODO) test 5: "a failing TODO does not fail the run"')
    assert todo.have_want() == ("ADA", "Ada")


def test_plan_at_the_end_and_diag_between_tests() -> None:
    stdout, _, _ = captured("passing", "plan_at_end.pg")
    doc = parse_tap(stdout)
    assert stdout.rstrip().endswith("1..3")
    assert doc.planned == 3 and len(doc.tests) == 3 and doc.ok
    assert doc.tests[1].output == ["# a note between tests"]


def test_echo_lines_and_psql_variables() -> None:
    stdout, stderr, rc = captured("passing", "pg_prove_style__seeded.test.sql")
    doc = parse_tap(stdout)
    assert rc == 0 and doc.ok and doc.planned == 5
    assert "# checking the seed of 'ada'" in doc.preamble
    assert stderr == ""


def test_failed_assertions_with_have_want() -> None:
    stdout, _, rc = captured("failing", "assertions.test.sql")
    doc = parse_tap(stdout)
    assert rc == 0  # psql succeeds when assertions fail: only the TAP says so
    assert [t.number for t in doc.failed] == [2, 3, 4, 7]
    one_is_two = doc.tests[1]
    assert one_is_two.description == "one is two"
    assert one_is_two.have_want() == ("1", "2")
    assert one_is_two.diagnostics == '# Failed test 2: "one is two"\n#         have: 1\n#         want: 2'
    assert doc.summary == ["# Looks like you failed 4 tests of 7"]
    assert doc.tests[6].output == ['# Failed test 7: "the author\'s note is visible"']


def test_diagnostics_with_embedded_newlines() -> None:
    stdout, _, _ = captured("failing", "assertions.test.sql")
    multi = parse_tap(stdout).tests[2]
    assert multi.have_want() == ("first line\nsecond line", "first line\nother line")
    rows = parse_tap(stdout).tests[3]
    assert "Results differ beginning at row 2:" in rows.diagnostics
    assert rows.have_want() == ("(2)", "(3)")


def test_plan_that_does_not_match() -> None:
    stdout, _, rc = captured("failing", "plan_mismatch.test.sql")
    doc = parse_tap(stdout)
    assert rc == 0 and len(doc.tests) == 3 and not doc.failed
    assert doc.parse_errors == ["Bad plan.  You planned 5 tests but ran 3."]
    assert doc.summary == ["# Looks like you planned 5 tests but ran 3"]
    assert not doc.ok


def test_no_plan_at_all() -> None:
    stdout, _, rc = captured("failing", "no_plan.test.sql")
    doc = parse_tap(stdout)
    assert rc == 0 and doc.preamble == ["just a row"]
    assert doc.parse_errors == ["No plan found in TAP output"]


def test_bail_out_stops_reading() -> None:
    stdout, _, rc = captured("bailout", "b_bails.test.sql")
    doc = parse_tap(stdout)
    assert rc == 0
    assert doc.bail_out == "the environment is not usable"
    assert len(doc.tests) == 1  # the `ok 2` printed after the bail out is not read
    assert not doc.parse_errors and not doc.ok


@pytest.mark.parametrize(
    ("suite", "file", "line", "message", "client_side"),
    [
        ("dies.test.sql", "supabase/tests/failing/dies.test.sql", 5,
         'relation "public.no_such_table" does not exist', False),
        ("dies_in_include.test.sql", "supabase/tests/failing/_setup/broken.sql", 3, "division by zero", False),
        ("bad_meta.test.sql", "supabase/tests/failing/bad_meta.test.sql", 4, "invalid command \\frobnicate", True),
        ("missing_include.test.sql", "supabase/tests/failing/missing_include.test.sql", 3,
         "supabase/tests/failing/_setup/not_there.sql: No such file or directory", True),
    ],
)
def test_suite_that_dies(suite: str, file: str, line: int, message: str, client_side: bool) -> None:
    stdout, stderr, rc = captured("failing", suite)
    assert rc == 3  # ON_ERROR_STOP
    doc = parse_tap(stdout)
    planned = doc.planned or 0
    assert doc.parse_errors == [f"Bad plan.  You planned {planned} tests but ran {len(doc.tests)}."]
    error = psql_error(stderr)
    assert error is not None
    assert (error.file, error.line, error.message, error.client_side) == (file, line, message, client_side)


def test_server_error_keeps_its_detail_lines() -> None:
    _, stderr, _ = captured("failing", "dies.test.sql")
    error = psql_error(stderr)
    assert error is not None and error.detail.startswith("LINE 1: select * from public.no_such_table;")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok 1 - x # TODO not really", ("x", "TODO", "not really")),  # as TAP::Parser reads it
        ("ok 2 - a\\# b", ("a\\# b", None, None)),  # an escaped # is part of the description
        ("ok 3 - # hash in desc", ("# hash in desc", None, None)),
        ("not ok 4 # skip no reason given", ("", "SKIP", "no reason given")),
        ("ok 5", ("", None, None)),
    ],
)
def test_directives_are_split_as_tap_parser_does(text: str, expected: tuple[object, ...]) -> None:
    test = parse_tap(text).tests[0]
    assert (test.description, test.directive, test.reason) == expected


def test_out_of_sequence_more_than_one_plan_and_plan_in_the_middle() -> None:
    doc = parse_tap("1..3\nok 1\n1..3\nok 3\nok 4\n")
    assert "Tests out of sequence.  Found (3) but expected (2)" in doc.parse_errors
    assert any(e.startswith("More than one plan") for e in doc.parse_errors)
    middle = parse_tap("ok 1\n1..2\nok 2\n")
    assert middle.parse_errors == ["Plan (1..2) must be at the beginning or end of the TAP output"]


def test_skip_all_and_numbers_left_out() -> None:
    doc = parse_tap("1..0 # SKIP no database\n")
    assert doc.skip_all == "no database" and doc.ok
    plain = parse_tap("1..2\nok\nnot ok - second\n")
    assert [t.number for t in plain.tests] == [1, 2] and plain.tests[1].description == "second"
