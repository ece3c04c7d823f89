-- A clean schema: tenant-scoped projects with a security_invoker view over them, and
-- announcements that everybody may read on purpose (declared in the spec).
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id),
  created_by uuid references public.users (id),
  title text not null default 'p'
);
alter table public.projects enable row level security;
create index on public.projects (organisation_id);
create index on public.projects (created_by);

create policy "read" on public.projects for select to authenticated
  using (organisation_id = (select app.org()));
create policy "add" on public.projects for insert to authenticated
  with check (organisation_id = (select app.org()) and (select app.role()) in ('coordinator', 'org_admin'));
create policy "change" on public.projects for update to authenticated
  using (organisation_id = (select app.org()) and (select app.role()) in ('coordinator', 'org_admin'))
  with check (organisation_id = (select app.org()) and (select app.role()) in ('coordinator', 'org_admin'));
create policy "remove" on public.projects for delete to authenticated
  using (organisation_id = (select app.org()) and (select app.role()) = 'org_admin');

create view public.project_titles with (security_invoker = true) as
  select id, organisation_id, title from public.projects;

create table public.announcements (
  id uuid primary key default gen_random_uuid(),
  body text not null
);
alter table public.announcements enable row level security;
create policy "everybody reads announcements" on public.announcements for select to anon, authenticated using (true);
insert into public.announcements (body) values ('welcome');
