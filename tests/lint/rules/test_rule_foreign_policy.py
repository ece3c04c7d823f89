"""foreign-policy: policies and RLS flags of another migration's table."""

from __future__ import annotations

PROFILES = """
create table if not exists public.profiles (id uuid primary key, org_id uuid not null);
alter table public.profiles enable row level security;
create or replace function public.my_org() returns uuid language sql stable as $$ select '00000000-0000-0000-0000-000000000000'::uuid $$;
drop policy if exists "read own org" on public.profiles;
create policy "read own org" on public.profiles for select to authenticated using (org_id = (select public.my_org()));
"""


def test_policies_on_own_table_are_fine(linter):
    assert linter.rule("foreign-policy", PROFILES) == []


def test_create_policy_on_older_table(linter):
    later = 'create policy "everyone" on public.profiles for select to authenticated using (true);'
    [finding] = linter.rule("foreign-policy", PROFILES, later)
    assert finding.file.endswith("_m2.sql") and finding.line == 1
    assert finding.table == "public.profiles"
    assert "supabase/migrations/20240101000001_m1.sql" in finding.message


def test_alter_and_drop_policy_and_rls_flags(linter):
    later = """
alter policy "read own org" on public.profiles using (true);
drop policy if exists "read own org" on public.profiles;
alter table public.profiles disable row level security;
alter table public.profiles no force row level security;
"""
    findings = linter.rule("foreign-policy", PROFILES, later)
    assert [f.line for f in findings] == [2, 3, 4, 5]
    assert "disables row level security" in findings[2].message


def test_inside_do_block_and_literal_execute(linter):
    later = """do $$
begin
  if not exists (select 1 from pg_policies where policyname = 'x') then
    create policy x on public.profiles for select to authenticated using (true);
  end if;
  execute 'alter table public.profiles disable row level security';
end $$;"""
    findings = linter.rule("foreign-policy", PROFILES, later)
    assert [(f.line, f.table) for f in findings] == [(4, "public.profiles"), (6, "public.profiles")]


def test_redefined_helper_that_older_policies_call(linter):
    later = "create or replace function public.my_org() returns uuid language sql stable as $$ select null::uuid $$;"
    [finding] = linter.rule("foreign-policy", PROFILES, later)
    assert "public.my_org()" in finding.message and "read own org" in finding.message


def test_helper_called_through_another_helper(linter):
    first = """
create or replace function public.org_of(u uuid) returns uuid language sql stable as $$ select u $$;
create or replace function public.my_org() returns uuid language plpgsql stable as $$
begin
  return public.org_of(auth.uid());
end $$;
create table if not exists public.profiles (id uuid primary key, org_id uuid not null);
alter table public.profiles enable row level security;
create policy p on public.profiles for select to authenticated using (org_id = (select public.my_org()));
"""
    later = (
        "create or replace function public.org_of(u uuid) returns uuid language sql stable as $$ select null::uuid $$;"
    )
    assert len(linter.rule("foreign-policy", first, later)) == 1


def test_rerunning_the_same_helper_is_fine(linter):
    same = "create or replace function public.my_org() returns uuid language sql stable as $$ select '00000000-0000-0000-0000-000000000000'::uuid $$;"
    assert linter.rule("foreign-policy", PROFILES, same) == []


def test_policy_that_reads_another_table_is_fine(linter):
    other = """
create table if not exists public.notes (id uuid primary key, org_id uuid not null);
alter table public.notes enable row level security;
create policy "notes of my org" on public.notes for select to authenticated
  using (org_id in (select p.org_id from public.profiles p where p.id = (select auth.uid())));
"""
    assert linter.rule("foreign-policy", PROFILES, other) == []


def test_platform_tables_are_foreign(linter):
    auth = "create policy read on auth.users for select to authenticated using (true);"
    [finding] = linter.rule("foreign-policy", auth)
    assert "no migration of this project creates" in finding.message


STORAGE = """
drop policy if exists "read own files" on storage.objects;
create policy "read own files" on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and owner = (select auth.uid()));
create policy "upload" on storage.buckets for insert to authenticated with check (true);
"""


def test_new_policies_on_storage_and_realtime_are_the_documented_pattern(linter):
    realtime = "create policy listen on realtime.messages for select to authenticated using (true);"
    assert linter.rule("foreign-policy", STORAGE, realtime) == []


def test_altering_or_dropping_an_existing_storage_policy_is_foreign(linter):
    later = """
alter policy "read own files" on storage.objects using (true);
drop policy "upload" on storage.buckets;
create policy "read own files v2" on storage.objects for select to authenticated using (true);
"""
    findings = linter.rule("foreign-policy", STORAGE, later)
    assert [(f.line, f.table) for f in findings] == [(2, "storage.objects"), (3, "storage.buckets")]
    assert "rls" not in findings[0].message and "alters policy" in findings[0].message


def _changed(*files: str, changed: tuple[int, ...]):
    from harness.lint.engine import SourceFile, lint_sources

    sources = [SourceFile(f"supabase/migrations/2024010100000{i}_m{i}.sql", sql) for i, sql in enumerate(files, 1)]
    judged = frozenset(sources[i - 1].file for i in changed)
    return [f for f in lint_sources(sources, changed=judged) if f.rule == "foreign-policy"]


def test_with_a_change_set_its_own_tables_are_not_foreign():
    install = "create table if not exists public.notes (id uuid primary key);"
    policies = 'alter table public.notes enable row level security;\ncreate policy "read" on public.notes for select to authenticated using (true);'
    # Both files under review: the change set created the table, so its later file may write its policies.
    assert _changed(PROFILES, install, policies, changed=(2, 3)) == []
    # The table shipped (file 2 is at the base): the change set's policies on it are foreign.
    findings = _changed(PROFILES, install, policies, changed=(3,))
    assert [f.line for f in findings] == [1, 2] and all(f.table == "public.notes" for f in findings)


def test_with_a_change_set_storage_policies_it_created_may_be_changed():
    later = 'alter policy "read own files" on storage.objects using (true);'
    assert _changed(STORAGE, later, changed=(1, 2)) == []
    assert len(_changed(STORAGE, later, changed=(2,))) == 1
