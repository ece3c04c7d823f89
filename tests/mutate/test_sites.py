"""Sites: statements at the top level, in DO blocks (plain and literal EXECUTE) and in function bodies,
each rebuilt into the file's text without moving the other statements' lines."""

from __future__ import annotations

import re

import pglast

from harness.mutate.sites import file_sites
from harness.mutate.tree import deparse

FILE = """create table t (a int);
do $$
begin
  -- make the policy once
  if not exists (select 1 from pg_policies where policyname = 'p') then
    create policy "p" on public.t
      for select to authenticated using (a = 1);
  end if;
  execute 'alter table public.t enable row level security';
end
$$;
create function f() returns int language sql stable as $$
  select a from public.t where a = (select auth.uid())
$$;
select 1;
"""


def test_every_statement_with_its_line_and_context() -> None:
    found = [(s.line, s.top_line, s.context, type(s.node).__name__, s.removable) for s in file_sites(FILE)]
    assert found == [
        (1, 1, "", "CreateStmt", True),
        (2, 2, "", "DoStmt", True),
        (6, 2, "DO block", "CreatePolicyStmt", True),
        (9, 2, "EXECUTE in DO block", "AlterTableStmt", True),
        (12, 12, "", "CreateFunctionStmt", True),
        (13, 12, "function public.f", "SelectStmt", False),
        (15, 15, "", "SelectStmt", True),
    ]


def test_a_top_level_statement_is_replaced_in_place_and_lines_stay() -> None:
    site = file_sites(FILE)[0]
    rebuilt = site.rebuild("CREATE TABLE t (a bigint)")
    assert rebuilt.startswith("CREATE TABLE t (a bigint);\ndo $$")
    removed = file_sites(FILE)[-1].rebuild(None)
    assert removed.endswith("$$;\n;\n") and removed.count("\n") == FILE.count("\n")


def test_a_statement_in_a_do_block_is_replaced_inside_the_body() -> None:
    site = file_sites(FILE)[2]
    rebuilt = site.rebuild("CREATE POLICY p ON public.t USING (TRUE)")
    do = pglast.parse_sql(rebuilt)[1].stmt
    body = do.args[0].arg.sval
    assert "CREATE POLICY p ON public.t USING (TRUE)\n;" in body and "-- make the policy once" in body
    assert rebuilt.count("\n") == FILE.count("\n")
    assert re.search(r"then\s+null\s*;\s+end if;", file_sites(FILE)[2].rebuild(None))  # a no-op stays


def test_a_literal_execute_is_rebuilt_as_a_literal() -> None:
    site = file_sites(FILE)[3]
    assert "execute 'select null';" in site.rebuild(None)
    rebuilt = site.rebuild("COMMENT ON TABLE t IS 'it''s'")
    assert "execute 'COMMENT ON TABLE t IS ''it''''s''';" in rebuilt
    assert pglast.parse_sql(rebuilt)  # still valid SQL


def test_a_statement_of_a_function_body_is_rebuilt_inside_the_function() -> None:
    site = file_sites(FILE)[5]
    rebuilt = site.rebuild("SELECT a FROM public.t WHERE a = a")
    function = pglast.parse_sql(rebuilt)[2].stmt
    assert "SELECT a FROM public.t WHERE a = a" in deparse(function)
    assert "LANGUAGE sql STABLE" in deparse(function)


def test_plpgsql_function_bodies_and_repeated_text() -> None:
    text = ("create function g() returns void language plpgsql as $$\nbegin\n"
            "  update t set a = 1 where a = auth.uid();\nend\n$$;\nselect 1;\nselect 1;\n")
    sites = file_sites(text)
    assert [(s.line, s.context) for s in sites] == [(1, ""), (3, "function public.g"), (6, ""), (7, "")]
    # the second `select 1` is found where it is, not at the first occurrence of its text
    assert sites[3].rebuild("SELECT 2").endswith("select 1;\nSELECT 2;\n")


def test_a_file_that_does_not_parse_has_no_site() -> None:
    assert file_sites("create tabel t (a int);") == []
