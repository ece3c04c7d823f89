-- Group-based access control. Memberships live in rbac.members; a trigger keeps every user's
-- groups and roles in auth.users.raw_app_meta_data, so they travel in the JWT (app_metadata.groups)
-- and policies read the token instead of querying membership tables.
create schema if not exists rbac;
grant usage on schema rbac to authenticated;
alter default privileges in schema rbac revoke execute on functions from public;

create table rbac.groups (
  id uuid primary key default gen_random_uuid(),
  name text not null
);
create table rbac.members (
  group_id uuid not null references rbac.groups (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('viewer', 'moderator', 'admin')),
  primary key (group_id, user_id)
);
alter table rbac.groups enable row level security;
alter table rbac.members enable row level security;

create function rbac.update_user_claims() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  target uuid := coalesce(new.user_id, old.user_id);
begin
  update auth.users u
     set raw_app_meta_data = coalesce(u.raw_app_meta_data, '{}'::jsonb) || jsonb_build_object('groups',
         coalesce((select jsonb_object_agg(m.group_id::text, jsonb_build_array(m.role))
                     from rbac.members m where m.user_id = target), '{}'::jsonb))
   where u.id = target;
  return null;
end
$$;
create trigger on_change_update_user_claims after insert or update or delete on rbac.members
  for each row execute function rbac.update_user_claims();

-- the role a user holds in a group, from the token
create function rbac.user_role(group_id uuid) returns text
language sql stable set search_path = '' as $$
  select (auth.jwt() -> 'app_metadata' -> 'groups' -> group_id::text) ->> 0
$$;
grant execute on function rbac.user_role(uuid) to authenticated;
