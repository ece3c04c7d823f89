-- Accounts in a schema of their own: every user gets a personal account when they sign up, and
-- may create or join team accounts. Membership and its role live in basejump.account_user.
create schema if not exists basejump;
grant usage on schema basejump to authenticated, service_role;

alter default privileges in schema basejump revoke execute on functions from public;

create type basejump.account_role as enum ('owner', 'member');

create table basejump.accounts (
  id uuid primary key default gen_random_uuid(),
  primary_owner_user_id uuid not null references auth.users (id) default auth.uid(),
  name text,
  slug text unique,
  personal_account boolean not null default false,
  created_at timestamptz default now(),
  constraint basejump_accounts_slug_null_if_personal check (
    (personal_account = true and slug is null) or (personal_account = false and slug is not null))
);

create table basejump.account_user (
  user_id uuid not null references auth.users (id) on delete cascade,
  account_id uuid not null references basejump.accounts (id) on delete cascade,
  account_role basejump.account_role not null,
  primary key (user_id, account_id)
);

grant select, insert, update, delete on table basejump.accounts to authenticated, service_role;
grant select, insert, update, delete on table basejump.account_user to authenticated, service_role;

-- the creator of a team account becomes its owner
create function basejump.add_current_user_to_new_account() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  if new.primary_owner_user_id is not null then
    insert into basejump.account_user (account_id, user_id, account_role)
    values (new.id, new.primary_owner_user_id, 'owner');
  end if;
  return new;
end
$$;
create trigger basejump_add_current_user_to_new_account after insert on basejump.accounts
  for each row execute function basejump.add_current_user_to_new_account();

-- every new user gets a personal account with the same id
create function basejump.run_new_user_setup() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  insert into basejump.accounts (id, name, primary_owner_user_id, personal_account)
  values (new.id, split_part(new.email, '@', 1), new.id, true);
  return new;
end
$$;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function basejump.run_new_user_setup();

create function basejump.has_role_on_account(account_id uuid, account_role basejump.account_role default null)
returns boolean language sql security definer set search_path = public as $$
  select exists (
    select 1 from basejump.account_user wu
    where wu.user_id = auth.uid() and wu.account_id = has_role_on_account.account_id
      and (wu.account_role = has_role_on_account.account_role or has_role_on_account.account_role is null)
  )
$$;
grant execute on function basejump.has_role_on_account(uuid, basejump.account_role) to authenticated;

alter table basejump.accounts enable row level security;
alter table basejump.account_user enable row level security;

create policy "users can view their own accounts" on basejump.accounts for select to authenticated
  using (primary_owner_user_id = auth.uid() or basejump.has_role_on_account(id) = true);
create policy "owners can update their accounts" on basejump.accounts for update to authenticated
  using (basejump.has_role_on_account(id, 'owner') = true)
  with check (basejump.has_role_on_account(id, 'owner') = true);

create policy "users can view their teammates" on basejump.account_user for select to authenticated
  using (basejump.has_role_on_account(account_id) = true);
create policy "account owners remove members" on basejump.account_user for delete to authenticated
  using (basejump.has_role_on_account(account_id, 'owner') = true);

-- the primary owner and the kind of an account change only through the service role
create function basejump.protect_account_fields() returns trigger
language plpgsql as $$
begin
  if current_user in ('authenticated', 'anon') then
    if new.id <> old.id or new.personal_account <> old.personal_account
       or new.primary_owner_user_id <> old.primary_owner_user_id then
      raise exception 'You do not have permission to update this field';
    end if;
  end if;
  return new;
end
$$;
create trigger basejump_protect_account_fields before update on basejump.accounts
  for each row execute function basejump.protect_account_fields();
