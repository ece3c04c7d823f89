create table public.posts (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references rbac.groups (id) on delete cascade,
  author_id uuid not null references auth.users (id) default auth.uid(),
  body text not null
);
create index on public.posts (group_id);
alter table public.posts enable row level security;
grant select, insert, update, delete on public.posts to authenticated;
revoke all on public.posts from anon;

create policy "group members read posts" on public.posts for select to authenticated
  using (rbac.user_role(group_id) is not null);
create policy "group members write their posts" on public.posts for insert to authenticated
  with check (rbac.user_role(group_id) is not null and author_id = auth.uid());
create policy "authors edit their posts" on public.posts for update to authenticated
  using (author_id = auth.uid() and rbac.user_role(group_id) is not null)
  with check (author_id = auth.uid() and rbac.user_role(group_id) is not null);
create policy "moderators remove posts" on public.posts for delete to authenticated
  using (rbac.user_role(group_id) in ('moderator', 'admin'));
