"""breaking-drop, breaking-rename, column-type-change: on tables that existed before the change set only."""

from __future__ import annotations

import pytest

from harness.findings import Severity


@pytest.mark.parametrize(
    "change, severity",
    [
        ("alter table public.profiles drop column nickname;", Severity.ERROR),
        ("drop table if exists public.profiles;", Severity.ERROR),
        ("drop view public.profile_names;", Severity.ERROR),
        ("alter table private.audit_log drop column note;", Severity.WARNING),
    ],
)
def test_drops_of_what_existed(linter, change, severity):
    [finding] = linter.review("breaking-drop", change)
    assert finding.severity == severity and finding.file.endswith("_m2.sql")


def test_drops_in_the_change_set_own_tables_and_recreated_views_pass(linter):
    created_then_dropped = """create table if not exists public.drafts (id uuid primary key, body text);
alter table public.drafts enable row level security;
alter table public.drafts drop column body;"""
    later = "drop table public.drafts;"
    recreated = """drop view if exists public.profile_names;
create view public.profile_names with (security_invoker = true) as select nickname, age from public.profiles;"""
    assert linter.review("breaking-drop", created_then_dropped, later) == []
    assert linter.review("breaking-drop", recreated) == []
    assert linter.review("breaking-drop", "drop table if exists public.never_created;") == []


def test_whole_history_judges_nothing_as_existing(linter):
    files = [linter.SHIPPED, "alter table public.profiles drop column nickname;"]
    assert linter.rule("breaking-drop", *files) == []


def test_renames(linter):
    [table] = linter.review("breaking-rename", "alter table public.profiles rename to people;")
    [column] = linter.review("breaking-rename", "alter table public.profiles rename column nickname to handle;")
    [private] = linter.review("breaking-rename", "alter table private.audit_log rename column note to body;")
    assert table.severity == column.severity == Severity.ERROR and "nickname" in column.message
    assert private.severity == Severity.WARNING
    own = """create table if not exists public.drafts (id uuid primary key, body text);
alter table public.drafts enable row level security;
alter table public.drafts rename column body to text;"""
    assert linter.review("breaking-rename", own) == []


def test_column_type_change(linter):
    [finding] = linter.review("column-type-change", "alter table public.profiles alter column age type bigint;")
    assert "age" in finding.message and "bigint" in finding.message
    own = """create table if not exists public.drafts (id uuid primary key, n int);
alter table public.drafts enable row level security;
alter table public.drafts alter column n type bigint;"""
    assert linter.review("column-type-change", own) == []
