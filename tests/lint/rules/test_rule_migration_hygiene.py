"""transaction-control, concurrently-in-migration, identifier-too-long, rls-disabled-later, body-not-analysed."""

from __future__ import annotations

import pytest

from harness.findings import Severity


def test_transaction_control(linter):
    findings = linter.rule("transaction-control", "begin;\ncreate schema if not exists private;\ncommit;")
    assert [(f.line, f.severity) for f in findings] == [(1, Severity.WARNING), (3, Severity.ERROR)]
    assert linter.rule("transaction-control", "create schema if not exists private;") == []


@pytest.mark.parametrize(
    "sql",
    [
        "create index concurrently if not exists a_idx on public.a (id);",
        "drop index concurrently if exists public.a_idx;",
        "reindex (concurrently) index public.a_idx;",
        "alter table public.events detach partition public.events_2023 concurrently;",
    ],
)
def test_concurrently(linter, sql):
    [finding] = linter.rule("concurrently-in-migration", sql)
    assert "transaction block" in finding.message


def test_concurrently_allowed_where_postgres_allows_it(linter):
    sql = "create index if not exists a_idx on public.a (id);\nrefresh materialized view concurrently public.m;"
    assert linter.rule("concurrently-in-migration", sql) == []


def test_identifier_too_long(linter):
    long_policy = "members of the organisation can read the invoices of their own organisation"
    sql = f"""create policy "{long_policy}" on public.invoices for select to authenticated using (true);
create table if not exists public.t ({"é" * 32} int, constraint {"c" * 63} check (true));
create index if not exists short_name on public.t (id);"""
    findings = linter.rule("identifier-too-long", sql)
    assert [(f.line, f.evidence["bytes"]) for f in findings] == [(1, len(long_policy)), (2, 64)]
    assert findings[0].severity == Severity.WARNING


def test_rls_disabled_later(linter):
    [finding] = linter.review("rls-disabled-later", "alter table public.profiles disable row level security;")
    assert finding.severity == Severity.ERROR and finding.table == "public.profiles"
    off_then_on = "alter table public.profiles disable row level security;"
    assert (
        linter.review("rls-disabled-later", off_then_on, "alter table public.profiles enable row level security;") == []
    )
    assert linter.review("rls-disabled-later", "alter table private.audit_log disable row level security;") == []


RETURN_NEXT = """create or replace function public.leaderboard() returns table (user_id uuid, points int)
language plpgsql stable as $$
begin
  for user_id, points in select p.id, 1 from public.profiles p loop
    return next;
  end loop;
end $$;"""

ROWTYPE_FIELD = """create or replace function public.touch_profile(p_id uuid) returns void
language plpgsql as $$
declare
  row public.profiles%rowtype;
begin
  select * into row from public.profiles where id = p_id;
  row.nickname := coalesce(row.nickname, 'anonymous');
  update public.profiles set nickname = row.nickname where id = p_id;
end $$;"""


def test_plpgsql_the_parser_cannot_analyse_is_info_not_an_error(linter):
    findings = linter.run(RETURN_NEXT, ROWTYPE_FIELD)
    assert [f.rule for f in findings if f.rule == "parse-error"] == []
    [info] = [f for f in findings if f.rule == "body-not-analysed"]
    assert info.severity == Severity.INFO and info.file.endswith("_m2.sql")
    assert info.message.startswith("body not analysed:")


def test_plpgsql_do_block_the_parser_cannot_analyse(linter):
    sql = """do $$
declare r public.profiles%rowtype;
begin
  r.nickname := 'x';
end $$;"""
    [info] = linter.rule("body-not-analysed", sql)
    assert info.line == 1
    assert linter.rule("parse-error", sql) == []
