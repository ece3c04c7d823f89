-- RPC functions and storage buckets, each clean or with one planted defect (issue 21). The member
-- profile and the policy helpers come from base.sql.

-- ---------------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------------
-- Clean: the caller's organisation decides, not the argument; staff see everyone, others themselves.
create function public.f_members(org uuid)
returns table (id uuid, organisation_id uuid, role text)
language sql stable security definer set search_path = '' as $$
  select u.id, u.organisation_id, u.role
  from public.users u
  where u.organisation_id = (select app.org())
    and u.organisation_id = org
    and ((select app.role()) in ('coordinator', 'org_admin') or u.id = (select auth.uid()))
$$;

-- Defect: trusts its argument instead of the caller's organisation.
create function public.f_members_by_argument(org uuid)
returns table (id uuid, organisation_id uuid, role text)
language sql stable security definer set search_path = '' as $$
  select u.id, u.organisation_id, u.role
  from public.users u
  where u.organisation_id = org
    and (select app.role()) in ('coordinator', 'org_admin')
$$;

-- Defect: filters by auth.uid(), but the join matches colleagues by role, not by organisation.
create function public.f_colleagues()
returns table (id uuid, organisation_id uuid, role text)
language sql stable security definer set search_path = '' as $$
  select colleague.id, colleague.organisation_id, colleague.role
  from public.users me
  join public.users colleague on colleague.role = me.role
  where me.id = (select auth.uid())
    and me.role in ('coordinator', 'org_admin')
$$;

-- Clean: an org admin promotes a member of their own organisation.
create function public.f_promote(member uuid)
returns void
language sql volatile security definer set search_path = '' as $$
  update public.users set role = 'coordinator'
  where id = member and organisation_id = (select app.org()) and (select app.role()) = 'org_admin'
$$;

-- Defect: checks the caller's role but not the member's organisation.
create function public.f_promote_anyone(member uuid)
returns void
language sql volatile security definer set search_path = '' as $$
  update public.users set role = 'coordinator'
  where id = member and (select app.role()) = 'org_admin'
$$;

-- Not in the spec: callable over /rpc with its owner's rights.
create function public.f_uncovered()
returns bigint
language sql stable security definer set search_path = '' as $$
  select count(*) from public.users
$$;

revoke execute on all functions in schema public from public, anon;
grant execute on all functions in schema public to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Buckets: objects live at {organisation}/{member}/{file}
-- ---------------------------------------------------------------------------------------------
insert into storage.buckets (id, name, public) values
  ('b_clean', 'b_clean', false), ('b_bucket_only', 'b_bucket_only', false),
  ('b_wrong_column', 'b_wrong_column', false), ('b_upload_any_tenant', 'b_upload_any_tenant', false),
  ('b_move_out', 'b_move_out', false);

create function app.in_my_org(name text) returns boolean language sql stable set search_path = '' as $$
  select (storage.foldername(name))[1] = (select app.org())::text
$$;
create function app.is_mine(name text) returns boolean language sql stable set search_path = '' as $$
  select (storage.foldername(name))[1] = (select app.org())::text
     and (storage.foldername(name))[2] = (select auth.uid())::text
$$;
create function app.org_of(member uuid) returns uuid language sql stable security definer set search_path = '' as $$
  select u.organisation_id from public.users u where u.id = member
$$;
create function app.is_staff() returns boolean language sql stable set search_path = '' as $$
  select (select app.role()) in ('coordinator', 'org_admin')
$$;

-- The clean rules, per bucket: read your own (staff: the organisation's), upload and change your own,
-- org admins delete the organisation's.
create policy "clean read" on storage.objects for select to authenticated
  using (bucket_id in ('b_clean', 'b_upload_any_tenant', 'b_move_out')
         and (app.is_mine(name) or (app.is_staff() and app.in_my_org(name))));
create policy "clean upload" on storage.objects for insert to authenticated
  with check (bucket_id in ('b_clean', 'b_bucket_only', 'b_wrong_column', 'b_move_out') and app.is_mine(name));
create policy "clean update" on storage.objects for update to authenticated
  using (bucket_id in ('b_clean', 'b_bucket_only', 'b_wrong_column', 'b_upload_any_tenant') and app.is_mine(name))
  with check (bucket_id in ('b_clean', 'b_bucket_only', 'b_wrong_column', 'b_upload_any_tenant') and app.is_mine(name));
create policy "clean delete" on storage.objects for delete to authenticated
  using (bucket_id like 'b\_%' and app.in_my_org(name) and (select app.role()) = 'org_admin');

-- Defect: the bucket is the only condition.
create policy "bucket only read" on storage.objects for select to authenticated
  using (bucket_id = 'b_bucket_only');

-- Defect: the folder is compared with the organisation of the object's uploader (objects.owner)
-- instead of the caller's (auth.uid()).
create policy "wrong column read" on storage.objects for select to authenticated
  using (bucket_id = 'b_wrong_column' and (storage.foldername(name))[1] = app.org_of(owner)::text);

-- Defect: the upload checks the member folder but not the organisation folder.
create policy "upload any tenant" on storage.objects for insert to authenticated
  with check (bucket_id = 'b_upload_any_tenant' and (storage.foldername(name))[2] = (select auth.uid())::text);

-- Defect: the update checks where the object is, not where it goes.
create policy "move out" on storage.objects for update to authenticated
  using (bucket_id = 'b_move_out' and app.is_mine(name))
  with check (bucket_id = 'b_move_out');
