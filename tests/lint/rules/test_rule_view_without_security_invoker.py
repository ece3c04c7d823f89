"""view-without-security-invoker."""

from __future__ import annotations

from harness.findings import Severity

PROTECTED = """create table if not exists public.notes (id uuid primary key, body text);
alter table public.notes enable row level security;
"""


def test_definer_view_over_rls_table_is_an_error(linter):
    [finding] = linter.rule(
        "view-without-security-invoker",
        PROTECTED + "create or replace view public.all_notes as select * from public.notes;",
    )
    assert finding.severity == Severity.ERROR and "public.notes" in finding.message


def test_definer_view_over_plain_data_is_a_warning(linter):
    [finding] = linter.rule(
        "view-without-security-invoker", "create or replace view public.numbers as select generate_series(1, 3) as n;"
    )
    assert finding.severity == Severity.WARNING


def test_security_invoker_in_create_or_alter(linter):
    created = (
        PROTECTED + "create or replace view public.a with (security_invoker = true) as select * from public.notes;"
    )
    altered = (
        PROTECTED
        + "create or replace view public.b as select * from public.notes;\nalter view public.b set (security_invoker = on);"
    )
    assert linter.rule("view-without-security-invoker", created) == []
    assert linter.rule("view-without-security-invoker", altered) == []


def test_views_outside_api_schemas(linter):
    assert (
        linter.rule(
            "view-without-security-invoker",
            PROTECTED + "create or replace view private.v as select * from public.notes;",
        )
        == []
    )


def test_fixed_by_a_later_migration(linter):
    created = PROTECTED + "create or replace view public.all_notes as select * from public.notes;"
    fixed = "alter view public.all_notes set (security_invoker = true);"
    assert linter.rule("view-without-security-invoker", created, fixed) == []


def test_turned_off_later_is_seen_where_it_happens(linter):
    created = (
        PROTECTED
        + "create or replace view public.all_notes with (security_invoker = on) as select * from public.notes;"
    )
    turned_off = "-- back to owner's rights\nalter view public.all_notes set (security_invoker = false);"
    [finding] = linter.rule("view-without-security-invoker", created, turned_off)
    assert finding.file.endswith("_m2.sql") and finding.line == 2 and finding.severity == Severity.ERROR
