"""parse-error: invalid SQL, with the right line even after non-ASCII text."""

from __future__ import annotations


def test_syntax_error_line_and_column(linter):
    sql = "-- Føretak og brukarar ✓\ncreate table if not exists public.a (id int);\ncreate policy p on public.a for selec using (true);\n"
    [finding] = linter.rule("parse-error", sql)
    assert (finding.line, finding.column) == (3, 33)
    assert "selec" in finding.message


def test_rest_of_the_file_is_still_linted(linter):
    sql = "create table public.a (id int);\nselect from where;\ncreate table public.b (id int);"
    findings = linter.run(sql)
    assert len([f for f in findings if f.rule == "parse-error"]) == 1
    assert {f.table for f in findings if f.rule == "rls-missing"} == {"public.a", "public.b"}


def test_invalid_plpgsql_body(linter):
    sql = "create or replace function public.f() returns void language plpgsql as $$\nbegin\n  if true then\nend $$;"
    [finding] = linter.rule("parse-error", sql)
    assert finding.line == 1 and "plpgsql" in finding.message


def test_invalid_sql_body_points_into_the_body(linter):
    sql = "create or replace function public.f() returns int language sql as $$\n  select 1\n  fro x\n$$;"
    [finding] = linter.rule("parse-error", sql)
    assert finding.line == 3


def test_valid_file(linter):
    sql = "create or replace function public.f() returns int language plpgsql as $$ begin return 1; end $$;"
    assert linter.rule("parse-error", sql) == []


def test_positions_after_non_ascii_text(linter):
    sql = "-- Føretak ✓\ncreate table if not exists public.a (n text default 'æøå');\ninsert into public.a values ('ø');\n"
    [finding] = linter.rule("not-idempotent", sql)
    assert (finding.line, finding.column) == (3, 1)
