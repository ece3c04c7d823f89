-- Security fix: members may only create projects in their own organisation.
drop policy if exists "members write projects" on public.projects;
create policy "members write projects" on public.projects for insert to authenticated
  with check (app.is_member(organisation_id));
