"""table-without-comment."""

from __future__ import annotations


def test_table_without_comment(linter):
    [finding] = linter.rule("table-without-comment", "create table if not exists public.notes (id uuid primary key);")
    assert finding.table == "public.notes"


def test_comment_in_a_later_migration(linter):
    first = "create table if not exists public.notes (id uuid primary key);"
    assert linter.rule("table-without-comment", first, "comment on table public.notes is 'Notes.';") == []
