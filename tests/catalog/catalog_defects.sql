-- One object per catalog rule, each named after the rule it must trip.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'catalog_owner') then
    create role catalog_owner nologin;
  end if;
end
$$;
-- postgres is not a superuser (as on hosted): it may give a table away only to a role it is a member of.
grant catalog_owner to postgres;
grant usage, create on schema public to catalog_owner;  -- a new owner needs CREATE on the schema

create table public.c_rls_disabled (id bigint primary key, body text);

create table public.c_policy_without_rls (id bigint primary key, body text);
create policy "read" on public.c_policy_without_rls for select to authenticated using (true);

create table public.c_rls_no_policy (id bigint primary key);
alter table public.c_rls_no_policy enable row level security;

create table public.c_rls_not_forced (id bigint primary key);
alter table public.c_rls_not_forced enable row level security;
create policy "read" on public.c_rls_not_forced for select to authenticated using (true);
alter table public.c_rls_not_forced owner to catalog_owner;

create table public.c_protected (id bigint primary key, owner_id uuid, body text);
alter table public.c_protected enable row level security;
create policy "own rows" on public.c_protected for select to authenticated using (owner_id = (select auth.uid()));
create view public.c_security_definer_view as select id, body from public.c_protected;
create materialized view public.c_definer_matview as select id from public.c_protected;
create view public.c_invoker_view with (security_invoker = true) as select id, body from public.c_protected;

create view public.c_auth_users_exposed as select id, email from auth.users;

create function public.c_security_definer_function() returns bigint
language sql security definer set search_path = '' as $$ select count(*) from public.c_protected $$;

create function public.c_mutable_search_path() returns int language sql as $$ select 1 $$;
create function public.c_definer_mutable_search_path() returns int language sql security definer as $$ select 1 $$;
revoke execute on function public.c_definer_mutable_search_path() from public, anon, authenticated;

create function public.c_metadata_role() returns text language sql stable set search_path = '' as $$
  select (select auth.jwt()) -> 'user_metadata' ->> 'role'
$$;
create table public.c_user_metadata_policy (id bigint primary key);
alter table public.c_user_metadata_policy enable row level security;
create policy "admins delete" on public.c_user_metadata_policy for delete to authenticated
  using ((select public.c_metadata_role()) = 'admin');

create table public.c_policy_applies_to_public (id bigint primary key, published boolean);
alter table public.c_policy_applies_to_public enable row level security;
create policy "read published" on public.c_policy_applies_to_public for select using (published);

create table public.c_multiple_permissive (id bigint primary key, owner_id uuid, public boolean);
alter table public.c_multiple_permissive enable row level security;
create policy "own" on public.c_multiple_permissive for select to authenticated using (owner_id = (select auth.uid()));
create policy "public" on public.c_multiple_permissive for select to authenticated using (public);

create table public.c_auth_function_per_row (id bigint primary key, owner_id uuid);
alter table public.c_auth_function_per_row enable row level security;
create policy "own" on public.c_auth_function_per_row for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = auth.uid());

create table public.c_unindexed_foreign_key (id bigint primary key, protected_id bigint references public.c_protected (id));
alter table public.c_unindexed_foreign_key enable row level security;
create policy "all" on public.c_unindexed_foreign_key for select to authenticated using (true);

create table public.c_column_grant_defeated (id bigint primary key, name text, secret text);
alter table public.c_column_grant_defeated enable row level security;
create policy "all" on public.c_column_grant_defeated for update to authenticated using (true);
grant update (name) on public.c_column_grant_defeated to authenticated;
