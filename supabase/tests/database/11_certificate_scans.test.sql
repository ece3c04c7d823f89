-- Certificate scans (storage bucket certificate-scans, <organisation>/<member>/<file>) and the member
-- list RPC, as the storage API and the app use them: reads, uploads, renames and removals under each
-- role's JWT, including an object of another bucket in the same folders, which these policies must
-- never reach.
begin;
select plan(36);

\ir _setup/certification_world.psql

set local storage.allow_delete_query = 'true';  -- as the storage API sets it before it deletes

insert into storage.buckets (id, name, public) values ('other-bucket', 'other-bucket', false)
on conflict (id) do nothing;

create temporary table scans (label text primary key, bucket text not null, name text not null) on commit drop;
grant select on scans to public;

insert into scans (label, bucket, name)
select label, bucket, format('%s/%s/%s', pg_temp.fixture_id(organisation), pg_temp.fixture_id(member), file)
from (values ('a1', 'certificate-scans', 'org_a', 'mentor_a1', 'first-aid.pdf'),
             ('a2', 'certificate-scans', 'org_a', 'mentor_a2', 'safeguarding.pdf'),
             ('b1', 'certificate-scans', 'org_b', 'mentor_b1', 'first-aid.pdf'),
             ('a1 elsewhere', 'other-bucket', 'org_a', 'mentor_a1', 'first-aid.pdf')) as s (label, bucket, organisation, member, file);

insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
select s.bucket, s.name, u.id, u.id::text, '{"mimetype": "application/pdf"}', 'v1'
from scans as s
join public.users as u on u.id::text = split_part(s.name, '/', 2);

-- The scans the current user can list, by label.
create function pg_temp.visible_scans() returns text[]
language sql
as $$
  select coalesce(array_agg(s.label order by s.label), '{}')
  from storage.objects as o join scans as s on s.bucket = o.bucket_id and s.name = o.name
$$;

-- An upload as the storage API inserts it, as statement text for lives_ok/throws_ok.
create function pg_temp.upload(bucket text, organisation text, member text, file text) returns text
language sql
as $$
  select format('insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version) '
                'values (%L, %L, auth.uid(), auth.uid()::text, ''{}'', ''v2'')',
                bucket, format('%s/%s/%s', pg_temp.fixture_id(organisation), pg_temp.fixture_id(member), file))
$$;

-- A rename or a removal of one scan as the storage API does it (by bucket and name).
create function pg_temp.scan(label text) returns text
language sql
as $$ select format('bucket_id = %L and name = %L', s.bucket, s.name) from scans as s where s.label = scan.label $$;

-- peer mentor: their own scans only
select tests.authenticate_as('mentor_a1');
select is(pg_temp.visible_scans(), array['a1'], 'mentor_a1 lists only their own scan (not one of another bucket)');
select lives_ok(pg_temp.upload('certificate-scans', 'org_a', 'mentor_a1', 'cpr.pdf'), 'mentor_a1 uploads into their own folder');
select throws_ok(pg_temp.upload('certificate-scans', 'org_a', 'mentor_a2', 'cpr.pdf'), '42501', null,
  'mentor_a1 cannot upload into the folder of mentor_a2');
select throws_ok(pg_temp.upload('certificate-scans', 'org_b', 'mentor_a1', 'cpr.pdf'), '42501', null,
  'mentor_a1 cannot upload into a folder of org_b, even one named after themselves');
select throws_ok(pg_temp.upload('other-bucket', 'org_a', 'mentor_a1', 'cpr.pdf'), '42501', null,
  'mentor_a1 cannot upload into another bucket through these policies');
select is(pg_temp.affected_rows('update storage.objects set version = ''v3'' where ' || pg_temp.scan('a1')), 1,
  'mentor_a1 replaces their own scan');
select is(pg_temp.affected_rows('update storage.objects set version = ''v3'' where ' || pg_temp.scan('a2')), 0,
  'mentor_a1 cannot replace the scan of mentor_a2');
select is(pg_temp.affected_rows('update storage.objects set version = ''v3'' where ' || pg_temp.scan('a1 elsewhere')), 0,
  'mentor_a1 cannot replace their object in another bucket');
select throws_ok(format('update storage.objects set name = %L where %s',
                        (select name from scans where label = 'b1') || '.moved', pg_temp.scan('a1')), '42501', null,
  'mentor_a1 cannot move their scan into a folder of org_b');
select is(pg_temp.affected_rows($$ update storage.objects set version = 'v3' $$), 2,
  'an update of mentor_a1 that reads no column reaches only their two scans');
select throws_ok($$ update storage.objects set bucket_id = 'other-bucket' $$, '42501', null,
  'mentor_a1 cannot move their scans into another bucket');
select is(pg_temp.affected_rows('delete from storage.objects where ' || pg_temp.scan('a1')), 0,
  'mentor_a1 cannot remove their own scan');

-- coordinator: every scan of their organisation, no removal
select tests.authenticate_as('coordinator_a');
select is(pg_temp.visible_scans(), array['a1', 'a2'], 'coordinator_a lists the scans of org_a only');
select lives_ok(pg_temp.upload('certificate-scans', 'org_a', 'mentor_a2', 'cpr.pdf'),
  'coordinator_a uploads into the folder of a member of org_a');
select throws_ok(pg_temp.upload('certificate-scans', 'org_b', 'mentor_b1', 'cpr.pdf'), '42501', null,
  'coordinator_a cannot upload into a folder of org_b');
select is(pg_temp.affected_rows('update storage.objects set version = ''v3'' where ' || pg_temp.scan('a2')), 1,
  'coordinator_a replaces a scan of org_a');
select is(pg_temp.affected_rows('update storage.objects set version = ''v3'' where ' || pg_temp.scan('b1')), 0,
  'coordinator_a cannot replace a scan of org_b');
select is(pg_temp.affected_rows('delete from storage.objects where ' || pg_temp.scan('a2')), 0,
  'coordinator_a cannot remove a scan');

-- org admin: also removes the organisation's scans
select tests.authenticate_as('org_admin_a');
select is(pg_temp.visible_scans(), array['a1', 'a2'], 'org_admin_a lists the scans of org_a only');
select is(pg_temp.affected_rows('delete from storage.objects where ' || pg_temp.scan('b1')), 0,
  'org_admin_a cannot remove a scan of org_b');
select is(pg_temp.affected_rows('delete from storage.objects where ' || pg_temp.scan('a1 elsewhere')), 0,
  'org_admin_a cannot remove an object of another bucket in their organisation''s folder');
select is(pg_temp.affected_rows('delete from storage.objects where ' || pg_temp.scan('a2')), 1,
  'org_admin_a removes a scan of org_a');

-- outsiders
select tests.authenticate_as('no_profile');
select is(pg_temp.visible_scans(), '{}'::text[], 'a user without a profile lists no scan');
select throws_ok(pg_temp.upload('certificate-scans', 'org_a', 'no_profile', 'cpr.pdf'), '42501', null,
  'a user without a profile cannot upload');
select tests.authenticate_as_anon();
select lives_ok('select pg_temp.visible_scans()', 'anon may list (and gets nothing, without an error)');
select is(pg_temp.visible_scans(), '{}'::text[], 'anon lists no scan');
select throws_ok(pg_temp.upload('certificate-scans', 'org_a', 'mentor_a1', 'anon.pdf'), '42501',
  'new row violates row-level security policy for table "objects"', 'anon cannot upload (no policy applies to anon)');
select is(pg_temp.affected_rows('update storage.objects set version = ''v4'' where ' || pg_temp.scan('a1')), 0,
  'anon cannot replace a scan (no policy applies to anon)');
select is(pg_temp.affected_rows('delete from storage.objects where ' || pg_temp.scan('a1')), 0,
  'anon cannot remove a scan (no policy applies to anon)');

-- the member list RPC
select tests.authenticate_as('mentor_a1');
select is((select array_agg(m.id) from public.get_organisation_members(pg_temp.fixture_id('org_a')) as m),
  array[pg_temp.fixture_id('mentor_a1')], 'a peer mentor''s member list holds only themselves');
select tests.authenticate_as('coordinator_a');
select is((select count(*)::int from public.get_organisation_members(pg_temp.fixture_id('org_a'))), 4,
  'coordinator_a lists the four members of org_a');
select is((select count(*)::int from public.get_organisation_members(pg_temp.fixture_id('org_b'))), 0,
  'coordinator_a lists no member of org_b, even when asking for it');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.get_organisation_members(gen_random_uuid()) $$, '42501', null,
  'anon may not call the member list');
select tests.authenticate_as('org_admin_b');
select is((select array_agg(m.role order by m.role) from public.get_organisation_members(pg_temp.fixture_id('org_b')) as m),
  array['coordinator', 'org_admin', 'peer_mentor'], 'org_admin_b lists the members of org_b with their roles');
select is((select count(*)::int from public.get_organisation_members(pg_temp.fixture_id('org_a'))), 0,
  'org_admin_b lists no member of org_a');

select tests.authenticate_as('org_admin_a');
select is(pg_temp.affected_rows('delete from storage.objects'), 3,
  'a removal of org_admin_a that reads no column reaches only the three scans left in org_a');

select * from finish();
rollback;
