-- Certificate scans (storage) and the organisation's member list (an RPC).
--
-- harness: ignore-file foreign-policy storage.objects belongs to the platform; these policies are new and
-- govern only this file's own bucket (each is dropped IF EXISTS right before it is created).
--
-- Idempotent: the bucket is inserted ON CONFLICT DO NOTHING, the function is CREATE OR REPLACE, and
-- every policy is dropped (IF EXISTS) right before it is created.
--
-- certificate-scans: a private bucket for the scanned certificates behind
-- public.peer_mentor_certifications. An object lives at <organisation id>/<member id>/<file>, so the
-- policies read both folders of the path with storage.foldername(name):
--   peer mentors   read, upload and replace scans in their own folder
--   coordinators   read, upload and replace scans of every member of their organisation
--   org admins     the same, and remove them
-- Nobody reaches a folder of another organisation, and no update may move a scan out of the
-- uploader's reach (the WITH CHECK repeats the USING).
--
-- public.get_organisation_members(organisation_id): the member list the app shows. It runs with the
-- caller's rights, so public.users' own policies decide whose profiles come back (a peer mentor gets
-- only their own, staff their organisation's); the argument only narrows, it never widens.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('certificate-scans', 'certificate-scans', false, 10485760,
        array['application/pdf', 'image/jpeg', 'image/png'])
on conflict (id) do nothing;

-- -------------------------------------------------------------------------------------------------
-- Policies on storage.objects for the certificate-scans bucket. The helpers are called as
-- (select ...) so PostgreSQL evaluates them once per statement.
-- -------------------------------------------------------------------------------------------------
drop policy if exists "certificate-scans: read own, staff their organisation's" on storage.objects;
create policy "certificate-scans: read own, staff their organisation's"
  on storage.objects
  for select
  to authenticated
  using (
    bucket_id = 'certificate-scans'
    and (storage.foldername(name))[1] = (select public.get_user_organisation_id())::text
    and (
      (storage.foldername(name))[2] = (select auth.uid())::text
      or (select public.get_user_role()) in ('coordinator', 'org_admin')
    )
  );

drop policy if exists "certificate-scans: upload own, staff their organisation's" on storage.objects;
create policy "certificate-scans: upload own, staff their organisation's"
  on storage.objects
  for insert
  to authenticated
  with check (
    bucket_id = 'certificate-scans'
    and (storage.foldername(name))[1] = (select public.get_user_organisation_id())::text
    and (
      (storage.foldername(name))[2] = (select auth.uid())::text
      or (select public.get_user_role()) in ('coordinator', 'org_admin')
    )
  );

drop policy if exists "certificate-scans: replace own, staff their organisation's" on storage.objects;
-- harness: equivalent drop-with-check the WITH CHECK repeats the USING, which PostgreSQL checks new rows with when there is no WITH CHECK
create policy "certificate-scans: replace own, staff their organisation's"
  on storage.objects
  for update
  to authenticated
  using (
    bucket_id = 'certificate-scans'
    and (storage.foldername(name))[1] = (select public.get_user_organisation_id())::text
    and (
      (storage.foldername(name))[2] = (select auth.uid())::text
      or (select public.get_user_role()) in ('coordinator', 'org_admin')
    )
  )
  with check (
    bucket_id = 'certificate-scans'
    and (storage.foldername(name))[1] = (select public.get_user_organisation_id())::text
    and (
      (storage.foldername(name))[2] = (select auth.uid())::text
      or (select public.get_user_role()) in ('coordinator', 'org_admin')
    )
  );

drop policy if exists "certificate-scans: org admins remove their organisation's" on storage.objects;
create policy "certificate-scans: org admins remove their organisation's"
  on storage.objects
  for delete
  to authenticated
  using (
    bucket_id = 'certificate-scans'
    and (storage.foldername(name))[1] = (select public.get_user_organisation_id())::text
    and (select public.get_user_role()) = 'org_admin'
  );

-- -------------------------------------------------------------------------------------------------
-- The member list
-- -------------------------------------------------------------------------------------------------
create or replace function public.get_organisation_members(organisation_id uuid)
returns table (id uuid, organisation_id uuid, role text, full_name text)
language sql
stable
security invoker
set search_path = ''
as $$
  select u.id, u.organisation_id, u.role, u.full_name
  from public.users as u
  where u.organisation_id = get_organisation_members.organisation_id
  order by u.full_name nulls last, u.id
$$;

comment on function public.get_organisation_members(uuid) is
  'Members (id, organisation_id, role, full_name) of an organisation, as the caller may see them: '
  'runs with the caller''s rights, so public.users'' policies apply (a peer mentor gets only their own '
  'profile, coordinators and org admins their organisation''s, nobody another organisation''s).';

revoke execute on function public.get_organisation_members(uuid) from public, anon;
grant execute on function public.get_organisation_members(uuid) to authenticated, service_role;
