-- One table per planted defect (issue 3, "Done means"), each otherwise protected by the correct
-- policies for the spec in defects.toml; d_clean has no defect at all.

-- A member-owned table of the shape every defect table shares.
create procedure app.notes_table(name text, rls boolean default true) language plpgsql as $$
begin
  execute format('create table public.%I (
    id uuid primary key default gen_random_uuid(),
    member_id uuid not null references public.users (id),
    organisation_id uuid not null references public.organisations (id),
    status text not null default ''published'',
    body text not null default ''x'')', name);
  execute format('create index on public.%I (member_id)', name);
  execute format('create index on public.%I (organisation_id)', name);
  if rls then
    execute format('alter table public.%I enable row level security', name);
  end if;
end
$$;

-- The correct policies for the spec, except the commands in `skip`.
create procedure app.good_policies(name text, skip text[] default '{}') language plpgsql as $$
declare
  member_scope text := 'organisation_id = (select app.org()) and (member_id = (select auth.uid()) '
                       'or (select app.role()) in (''coordinator'', ''org_admin''))';
begin
  if not 'select' = any (skip) then
    execute format('create policy "read" on public.%I for select to authenticated using (%s)', name, member_scope);
  end if;
  if not 'insert' = any (skip) then
    execute format('create policy "add" on public.%I for insert to authenticated with check (%s)', name, member_scope);
  end if;
  if not 'update' = any (skip) then
    execute format('create policy "change" on public.%I for update to authenticated using (%s) with check (%s)',
                   name, member_scope, member_scope);
  end if;
  if not 'delete' = any (skip) then
    execute format('create policy "remove" on public.%I for delete to authenticated using '
                   '(organisation_id = (select app.org()) and (select app.role()) = ''org_admin'')', name);
  end if;
end
$$;

call app.notes_table('d_clean');
call app.good_policies('d_clean');

-- 1. using (true) on select
call app.notes_table('d_select_true');
call app.good_policies('d_select_true', '{select}');
create policy "read" on public.d_select_true for select to authenticated using (true);

-- 2. an admin policy without the tenant filter
call app.notes_table('d_admin_no_tenant');
call app.good_policies('d_admin_no_tenant', '{delete}');
create policy "admins manage" on public.d_admin_no_tenant for all to authenticated
  using ((select app.role()) = 'org_admin');

-- 3. with check (true) on update: a row can be moved to another tenant
call app.notes_table('d_update_check_true');
call app.good_policies('d_update_check_true', '{update}');
create policy "change" on public.d_update_check_true for update to authenticated
  using (organisation_id = (select app.org()) and (member_id = (select auth.uid())
         or (select app.role()) in ('coordinator', 'org_admin')))
  with check (true);

-- 3b. an update policy that reaches every row (USING true) behind an intact WITH CHECK: a no-op
--     update of another tenant's row fails the check, but taking the row over passes it
call app.notes_table('d_update_using_true');
call app.good_policies('d_update_using_true', '{update}');
create policy "change" on public.d_update_using_true for update to authenticated
  using (true)
  with check (organisation_id = (select app.org()) and (member_id = (select auth.uid())
              or (select app.role()) in ('coordinator', 'org_admin')));

-- 4. an insert policy that only checks that somebody is signed in
call app.notes_table('d_insert_signed_in');
call app.good_policies('d_insert_signed_in', '{insert}');
create policy "add" on public.d_insert_signed_in for insert to authenticated with check (auth.uid() is not null);

-- 5. row level security never enabled
call app.notes_table('d_no_rls', rls => false);

-- 6. a permissive policy with no TO clause (applies to anon too)
call app.notes_table('d_no_to');
call app.good_policies('d_no_to');
create policy "read published" on public.d_no_to for select using (status = 'published');

-- 7. a name-shadowing tautology: organisation_id = organisation_id inside the sub-select
call app.notes_table('d_shadowed');
call app.good_policies('d_shadowed', '{select}');
create policy "read" on public.d_shadowed for select to authenticated using (
  exists (select 1 from public.users u where u.id = (select auth.uid()) and u.organisation_id = organisation_id));

-- 8. auth.uid() is null or ...
call app.notes_table('d_uid_null');
call app.good_policies('d_uid_null', '{select}');
create policy "read" on public.d_uid_null for select to anon, authenticated
  using (auth.uid() is null or (organisation_id = (select app.org()) and (member_id = (select auth.uid())
         or (select app.role()) in ('coordinator', 'org_admin'))));

-- 9. a delete the spec forbids (coordinators)
call app.notes_table('d_coordinator_delete');
call app.good_policies('d_coordinator_delete');
create policy "coordinators remove" on public.d_coordinator_delete for delete to authenticated
  using (organisation_id = (select app.org()) and (select app.role()) = 'coordinator');

-- 10. over-restrictive: everybody reads only their own rows
call app.notes_table('d_own_only');
call app.good_policies('d_own_only', '{select}');
create policy "read" on public.d_own_only for select to authenticated using (member_id = (select auth.uid()));

-- 11. trusts user_metadata
call app.notes_table('d_user_metadata');
call app.good_policies('d_user_metadata', '{select}');
create policy "read" on public.d_user_metadata for select to authenticated
  using (organisation_id = (((select auth.jwt()) -> 'user_metadata') ->> 'organisation_id')::uuid);

-- 12. a view without security_invoker over a well-protected table
call app.notes_table('d_viewed');
call app.good_policies('d_viewed');
create view public.d_viewed_list as select id, member_id, organisation_id, body from public.d_viewed;

-- Not a defect: a trigger stamps the inserting member and their organisation on every new row, so
-- "insert a row of another member" stores the member's own row, which the spec allows.
call app.notes_table('d_owner_stamped');
call app.good_policies('d_owner_stamped');
create function app.stamp_owner() returns trigger language plpgsql set search_path = '' as $$
begin
  if (select auth.uid()) is not null then  -- a signed-in user; the service role keeps its values
    new.member_id := (select auth.uid());
    new.organisation_id := (select app.org());
  end if;
  return new;
end
$$;
create trigger stamp_owner before insert on public.d_owner_stamped for each row execute function app.stamp_owner();
