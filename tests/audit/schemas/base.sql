-- Shared by the test schemas: organisations (tenants), a one-organisation member profile, and the
-- policy helpers in a schema the API does not expose.
create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null
);
alter table public.organisations enable row level security;

create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id),
  role text not null check (role in ('peer_mentor', 'coordinator', 'org_admin'))
);
alter table public.users enable row level security;
create index on public.users (organisation_id);

create schema app;
grant usage on schema app to anon, authenticated;

create function app.org() returns uuid language sql stable security definer set search_path = '' as $$
  select u.organisation_id from public.users u where u.id = (select auth.uid())
$$;
create function app.role() returns text language sql stable security definer set search_path = '' as $$
  select u.role from public.users u where u.id = (select auth.uid())
$$;

create policy "members read their organisation" on public.organisations for select to authenticated
  using (id = (select app.org()));
create policy "read own profile" on public.users for select to authenticated
  using (id = (select auth.uid()));
create policy "staff read profiles of their organisation" on public.users for select to authenticated
  using ((select app.role()) in ('coordinator', 'org_admin') and organisation_id = (select app.org()));
