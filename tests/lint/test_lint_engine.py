"""The engine: statements inside DO blocks and EXECUTE strings, and the schema model across files."""

from __future__ import annotations

from harness.lint.parse import parse_file


def test_do_blocks_and_execute_strings_are_opened():
    sql = """do $$
begin
  execute 'do $inner$ begin create table if not exists public.x (id int); end $inner$';
  perform 1;
end $$;"""
    parsed = parse_file(sql, "m.sql")
    kinds = [(type(s.node).__name__, s.line, s.nested) for s in parsed.statements]
    assert kinds == [("DoStmt", 1, False), ("DoStmt", 3, True), ("CreateStmt", 3, True)]
    assert parsed.notes == []


def test_function_bodies_are_not_statements_but_facts():
    sql = """create or replace function public.f() returns void language plpgsql as $$
begin
  create table public.later (id int);
  perform public.g((select auth.jwt()) -> 'user_metadata');
end $$;"""
    [stmt] = parse_file(sql, "m.sql").statements
    assert stmt.body is not None and stmt.body.reads_user_metadata
    assert {"public.g", "auth.jwt"} <= stmt.body.calls


def test_renamed_table_keeps_its_creator(linter):
    first = """create table if not exists public.a (id uuid primary key);
alter table public.a enable row level security;
alter table if exists public.a rename to b;"""
    second = "create policy p on public.b for select to authenticated using (true);"
    [finding] = linter.rule("foreign-policy", first, second)
    assert finding.table == "public.b" and finding.file.endswith("_m2.sql")


def test_table_dropped_and_recreated_belongs_to_the_new_file(linter):
    first = (
        "create table if not exists public.a (id uuid primary key);\nalter table public.a enable row level security;"
    )
    second = """drop table if exists public.a;
create table public.a (id uuid primary key);
alter table public.a enable row level security;
create policy p on public.a for select to authenticated using (true);"""
    assert linter.rule("foreign-policy", first, second) == []


def test_table_created_in_a_do_block_belongs_to_the_file(linter):
    sql = """do $$ begin
  if to_regclass('public.a') is null then
    create table public.a (id uuid primary key);
  end if;
end $$;
alter table public.a enable row level security;
drop policy if exists p on public.a;
create policy p on public.a for select to authenticated using (true);"""
    findings = linter.run(sql)
    assert {f.rule for f in findings} <= {"table-without-comment"}


def test_findings_carry_the_source_line(linter):
    [finding] = linter.rule("rls-missing", "\n  create table if not exists public.a (id int);")
    assert finding.line == 2 and finding.column == 3
    assert finding.evidence["source"] == "create table if not exists public.a (id int);"


def test_every_rule_is_documented_and_tested():
    from pathlib import Path

    from harness.lint.rules import RULES

    tests = "\n".join(p.read_text() for p in (Path(__file__).parent / "rules").glob("test_rule_*.py"))
    for rule in RULES:
        assert "Why it matters" in rule.documentation(), rule.id
        assert f'"{rule.id}"' in tests or f"{rule.id}:" in tests or f'rule == "{rule.id}"' in tests, rule.id
