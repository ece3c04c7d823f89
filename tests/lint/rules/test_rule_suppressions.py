"""Suppressions, suppression-without-reason and unknown-suppression."""

from __future__ import annotations

UNGUARDED = "create table public.notes (id uuid primary key);"


def test_line_suppression_with_reason(linter):
    sql = "-- harness: ignore not-idempotent,rls-missing fixture table, dropped in the next migration\n" + UNGUARDED
    rules = {f.rule for f in linter.run(sql)}
    assert "not-idempotent" not in rules and "rls-missing" not in rules and "suppression-without-reason" not in rules


def test_suppression_only_covers_the_next_statement(linter):
    sql = "-- harness: ignore not-idempotent legacy\n" + UNGUARDED + "\ncreate table public.more (id int);"
    assert [f.line for f in linter.rule("not-idempotent", sql)] == [3]


def test_file_suppression(linter):
    sql = UNGUARDED + "\n-- harness: ignore-file not-idempotent squashed baseline, applied once by design\n"
    assert linter.rule("not-idempotent", sql) == []


def test_suppression_inside_a_do_block(linter):
    sql = """do $$
begin
  -- harness: ignore not-idempotent guarded by the deploy script
  create type public.mood as enum ('ok');
end $$;"""
    assert linter.rule("not-idempotent", sql) == []


def test_suppression_without_reason_still_applies_but_warns(linter):
    findings = linter.run("-- harness: ignore not-idempotent\n" + UNGUARDED)
    assert [f.line for f in findings if f.rule == "suppression-without-reason"] == [1]
    assert not [f for f in findings if f.rule == "not-idempotent"]


def test_unknown_rule(linter):
    findings = linter.run("-- harness: ignore not-idempotant typo\n" + UNGUARDED)
    assert [f.line for f in findings if f.rule == "unknown-suppression"] == [1]
    assert [f.line for f in findings if f.rule == "not-idempotent"] == [2]
