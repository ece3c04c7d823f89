-- Situations that made the audit give wrong verdicts on real projects (issue 17, item 1).

-- Hardening common in real projects: nothing created from here on is executable by PUBLIC unless
-- granted. The audit's own helpers must keep working (they are granted explicitly).
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from public;

grant select on public.users to anon, authenticated;

-- A claims cache that a trigger on the member table maintains: it grows while members are added,
-- but it is not the member table (tenancy.member names public.users).
create table public.member_claims (
  user_id uuid primary key references auth.users (id) on delete cascade,
  organisation_id uuid not null,
  role text not null
);
alter table public.member_claims enable row level security;
grant select on public.member_claims to authenticated;

create function app.cache_claims() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.member_claims (user_id, organisation_id, role)
  values (new.id, new.organisation_id, new.role)
  on conflict (user_id) do update set organisation_id = excluded.organisation_id, role = excluded.role;
  return new;
end
$$;
create trigger cache_claims after insert or update on public.users
  for each row execute function app.cache_claims();
create policy "read own claims" on public.member_claims for select to authenticated
  using (user_id = (select auth.uid()));

-- Notes whose row template is an INSERT ... SELECT: for a persona that cannot see the member's
-- profile it selects nothing and inserts nothing, which is a rejection, not an accepted insert.
create table public.v_notes (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references public.users (id),
  organisation_id uuid not null references public.organisations (id)
);
alter table public.v_notes enable row level security;
grant select, insert on public.v_notes to anon, authenticated;
create policy "read notes of the organisation" on public.v_notes for select to authenticated
  using (organisation_id = (select app.org()));
create policy "write own notes" on public.v_notes for insert to authenticated
  with check (member_id = (select auth.uid()) and organisation_id = (select app.org()));

-- A policy helper created after the hardening and never granted: every read raises 42501 on the
-- function. That is an error under the persona (policy-error), never the scope "none".
create function app.is_staff() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.users u where u.id = (select auth.uid()) and u.role <> 'peer_mentor')
$$;
create table public.v_staff_notes (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references public.users (id),
  organisation_id uuid not null references public.organisations (id)
);
alter table public.v_staff_notes enable row level security;
grant select on public.v_staff_notes to authenticated;
create policy "staff read notes" on public.v_staff_notes for select to authenticated
  using ((select app.is_staff()) and organisation_id = (select app.org()));
