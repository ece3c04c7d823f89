-- A membership table: one user can belong to several organisations (same role in each here).
create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null
);
alter table public.organisations enable row level security;

create table public.memberships (
  user_id uuid not null references auth.users (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id),
  role text not null,
  primary key (user_id, organisation_id)
);
alter table public.memberships enable row level security;
create index on public.memberships (organisation_id);

create schema app;
grant usage on schema app to authenticated;
create function app.my_organisations() returns uuid[] language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(m.organisation_id), '{}') from public.memberships m where m.user_id = (select auth.uid())
$$;

create policy "read memberships of my organisations" on public.memberships for select to authenticated
  using (organisation_id = any ((select app.my_organisations())::uuid[]));
create policy "read my organisations" on public.organisations for select to authenticated
  using (id = any ((select app.my_organisations())::uuid[]));

create procedure app.projects_table(name text) language plpgsql as $$
begin
  execute format('create table public.%I (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references public.organisations (id),
    title text not null default ''t'')', name);
  execute format('create index on public.%I (organisation_id)', name);
  execute format('alter table public.%I enable row level security', name);
end
$$;

-- Correct: every organisation the user belongs to.
call app.projects_table('m_clean');
create policy "read" on public.m_clean for select to authenticated
  using (organisation_id = any ((select app.my_organisations())::uuid[]));

-- A scalar sub-select: more than one row for a member of two organisations.
call app.projects_table('m_scalar');
create policy "read" on public.m_scalar for select to authenticated
  using (organisation_id = (select m.organisation_id from public.memberships m where m.user_id = (select auth.uid())));

-- limit 1: a member of two organisations sees only one of them.
call app.projects_table('m_limit');
create policy "read" on public.m_limit for select to authenticated
  using (organisation_id = (select m.organisation_id from public.memberships m
                            where m.user_id = (select auth.uid()) order by m.organisation_id limit 1));
