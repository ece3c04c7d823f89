--
-- Organisations, member profiles with a role, and the work orders they share.
--
set statement_timeout = 0;
set client_encoding = 'UTF8';
set check_function_bodies = false;

create schema if not exists private;
grant usage on schema private to authenticated;

-- hardening: nothing new is callable by everybody unless granted
alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema private revoke execute on functions from public;

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now()
);

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  full_name text,
  role text not null default 'technician' check (role in ('technician', 'dispatcher', 'admin'))
);
create index profiles_organization_id_idx on public.profiles (organization_id);

create table public.work_orders (
  id bigint generated always as identity primary key,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  assignee_id uuid not null references public.profiles (id),
  title text not null,
  status text not null default 'open' check (status in ('open', 'done'))
);
create index work_orders_organization_id_idx on public.work_orders (organization_id);
create index work_orders_assignee_id_idx on public.work_orders (assignee_id);

create function private.my_organization_id() returns uuid
language sql stable security definer set search_path = '' as $$
  select p.organization_id from public.profiles p where p.id = (select auth.uid())
$$;
create function private.my_role() returns text
language sql stable security definer set search_path = '' as $$
  select p.role from public.profiles p where p.id = (select auth.uid())
$$;
grant execute on function private.my_organization_id(), private.my_role() to authenticated;

alter table public.organizations enable row level security;
alter table public.profiles enable row level security;
alter table public.work_orders enable row level security;

revoke all on public.organizations, public.profiles, public.work_orders from anon;

create policy "members read their organization" on public.organizations
  for select to authenticated using (id = (select private.my_organization_id()));
create policy "admins rename their organization" on public.organizations
  for update to authenticated
  using (id = (select private.my_organization_id()) and (select private.my_role()) = 'admin')
  with check (id = (select private.my_organization_id()));

create policy "members read colleagues" on public.profiles
  for select to authenticated using (organization_id = (select private.my_organization_id()));
create policy "members edit their own profile" on public.profiles
  for update to authenticated using (id = (select auth.uid()))
  with check (id = (select auth.uid()) and organization_id = (select private.my_organization_id()));

create policy "technicians read their work orders" on public.work_orders
  for select to authenticated
  using (assignee_id = (select auth.uid())
         or ((select private.my_role()) in ('dispatcher', 'admin')
             and organization_id = (select private.my_organization_id())));
create policy "dispatchers create work orders" on public.work_orders
  for insert to authenticated
  with check ((select private.my_role()) in ('dispatcher', 'admin')
              and organization_id = (select private.my_organization_id()));
create policy "assignees update their work orders" on public.work_orders
  for update to authenticated
  using (assignee_id = (select auth.uid()) and organization_id = (select private.my_organization_id()))
  with check (assignee_id = (select auth.uid()) and organization_id = (select private.my_organization_id()));
create policy "admins delete work orders" on public.work_orders
  for delete to authenticated
  using ((select private.my_role()) = 'admin' and organization_id = (select private.my_organization_id()));
