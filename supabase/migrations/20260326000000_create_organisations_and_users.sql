-- Organisations (the tenants) and their members' profiles, plus the helpers that every tenant-scoped
-- table's policies reuse.
--
-- Idempotent: every statement can run again on a database that already has it (IF NOT EXISTS,
-- CREATE OR REPLACE, DROP POLICY IF EXISTS + CREATE POLICY). Row level security is enabled right
-- after each CREATE TABLE, before any row can exist.
--
-- Access model (policies are TO authenticated only; anon has no policy and no table privilege):
--   organisations  members SELECT their own organisation; org admins UPDATE it. Organisations are
--                  created and deleted by the service role only.
--   users          everybody SELECTs their own profile; coordinators and org admins SELECT every
--                  profile of their organisation; org admins UPDATE and DELETE profiles of their
--                  organisation (and cannot move one into another organisation). Profiles are
--                  created by the service role (the invite flow): a profile binds an auth user to
--                  an organisation, which no tenant may do to an arbitrary account.
-- One organisation per user: users.id is the primary key, so a person belongs to exactly one tenant.

-- Shared trigger function: stamps updated_at on every UPDATE. Invoker rights: it reads nothing.
create or replace function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;

comment on function public.set_updated_at() is
  'Trigger function: sets NEW.updated_at to now() (the transaction time) on every UPDATE.';

-- -------------------------------------------------------------------------------------------------
-- organisations
-- -------------------------------------------------------------------------------------------------
create table if not exists public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organisations_name_not_blank check (length(btrim(name)) between 1 and 200)
);

alter table public.organisations enable row level security;

comment on table public.organisations is
  'A tenant: one peer-mentoring organisation (chapter). Every member (public.users) belongs to exactly '
  'one. Rows are created by the service role; members read their own, org admins rename it.';
comment on column public.organisations.name is 'Display name of the organisation, 1 to 200 characters.';

create or replace trigger organisations_set_updated_at
  before update on public.organisations
  for each row execute function public.set_updated_at();

-- -------------------------------------------------------------------------------------------------
-- users: the application profile of an auth.users row
-- -------------------------------------------------------------------------------------------------
create table if not exists public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id) on delete restrict,
  role text not null default 'peer_mentor',
  full_name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_role_check check (role in ('peer_mentor', 'coordinator', 'org_admin'))
);

alter table public.users enable row level security;

comment on table public.users is
  'Application profile of a signed-in person (1:1 with auth.users, deleted with it). Carries the '
  'single organisation the person belongs to and their role in it; the source of truth for every '
  'tenant-scoped row level security policy (see public.get_user_organisation_id()).';
comment on column public.users.organisation_id is
  'The one organisation this person belongs to. Deleting an organisation that still has members is refused.';
comment on column public.users.role is 'peer_mentor, coordinator or org_admin within the organisation.';

-- The policies look members up by organisation; (organisation_id, id) also answers the
-- "ids of my organisation's members" sub-query of other tables' policies from the index alone,
-- and covers the foreign key.
create index if not exists users_organisation_id_idx on public.users (organisation_id, id);

create or replace trigger users_set_updated_at
  before update on public.users
  for each row execute function public.set_updated_at();

-- -------------------------------------------------------------------------------------------------
-- Policy helpers. SECURITY DEFINER so that reading public.users from a policy does not re-enter
-- public.users' own policies (no recursion); search_path is empty and every name is qualified, so
-- nothing a caller puts on the path can be picked up. Call them as (select public.helper()) in a
-- policy so PostgreSQL evaluates them once per statement, not once per row.
-- -------------------------------------------------------------------------------------------------
create or replace function public.get_user_organisation_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.organisation_id
  from public.users as u
  where u.id = (select auth.uid())
$$;

comment on function public.get_user_organisation_id() is
  'Organisation of the signed-in user (auth.uid()), or NULL when there is no profile. Reuse it in '
  'every tenant-scoped policy as (select public.get_user_organisation_id()).';

create or replace function public.get_user_role()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select u.role
  from public.users as u
  where u.id = (select auth.uid())
$$;

comment on function public.get_user_role() is
  'Role (peer_mentor, coordinator, org_admin) of the signed-in user, or NULL when there is no '
  'profile. Use it in policies as (select public.get_user_role()).';

-- The member list is a policy building block, not something to hand out: it lives in `private`, a
-- schema the API does not expose, so no one can call it through /rpc and enumerate an organisation's
-- members (a peer mentor may only see their own profile). Policies still call it as the caller.
create schema if not exists private;
comment on schema private is
  'Helpers for row level security policies. Not in the API''s exposed schemas: callable from policies, not over /rpc.';
grant usage on schema private to authenticated, service_role;

create or replace function private.get_organisation_member_ids(caller_role text default null)
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(pg_catalog.array_agg(member.id), '{}')
  from public.users as me
  join public.users as member on member.organisation_id = me.organisation_id
  where me.id = (select auth.uid())
    and (caller_role is null or me.role = caller_role)
$$;

comment on function private.get_organisation_member_ids(text) is
  'Ids of every member (public.users) of the signed-in user''s organisation, the user included; '
  'empty without a profile, and empty when caller_role is given and is not the user''s role. For '
  'tables whose rows belong to a member: member_id = any ((select '
  'private.get_organisation_member_ids(''coordinator''))::uuid[]) is one array, computed once per '
  'statement, and an index condition on member_id (the cast keeps the sub-select scalar). Testing the '
  'role inside, not beside, keeps the other roles'' queries from scanning the whole organisation.';

-- Supabase grants every new function in public to anon; these answer nothing useful without a user.
revoke execute on function public.get_user_organisation_id() from public, anon;
revoke execute on function public.get_user_role() from public, anon;
revoke execute on function private.get_organisation_member_ids(text) from public, anon;
grant execute on function public.get_user_organisation_id() to authenticated, service_role;
grant execute on function public.get_user_role() to authenticated, service_role;
grant execute on function private.get_organisation_member_ids(text) to authenticated, service_role;
revoke execute on function public.set_updated_at() from public, anon, authenticated;

-- -------------------------------------------------------------------------------------------------
-- Privileges: RLS is the barrier for authenticated; anon gets nothing at all, and nobody on the API
-- gets TRUNCATE (which row level security does not govern), REFERENCES or TRIGGER. Granted
-- explicitly: a project created since 2026 no longer grants new tables to the API roles by default
-- (and one created before still does, hence the revokes).
-- -------------------------------------------------------------------------------------------------
revoke all on table public.organisations, public.users from anon;
revoke truncate, references, trigger on table public.organisations, public.users from authenticated;
grant select, insert, update, delete on table public.organisations, public.users to authenticated, service_role;
-- Ids are immutable through the API: a profile's id is its auth account, and re-pointing it would
-- hand the profile (and its organisation) to another account. Every other column stays updatable
-- (the policies decide which rows).
revoke update on table public.organisations, public.users from authenticated;
grant update (name, created_at, updated_at) on table public.organisations to authenticated;
grant update (organisation_id, role, full_name, created_at, updated_at) on table public.users to authenticated;

-- -------------------------------------------------------------------------------------------------
-- Policies: organisations
-- -------------------------------------------------------------------------------------------------
drop policy if exists "Members can view their organisation" on public.organisations;
create policy "Members can view their organisation"
  on public.organisations
  for select
  to authenticated
  using (id = (select public.get_user_organisation_id()));

drop policy if exists "Org admins can update their organisation" on public.organisations;
create policy "Org admins can update their organisation"
  on public.organisations
  for update
  to authenticated
  using (
    (select public.get_user_role()) = 'org_admin'
    and id = (select public.get_user_organisation_id())
  )
  with check (
    (select public.get_user_role()) = 'org_admin'
    and id = (select public.get_user_organisation_id())
  );

-- -------------------------------------------------------------------------------------------------
-- Policies: users
-- -------------------------------------------------------------------------------------------------
drop policy if exists "Users can view their own profile" on public.users;
create policy "Users can view their own profile"
  on public.users
  for select
  to authenticated
  using (id = (select auth.uid()));

drop policy if exists "Staff can view profiles in their organisation" on public.users;
create policy "Staff can view profiles in their organisation"
  on public.users
  for select
  to authenticated
  using (
    (select public.get_user_role()) in ('coordinator', 'org_admin')
    and organisation_id = (select public.get_user_organisation_id())
  );

drop policy if exists "Org admins can update profiles in their organisation" on public.users;
create policy "Org admins can update profiles in their organisation"
  on public.users
  for update
  to authenticated
  using (
    (select public.get_user_role()) = 'org_admin'
    and organisation_id = (select public.get_user_organisation_id())
  )
  with check (
    (select public.get_user_role()) = 'org_admin'
    and organisation_id = (select public.get_user_organisation_id())
  );

drop policy if exists "Org admins can remove profiles from their organisation" on public.users;
create policy "Org admins can remove profiles from their organisation"
  on public.users
  for delete
  to authenticated
  using (
    (select public.get_user_role()) = 'org_admin'
    and organisation_id = (select public.get_user_organisation_id())
  );
