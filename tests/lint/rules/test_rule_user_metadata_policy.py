"""user-metadata-policy: policies trusting what users can edit."""

from __future__ import annotations

TABLE = """create table if not exists public.notes (id uuid primary key, org_id uuid not null);
alter table public.notes enable row level security;
"""


def test_policy_reads_user_metadata(linter):
    sql = (
        TABLE
        + """create policy p on public.notes for select to authenticated
  using (org_id = ((select auth.jwt()) -> 'user_metadata' ->> 'org_id')::uuid);"""
    )
    [finding] = linter.rule("user-metadata-policy", sql)
    assert finding.line == 3


def test_policy_calls_a_function_that_reads_raw_user_meta_data(linter):
    sql = (
        TABLE
        + """create or replace function public.my_org() returns uuid language sql stable as $$
  select (raw_user_meta_data ->> 'org_id')::uuid from auth.users where id = auth.uid()
$$;
create policy p on public.notes for select to authenticated using (org_id = (select public.my_org()));"""
    )
    [finding] = linter.rule("user-metadata-policy", sql)
    assert "public.my_org()" in finding.message


def test_function_redefined_to_read_user_metadata(linter):
    sql = (
        TABLE
        + """create or replace function public.my_org() returns uuid language sql stable as $$ select null::uuid $$;
create policy p on public.notes for select to authenticated using (org_id = (select public.my_org()));"""
    )
    later = """create or replace function public.my_org() returns uuid language plpgsql stable as $$
begin
  return ((select auth.jwt()) -> 'user_metadata' ->> 'org_id')::uuid;
end $$;"""
    [finding] = linter.rule("user-metadata-policy", sql, later)
    assert finding.file.endswith("_m2.sql")


def test_app_metadata_is_fine(linter):
    sql = (
        TABLE
        + """create policy p on public.notes for select to authenticated
  using (org_id = ((select auth.jwt()) -> 'app_metadata' ->> 'org_id')::uuid);"""
    )
    assert linter.rule("user-metadata-policy", sql) == []
