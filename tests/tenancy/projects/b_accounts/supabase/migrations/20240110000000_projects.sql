-- The app's own data belongs to an account (personal or team).
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references basejump.accounts (id) on delete cascade,
  created_by uuid not null references auth.users (id) default auth.uid(),
  name text not null
);
alter table public.projects enable row level security;
grant select, insert, update, delete on public.projects to authenticated;
revoke all on public.projects from anon;

create policy "account members read projects" on public.projects for select to authenticated
  using (basejump.has_role_on_account(account_id) = true);
create policy "account members create projects" on public.projects for insert to authenticated
  with check (basejump.has_role_on_account(account_id) = true and created_by = auth.uid());
create policy "account owners delete projects" on public.projects for delete to authenticated
  using (basejump.has_role_on_account(account_id, 'owner') = true);
