-- Teams keyed by a bigint (the uuid is what the app shows in URLs), a membership join table with
-- a role, and boards that belong to a team.
create table public.teams (
  id bigint generated always as identity primary key,
  uuid uuid not null unique default gen_random_uuid(),
  name text not null
);
create table public.team_members (
  team_id bigint not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'viewer' check (role in ('viewer', 'editor', 'owner')),
  primary key (team_id, user_id)
);
create table public.boards (
  id bigint generated always as identity primary key,
  team_id bigint not null references public.teams (id) on delete cascade,
  created_by uuid not null references auth.users (id) default auth.uid(),
  title text not null
);
create index on public.team_members (user_id);
create index on public.boards (team_id);

alter default privileges in schema public revoke execute on functions from public;

create function public.is_team_member(team bigint, min_role text default 'viewer') returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.team_members m
    where m.team_id = team and m.user_id = (select auth.uid())
      and array_position(array['viewer', 'editor', 'owner'], m.role) >= array_position(array['viewer', 'editor', 'owner'], min_role)
  )
$$;
grant execute on function public.is_team_member(bigint, text) to authenticated;

alter table public.teams enable row level security;
alter table public.team_members enable row level security;
alter table public.boards enable row level security;
revoke all on public.teams, public.team_members, public.boards from anon;

create policy "members read their teams" on public.teams for select to authenticated
  using (public.is_team_member(id));
create policy "members read the team's members" on public.team_members for select to authenticated
  using (public.is_team_member(team_id));
create policy "owners manage members" on public.team_members for all to authenticated
  using (public.is_team_member(team_id, 'owner')) with check (public.is_team_member(team_id, 'owner'));
create policy "members read boards" on public.boards for select to authenticated
  using (public.is_team_member(team_id));
create policy "editors create boards" on public.boards for insert to authenticated
  with check (public.is_team_member(team_id, 'editor') and created_by = (select auth.uid()));
create policy "editors update boards" on public.boards for update to authenticated
  using (public.is_team_member(team_id, 'editor')) with check (public.is_team_member(team_id, 'editor'));
create policy "owners delete boards" on public.boards for delete to authenticated
  using (public.is_team_member(team_id, 'owner'));
