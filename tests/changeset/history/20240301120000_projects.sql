create table public.projects (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null
);
create index projects_organisation_id_idx on public.projects (organisation_id);
alter table public.projects enable row level security;
create policy "members read projects" on public.projects for select to authenticated
  using (app.is_member(organisation_id));
grant select, insert, update, delete on public.projects to authenticated;
